// H.264 NAL unit types and length-prefixed NAL unit framing (ITU-T H.264 §7.3.1, §7.4.1; ISO/IEC 14496-15 §5.3.2).
import { ProtocolError, TruncatedError } from '../../core/errors.js';

/** nal_unit_type values (ITU-T H.264 Table 7-1). */
export const NAL_TYPE = {
  SLICE: 1,
  SLICE_DATA_PARTITION_A: 2,
  SLICE_DATA_PARTITION_B: 3,
  SLICE_DATA_PARTITION_C: 4,
  IDR: 5,
  SEI: 6,
  SPS: 7,
  PPS: 8,
  AUD: 9,
  END_OF_SEQUENCE: 10,
  END_OF_STREAM: 11,
  FILLER_DATA: 12,
  SPS_EXTENSION: 13,
  PREFIX: 14,
  SUBSET_SPS: 15,
  AUXILIARY_SLICE: 19,
  SLICE_EXTENSION: 20,
} as const;

/** nal_unit_type occupies the low five bits of the NAL unit header byte (§7.3.1). */
const NAL_TYPE_MASK = 0x1f;

/** The lengths a NALUnitLength field may have: lengthSizeMinusOne is 0, 1 or 3 (ISO/IEC 14496-15 §5.3.3.1.2). */
export type NalLengthSize = 1 | 2 | 4;

export function isNalLengthSize(n: number): n is NalLengthSize {
  return n === 1 || n === 2 || n === 4;
}

/** The nal_unit_type of a NAL unit (its first byte is the NAL unit header). */
export function nalType(nal: Uint8Array): number {
  if (nal.length === 0) throw new TruncatedError('H.264 NAL unit: empty, no NAL unit header', { length: 0 });
  return nal[0] & NAL_TYPE_MASK;
}

/**
 * Splits a sample of length-prefixed NAL units (the AVC sample format, ISO/IEC 14496-15 §5.3.2)
 * into views of each NAL unit. Zero-length entries carry no NAL unit and are skipped.
 */
export function splitLengthPrefixed(data: Uint8Array, nalLengthSize: number): Uint8Array[] {
  if (!isNalLengthSize(nalLengthSize)) {
    throw new ProtocolError(`H.264 sample: NAL length size ${nalLengthSize} is not 1, 2 or 4`, { nalLengthSize });
  }
  const nals: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + nalLengthSize > data.length) {
      throw new ProtocolError(`H.264 sample: ${data.length - at} bytes left at offset ${at}, too few for a ${nalLengthSize}-byte NAL length`, {
        offset: at,
        nalLengthSize,
      });
    }
    let length = 0;
    for (let i = 0; i < nalLengthSize; i++) length = length * 256 + data[at + i];
    at += nalLengthSize;
    if (length > data.length - at) {
      throw new ProtocolError(`H.264 sample: NAL unit of ${length} bytes at offset ${at} runs past the end (${data.length - at} bytes left)`, {
        offset: at,
        length,
        remaining: data.length - at,
      });
    }
    if (length > 0) nals.push(data.subarray(at, at + length));
    at += length;
  }
  return nals;
}
