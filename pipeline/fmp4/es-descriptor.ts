// The esds box (ISO/IEC 14496-14 §3.1.2) around an ES_Descriptor with its DecoderConfigDescriptor,
// DecoderSpecificInfo and SLConfigDescriptor (ISO/IEC 14496-1 §7.2.6.5–§7.2.6.7, §7.3.2.3).
import { LimitError } from '../core/errors.js';
import { BoxWriter } from './box-writer.js';

/** Descriptor tags (14496-1 §7.2.2.1, Table 1). */
const ES_DESCRIPTOR_TAG = 0x03;
const DECODER_CONFIG_DESCRIPTOR_TAG = 0x04;
const DECODER_SPECIFIC_INFO_TAG = 0x05;
const SL_CONFIG_DESCRIPTOR_TAG = 0x06;
/** streamType 5: AudioStream (14496-1 §7.2.6.6.2, Table 6). */
const STREAM_TYPE_AUDIO = 0x05;
/** SLConfigDescriptor predefined = 2: "reserved for use in MP4 files" (14496-1 Table 12; 14496-14 §3.1.2). */
const SL_PREDEFINED_MP4 = 0x02;
/** In a file the track_ID names the stream, so the ES_ID is left 0. */
const ES_ID = 0;
/** sizeOfInstance is at most four 7-bit groups (14496-1 §8.3.3). */
const MAX_DESCRIPTOR_SIZE = 2 ** 28 - 1;

/** objectTypeIndication values (14496-1 §7.2.6.6.2, Table 5; the MP4 registration authority). */
export const OBJECT_TYPE_MPEG4_AUDIO = 0x40;
export const OBJECT_TYPE_MPEG2_AUDIO = 0x69;
export const OBJECT_TYPE_MPEG1_AUDIO = 0x6b;

/** esds for an audio stream; `decoderSpecificInfo` is the AudioSpecificConfig for AAC, absent for MP3. */
export function writeEsds(w: BoxWriter, objectTypeIndication: number, decoderSpecificInfo?: Uint8Array): void {
  // bufferSizeDB, maxBitrate and avgBitrate are 0: unknown for a live stream, and ignored by decoders.
  const decoderConfig = new BoxWriter(32);
  decoderConfig.u8(objectTypeIndication).u8((STREAM_TYPE_AUDIO << 2) | 0x01).u24(0).u32(0).u32(0);
  if (decoderSpecificInfo) writeDescriptor(decoderConfig, DECODER_SPECIFIC_INFO_TAG, decoderSpecificInfo);

  const es = new BoxWriter(64);
  es.u16(ES_ID).u8(0); // streamDependenceFlag, URL_Flag, OCRstreamFlag 0; streamPriority 0
  writeDescriptor(es, DECODER_CONFIG_DESCRIPTOR_TAG, decoderConfig.finish());
  writeDescriptor(es, SL_CONFIG_DESCRIPTOR_TAG, Uint8Array.of(SL_PREDEFINED_MP4));

  w.fullBox('esds', 0, 0, () => writeDescriptor(w, ES_DESCRIPTOR_TAG, es.finish()));
}

/** tag, expandable sizeOfInstance (14496-1 §8.3.3: 7 bits a byte, high bit = more follow), body. */
function writeDescriptor(w: BoxWriter, tag: number, body: Uint8Array): void {
  const size = body.length;
  if (size > MAX_DESCRIPTOR_SIZE) throw new LimitError('MPEG-4 descriptor too large', { tag, size });
  w.u8(tag);
  // The shortest form: readers such as mux.js assume one-byte sizes, which every real config fits.
  let groups = 1;
  while (groups < 4 && size >= 2 ** (7 * groups)) groups++;
  for (let g = groups - 1; g >= 0; g--) w.u8(((size >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
  w.bytes(body);
}
