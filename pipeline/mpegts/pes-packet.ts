// The PES packet header (ISO/IEC 13818-1 §2.4.3.6, §2.4.3.7): start code, stream_id,
// PES_packet_length, flags and the 33-bit PTS/DTS with their marker bits.
import { wrap33 } from './mpeg-clock.js';

export interface PesHeaderFields {
  readonly streamId: number;
  /** Presentation and decode time in 90 kHz ticks, unbounded; wrapped to 33 bits here. */
  readonly pts: number;
  readonly dts: number;
  /** Bytes of elementary stream data that follow the header. */
  readonly payloadLength: number;
  /** Write PES_packet_length 0, "neither specified nor bounded" (allowed for video in TS, §2.4.3.7). */
  readonly unbounded: boolean;
}

/** The largest PES_packet_length; longer packets write 0 (ffmpeg does the same for audio). */
export const PES_MAX_PACKET_LENGTH = 0xffff;
/** packet_start_code_prefix, stream_id, PES_packet_length, two flag bytes, PES_header_data_length. */
const PES_FIXED_HEADER_SIZE = 9;
const TIMESTAMP_SIZE = 5;
/** '10' marker, scrambling '00', priority 0, data_alignment_indicator 1, copyright 0, original 0:
 *  each PES starts with an access unit (an AUD for H.264, a sync word for audio; §2.6.11). */
const PES_FLAGS_1 = 0x84;
/** PTS_DTS_flags (§2.4.3.7): '10' PTS only, '11' PTS and DTS. */
const PTS_ONLY = 0x80;
const PTS_AND_DTS = 0xc0;
/** The 4-bit prefixes before a PTS or DTS field (Table 2-21, §2.4.3.6). */
const PREFIX_PTS_ONLY = 0b0010;
const PREFIX_PTS_WITH_DTS = 0b0011;
const PREFIX_DTS = 0b0001;

/** DTS is written only when it differs from PTS (§2.4.3.7: PTS_DTS_flags '10' otherwise). */
export function pesHeaderSize(fields: PesHeaderFields): number {
  return PES_FIXED_HEADER_SIZE + (fields.dts === fields.pts ? TIMESTAMP_SIZE : 2 * TIMESTAMP_SIZE);
}

/** Writes the header at `at`; returns its size. */
export function writePesHeader(out: Uint8Array, at: number, fields: PesHeaderFields): number {
  const withDts = fields.dts !== fields.pts;
  const headerDataLength = withDts ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
  const packetLength = 3 + headerDataLength + fields.payloadLength;
  const lengthField = fields.unbounded || packetLength > PES_MAX_PACKET_LENGTH ? 0 : packetLength;
  out[at] = 0x00;
  out[at + 1] = 0x00;
  out[at + 2] = 0x01;
  out[at + 3] = fields.streamId;
  out[at + 4] = lengthField >> 8;
  out[at + 5] = lengthField & 0xff;
  out[at + 6] = PES_FLAGS_1;
  out[at + 7] = withDts ? PTS_AND_DTS : PTS_ONLY;
  out[at + 8] = headerDataLength;
  writeTimestamp(out, at + 9, withDts ? PREFIX_PTS_WITH_DTS : PREFIX_PTS_ONLY, fields.pts);
  if (withDts) writeTimestamp(out, at + 9 + TIMESTAMP_SIZE, PREFIX_DTS, fields.dts);
  return PES_FIXED_HEADER_SIZE + headerDataLength;
}

/** A standalone header, for tests and tools. */
export function encodePesHeader(fields: PesHeaderFields): Uint8Array {
  const out = new Uint8Array(pesHeaderSize(fields));
  writePesHeader(out, 0, fields);
  return out;
}

/** prefix(4) TS[32..30] marker TS[29..15] marker TS[14..0] marker (§2.4.3.6). */
function writeTimestamp(out: Uint8Array, at: number, prefix: number, time90k: number): void {
  const t = wrap33(time90k);
  const high = Math.floor(t / 2 ** 30); // 3 bits
  const mid = Math.floor(t / 2 ** 15) & 0x7fff;
  const low = t % 2 ** 15;
  out[at] = (prefix << 4) | (high << 1) | 1;
  out[at + 1] = mid >> 7;
  out[at + 2] = ((mid & 0x7f) << 1) | 1;
  out[at + 3] = low >> 7;
  out[at + 4] = ((low & 0x7f) << 1) | 1;
}
