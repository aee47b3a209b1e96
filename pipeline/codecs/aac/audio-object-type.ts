// MPEG-4 audio object types and their escape coding (ISO/IEC 14496-3 §1.5.1.1 Table 1.1, §1.6.2.1 GetAudioObjectType).
import type { BitReader } from '../../core/bit-reader.js';

export const AUDIO_OBJECT_TYPE = {
  AAC_MAIN: 1,
  AAC_LC: 2,
  AAC_SSR: 3,
  AAC_LTP: 4,
  SBR: 5,
  AAC_SCALABLE: 6,
  TWINVQ: 7,
  ER_AAC_LC: 17,
  ER_AAC_LTP: 19,
  ER_AAC_SCALABLE: 20,
  ER_TWINVQ: 21,
  ER_BSAC: 22,
  ER_AAC_LD: 23,
  PS: 29,
  ESCAPE: 31,
  LAYER_3: 34,
} as const;

/** Object types whose AudioSpecificConfig holds a GASpecificConfig (§1.6.2.1, the switch on audioObjectType). */
export const GA_OBJECT_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23]);
/** Error-resilient object types: an epConfig follows their specific config. */
export const ER_OBJECT_TYPES: ReadonlySet<number> = new Set([17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 39]);

/** The escape 31 extends the 5-bit field with 6 more bits: 32 + audioObjectTypeExt. */
const ESCAPE_BASE = 32;

export function readAudioObjectType(r: BitReader): number {
  const aot = r.bits(5);
  return aot === AUDIO_OBJECT_TYPE.ESCAPE ? ESCAPE_BASE + r.bits(6) : aot;
}
