// H.264 access unit delimiters in MPEG-TS: each AVC access unit carried in a transport stream
// shall contain an AUD (ISO/IEC 13818-1 §2.14.1); the muxer adds one when the caller's has none.
import { ProtocolError } from '../core/errors.js';
import { firstBytes } from '../core/byte-views.js';

/** Annex B start code + AUD NAL (nal_unit_type 9), primary_pic_type 7 (any slice type) and the
 *  rbsp_stop_one_bit (ITU-T H.264 §7.3.2.4). */
export const H264_AUD: Uint8Array = Uint8Array.of(0x00, 0x00, 0x00, 0x01, 0x09, 0xf0);

const NAL_TYPE_AUD = 9;
/** A 4-byte start code plus the NAL header byte. */
const PEEK_BYTES = 5;

/**
 * Whether an Annex B access unit starts with an AUD. Reads at most five bytes; throws when the
 * access unit does not begin with a start code (length-prefixed AVC would corrupt the stream).
 */
export function startsWithAud(accessUnit: readonly Uint8Array[]): boolean {
  const b = firstBytes(accessUnit, PEEK_BYTES);
  let header: number | undefined;
  if (b[0] === 0 && b[1] === 0 && b[2] === 1) header = b[3];
  else if (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 1) header = b[4];
  if (header === undefined) throw new ProtocolError('H.264 access unit for MPEG-TS must be Annex B (start with a start code)');
  return (header & 0x1f) === NAL_TYPE_AUD;
}
