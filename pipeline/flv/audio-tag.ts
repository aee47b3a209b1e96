// Audio tag bodies ↔ AudioTag[]: dispatches between the legacy AudioTagHeader and the E-RTMP ExAudioTagHeader.
import { ProtocolError } from '../core/errors.js';
import { ByteReader } from '../core/byte-reader.js';
import { ByteWriter } from '../core/byte-writer.js';
import { SOUND_FORMAT } from './flv-constants.js';
import { decodeExAudioTag, encodeExAudioTags } from './ex-audio-tag.js';
import { decodeLegacyAudioTag, encodeLegacyAudioTag } from './legacy-audio-tag.js';
import type { AudioTag } from './audio-tag-types.js';

/**
 * Decodes one audio message body (RTMP type 8 / FLV tag type 8). Returns one tag, one per track
 * of a multitrack packet, or none for an empty body (RTMP's silence message). Byte arrays in the
 * result are views into `body`.
 */
export function decodeAudioTag(body: Uint8Array): AudioTag[] {
  if (body.length === 0) return [];
  const r = new ByteReader(body, 'FLV audio tag');
  const first = r.u8();
  return first >> 4 === SOUND_FORMAT.EX_HEADER ? decodeExAudioTag(r, first) : [decodeLegacyAudioTag(r, first)];
}

/**
 * Encodes tags as one audio message body: the legacy header for one tag with enhanced = false,
 * the extended header otherwise; several tags, or one with a non-zero trackId, make a multitrack
 * packet. The tracks of one packet must share the packet kind and timestamp offset.
 */
export function encodeAudioTag(tags: AudioTag | readonly AudioTag[]): Uint8Array {
  const list: readonly AudioTag[] = Array.isArray(tags) ? tags : [tags as AudioTag];
  if (list.length === 0) throw new ProtocolError('FLV audio: nothing to encode');
  const w = new ByteWriter(64 + list.reduce((n, t) => n + payloadSize(t), 0));
  const only = list[0];
  if (list.length === 1 && !only.enhanced) encodeLegacyAudioTag(w, only);
  else encodeExAudioTags(w, list);
  return w.finish();
}

function payloadSize(tag: AudioTag): number {
  if (tag.packet === 'sequenceStart') return tag.config.length;
  if (tag.packet === 'codedFrames') return tag.data.length;
  return 16;
}
