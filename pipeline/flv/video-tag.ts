// Video tag bodies ↔ VideoTag[]: dispatches between the legacy VideoTagHeader and the E-RTMP ExVideoTagHeader.
import { ProtocolError } from '../core/errors.js';
import { ByteReader } from '../core/byte-reader.js';
import { ByteWriter } from '../core/byte-writer.js';
import { IS_EX_VIDEO_HEADER } from './flv-constants.js';
import { decodeExVideoTag, encodeExVideoTags } from './ex-video-tag.js';
import { decodeLegacyVideoTag, encodeLegacyVideoTag } from './legacy-video-tag.js';
import type { VideoTag } from './video-tag-types.js';

/**
 * Decodes one video message body (RTMP type 9 / FLV tag type 9). Returns one tag, or one per track
 * of a multitrack packet. Byte arrays in the result are views into `body`.
 */
export function decodeVideoTag(body: Uint8Array): VideoTag[] {
  const r = new ByteReader(body, 'FLV video tag');
  const first = r.u8();
  return first & IS_EX_VIDEO_HEADER ? decodeExVideoTag(r, first) : [decodeLegacyVideoTag(r, first)];
}

/**
 * Encodes tags as one video message body: the legacy header for one tag with enhanced = false,
 * the extended header otherwise; several tags, or one with a non-zero trackId, make a multitrack
 * packet (OneTrack, ManyTracks, or ManyTracksManyCodecs when their codecs differ). The tracks of
 * one packet must share the packet kind, frame type and timestamp offset.
 */
export function encodeVideoTag(tags: VideoTag | readonly VideoTag[]): Uint8Array {
  const list: readonly VideoTag[] = Array.isArray(tags) ? tags : [tags as VideoTag];
  if (list.length === 0) throw new ProtocolError('FLV video: nothing to encode');
  const w = new ByteWriter(64 + list.reduce((n, t) => n + payloadSize(t), 0));
  if (list.length === 1 && !list[0].enhanced) encodeLegacyVideoTag(w, list[0]);
  else encodeExVideoTags(w, list);
  return w.finish();
}

function payloadSize(tag: VideoTag): number {
  switch (tag.packet) {
    case 'sequenceStart':
      return tag.config.length;
    case 'codedFrames':
      return tag.data.length;
    case 'metadata':
      return tag.body.length;
    case 'mpeg2TsSequenceStart':
      return tag.descriptor.length;
    default:
      return 0;
  }
}
