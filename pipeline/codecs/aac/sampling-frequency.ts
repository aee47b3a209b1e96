// MPEG-4 audio sampling frequency indices (ISO/IEC 14496-3 §1.6.3.4, Table 1.18).
import type { BitReader } from '../../core/bit-reader.js';
import { ProtocolError } from '../../core/errors.js';

/** samplingFrequencyIndex 0x0..0xC; 0xD and 0xE are reserved. */
export const SAMPLING_FREQUENCIES: readonly number[] = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
/** Index 0xF: the frequency follows as an explicit 24-bit value. */
export const EXPLICIT_FREQUENCY_INDEX = 0xf;
const EXPLICIT_FREQUENCY_BITS = 24;

/** The index of a sampling frequency in the table, or undefined when it has none. */
export function samplingFrequencyIndex(rate: number): number | undefined {
  const i = SAMPLING_FREQUENCIES.indexOf(rate);
  return i < 0 ? undefined : i;
}

/** The rate of a table index; ProtocolError for the reserved indices. */
export function samplingFrequencyOf(index: number, what: string): number {
  const rate = SAMPLING_FREQUENCIES[index];
  if (rate === undefined) throw new ProtocolError(`${what}: sampling frequency index ${index} is reserved`, { index });
  return rate;
}

/** samplingFrequencyIndex (4 bits) and, for the escape 0xF, samplingFrequency (24 bits). */
export function readSamplingFrequency(r: BitReader, what: string): number {
  const index = r.bits(4);
  if (index !== EXPLICIT_FREQUENCY_INDEX) return samplingFrequencyOf(index, what);
  const rate = r.bits(EXPLICIT_FREQUENCY_BITS);
  if (rate === 0) throw new ProtocolError(`${what}: explicit sampling frequency is 0`, { rate });
  return rate;
}
