// The adaptation field (ISO/IEC 13818-1 §2.4.3.4, §2.4.3.5): PCR, random access and
// discontinuity flags, and the stuffing bytes that fill the last packet of a PES.
import { wrap33 } from './mpeg-clock.js';

export interface AdaptationFieldFlags {
  /** discontinuity_indicator: on the PCR_PID, a system time-base discontinuity (§2.4.3.5). */
  readonly discontinuity?: boolean;
  /** random_access_indicator: the PES starting here begins at a random access point (§2.4.3.5). */
  readonly randomAccess?: boolean;
  /** program_clock_reference_base in 90 kHz ticks, unbounded (wrapped to 33 bits when written); extension 0. */
  readonly pcrBase?: number;
}

export const NO_ADAPTATION_FLAGS: AdaptationFieldFlags = {};

/** adaptation_field_length byte plus the flags byte. */
const ADAPTATION_FIELD_MIN_WITH_FLAGS = 2;
/** program_clock_reference: 33-bit base, 6 reserved bits, 9-bit extension. */
const PCR_FIELD_SIZE = 6;
const STUFFING_BYTE = 0xff;

/** Bytes an adaptation field carrying `flags` takes, length byte included; 0 when nothing needs one. */
export function adaptationFieldSize(flags: AdaptationFieldFlags): number {
  const hasPcr = flags.pcrBase !== undefined;
  if (!hasPcr && !flags.discontinuity && !flags.randomAccess) return 0;
  return ADAPTATION_FIELD_MIN_WITH_FLAGS + (hasPcr ? PCR_FIELD_SIZE : 0);
}

/**
 * Writes an adaptation field that occupies exactly `size` bytes at `at` (size ≥ 1 and
 * ≥ adaptationFieldSize(flags)). Extra room becomes stuffing bytes 0xFF (§2.4.3.5); a size of 1
 * is the single adaptation_field_length = 0 byte, the only way to stuff exactly one byte.
 */
export function writeAdaptationField(out: Uint8Array, at: number, size: number, flags: AdaptationFieldFlags): void {
  out[at] = size - 1;
  if (size === 1) return;
  const hasPcr = flags.pcrBase !== undefined;
  out[at + 1] = (flags.discontinuity ? 0x80 : 0) | (flags.randomAccess ? 0x40 : 0) | (hasPcr ? 0x10 : 0);
  let p = at + 2;
  if (flags.pcrBase !== undefined) {
    writePcr(out, p, flags.pcrBase);
    p += PCR_FIELD_SIZE;
  }
  out.fill(STUFFING_BYTE, p, at + size);
}

/** program_clock_reference_base (33 bits), reserved '111111', extension (9 bits, here 0). */
function writePcr(out: Uint8Array, at: number, base90k: number): void {
  const base = wrap33(base90k);
  out[at] = Math.floor(base / 2 ** 25);
  out[at + 1] = Math.floor(base / 2 ** 17) & 0xff;
  out[at + 2] = Math.floor(base / 2 ** 9) & 0xff;
  out[at + 3] = Math.floor(base / 2) & 0xff;
  out[at + 4] = ((base % 2) << 7) | 0x7e;
  out[at + 5] = 0;
}
