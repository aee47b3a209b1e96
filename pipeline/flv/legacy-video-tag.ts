// Legacy VideoTagHeader and body (FLV v10.1 E.4.3.1): CodecID, frame type, AVCPacketType, CompositionTime.
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import type { ByteReader } from '../core/byte-reader.js';
import type { ByteWriter } from '../core/byte-writer.js';
import { AVC_PACKET_TYPE, VIDEO_CODEC_ID, VIDEO_FRAME_TYPE } from './flv-constants.js';
import { codecIdOfVideoCodec, videoCodecFromCodecId } from './flv-codecs.js';
import { checkCompositionTimeMs, checkU8 } from './field-checks.js';
import { videoFrameTypeFromId, videoFrameTypeId } from './video-frame-type.js';
import type { VideoTag } from './video-tag-types.js';

const WHAT = 'FLV video';

/** CodecIDs whose body starts with AVCPacketType and CompositionTime (AVC, and HEVC on id 12). */
function hasAvcPacketType(codecId: number): boolean {
  return codecId === VIDEO_CODEC_ID.AVC || codecId === VIDEO_CODEC_ID.HEVC_UNOFFICIAL;
}

/** Decodes a legacy tag whose first byte `first` (FrameType UB[4], CodecID UB[4]) was read. */
export function decodeLegacyVideoTag(r: ByteReader, first: number): VideoTag {
  const frameTypeId = first >> 4;
  const codecId = first & 0x0f;
  const codec = videoCodecFromCodecId(codecId);
  const base = { kind: 'video', codec, trackId: 0, enhanced: false } as const;
  if (frameTypeId === VIDEO_FRAME_TYPE.COMMAND) return { ...base, packet: 'command', command: r.u8() };
  const frameType = videoFrameTypeFromId(frameTypeId, WHAT);
  if (!hasAvcPacketType(codecId)) return { ...base, packet: 'codedFrames', frameType, compositionTimeMs: 0, data: r.rest() };

  const avcPacketType = r.u8();
  switch (avcPacketType) {
    case AVC_PACKET_TYPE.SEQUENCE_HEADER:
      r.skip(3); // CompositionTime, 0 for sequence headers
      return { ...base, packet: 'sequenceStart', config: r.rest() };
    case AVC_PACKET_TYPE.NALU: {
      const compositionTimeMs = r.i24();
      return { ...base, packet: 'codedFrames', frameType, compositionTimeMs, data: r.rest() };
    }
    case AVC_PACKET_TYPE.END_OF_SEQUENCE:
      // Some encoders omit the (zero) CompositionTime here; nothing after the packet type matters.
      return { ...base, packet: 'sequenceEnd' };
    default:
      throw new UnsupportedError(`${WHAT}: unknown AVCPacketType ${avcPacketType}`, { avcPacketType });
  }
}

/** Encodes a tag in the legacy form; only codecs with a CodecID and packets the legacy header can say. */
export function encodeLegacyVideoTag(w: ByteWriter, tag: VideoTag): void {
  if (tag.codec === null) throw new ProtocolError(`${WHAT}: a legacy command frame needs a codec`);
  const codecId = codecIdOfVideoCodec(tag.codec);
  if (codecId === undefined) throw new UnsupportedError(`${WHAT}: codec ${tag.codec} has no legacy CodecID; use the extended header`);
  if (tag.trackId !== 0) throw new ProtocolError(`${WHAT}: a legacy tag cannot carry trackId ${tag.trackId}`);
  if (tag.timestampOffsetNs !== undefined) throw new ProtocolError(`${WHAT}: a legacy tag cannot carry a ModEx timestamp offset`);
  const header = (frameTypeId: number) => w.u8((frameTypeId << 4) | codecId);

  if (tag.packet === 'command') {
    checkU8(tag.command, 'command', WHAT);
    header(VIDEO_FRAME_TYPE.COMMAND).u8(tag.command);
    return;
  }
  if (!hasAvcPacketType(codecId)) {
    if (tag.packet !== 'codedFrames') throw new UnsupportedError(`${WHAT}: ${tag.codec} has no legacy ${tag.packet} packet`);
    if (tag.compositionTimeMs !== 0) throw new ProtocolError(`${WHAT}: ${tag.codec} has no composition time`);
    header(videoFrameTypeId(tag.frameType)).bytes(tag.data);
    return;
  }
  switch (tag.packet) {
    case 'sequenceStart':
      header(VIDEO_FRAME_TYPE.KEY_FRAME).u8(AVC_PACKET_TYPE.SEQUENCE_HEADER).u24(0).bytes(tag.config);
      return;
    case 'codedFrames':
      checkCompositionTimeMs(tag.compositionTimeMs, WHAT);
      header(videoFrameTypeId(tag.frameType)).u8(AVC_PACKET_TYPE.NALU).i24(tag.compositionTimeMs).bytes(tag.data);
      return;
    case 'sequenceEnd':
      header(VIDEO_FRAME_TYPE.KEY_FRAME).u8(AVC_PACKET_TYPE.END_OF_SEQUENCE).u24(0);
      return;
    default:
      throw new UnsupportedError(`${WHAT}: ${tag.packet} has no legacy form; use the extended header`);
  }
}
