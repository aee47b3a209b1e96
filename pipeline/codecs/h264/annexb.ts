// AVC sample (length-prefixed NAL units) → one Annex B access unit for MPEG-TS (ITU-T H.264 Annex B, §7.4.1.2.3; Apple HLS authoring spec).
import { ProtocolError } from '../../core/errors.js';
import type { H264Config } from '../../ingest/media-types.js';
import { NAL_TYPE, nalType, splitLengthPrefixed } from './nal-units.js';

/** The four-byte start code prefix (zero_byte + start_code_prefix_one_3bytes, §B.1.1). */
const START_CODE = [0x00, 0x00, 0x00, 0x01] as const;
/**
 * An access unit delimiter NAL unit: header 0x09 (nal_ref_idc 0, type 9), then primary_pic_type 7
 * ("any slice type"), the rbsp_stop_one_bit and alignment zeros: 0xF0 (§7.3.2.4, Table 7-5).
 */
const AUD_NAL = [0x09, 0xf0] as const;

/** Shared, never written: every access unit's start codes and delimiter are views of these. */
const START_CODE_BYTES = Uint8Array.from(START_CODE);
const AUD_WITH_START_CODE = Uint8Array.from([...START_CODE, ...AUD_NAL]);

/**
 * Converts one sample to Annex B. The result is a list of parts to write in order: shared
 * constant buffers for the start codes and the delimiter (read them, never write them), and views
 * of the NAL units in `data` and of the parameter sets in `config` (NAL bodies are never copied).
 *
 * The access unit starts with exactly one AUD (MPEG-TS requires it, ISO/IEC 13818-1 §2.14; a
 * sample's own leading AUD is kept, any other AUD dropped). Before a keyframe or any access unit
 * holding an IDR slice, the config's SPS and PPS are inserted after the AUD unless the sample
 * carries its own (each kind separately; a missing PPS goes after the sample's own SPS), so that
 * every segment decodes on its own.
 */
export function avccToAnnexB(data: Uint8Array, config: H264Config, keyframe: boolean): Uint8Array[] {
  const nals = splitLengthPrefixed(data, config.nalLengthSize);
  if (nals.length === 0) throw new ProtocolError('H.264 sample: holds no NAL units', { length: data.length });
  const startCode = START_CODE_BYTES;
  const parts: Uint8Array[] = [];
  const first = nals[0];
  if (nalType(first) === NAL_TYPE.AUD) parts.push(startCode, first);
  else parts.push(AUD_WITH_START_CODE);

  let lastSps = -1;
  let hasPps = false;
  let hasIdr = false;
  nals.forEach((nal, i) => {
    const type = nalType(nal);
    if (type === NAL_TYPE.SPS) lastSps = i;
    else if (type === NAL_TYPE.PPS) hasPps = true;
    else if (type === NAL_TYPE.IDR) hasIdr = true;
  });
  const withParameterSets = keyframe || hasIdr;
  // A PPS must follow the SPS it refers to: a missing PPS goes after the sample's own SPS when it has one.
  const spsBefore = withParameterSets && lastSps < 0 ? config.sps : [];
  const ppsBefore = withParameterSets && !hasPps && lastSps < 0 ? config.pps : [];
  const ppsAfterSps = withParameterSets && !hasPps && lastSps >= 0 ? config.pps : [];
  for (const ps of [...spsBefore, ...ppsBefore]) parts.push(startCode, ps);
  nals.forEach((nal, i) => {
    if (nalType(nal) === NAL_TYPE.AUD) return;
    parts.push(startCode, nal);
    if (i === lastSps) for (const pps of ppsAfterSps) parts.push(startCode, pps);
  });
  return parts;
}

/** The total byte length of a list of parts. */
export function annexBLength(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}
