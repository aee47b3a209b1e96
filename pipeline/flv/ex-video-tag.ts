// E-RTMP ExVideoTagHeader and ExVideoTagBody (E-RTMP v2 "Enhanced Video"): FourCC packets, ModEx, multitrack.
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import { ByteReader } from '../core/byte-reader.js';
import type { ByteWriter } from '../core/byte-writer.js';
import { IS_EX_VIDEO_HEADER, VIDEO_FRAME_TYPE, VIDEO_PACKET_TYPE } from './flv-constants.js';
import { hasCompositionTime, isVideoFourCc, readVideoFourCc, type VideoCodec } from './flv-codecs.js';
import { checkCompositionTimeMs, checkU8 } from './field-checks.js';
import { readModEx, writeTimestampOffsetNano } from './mod-ex.js';
import { readMultitrack, writeMultitrack } from './multitrack.js';
import { videoFrameTypeFromId, videoFrameTypeId } from './video-frame-type.js';
import type { VideoTag } from './video-tag-types.js';

const WHAT = 'E-RTMP video';

type Extra = { timestampOffsetNs?: number };

/** Packet types that may carry a track body (everything but Multitrack and ModEx). */
function checkBodyPacketType(packetType: number): void {
  if (packetType > VIDEO_PACKET_TYPE.MOD_EX) throw new UnsupportedError(`${WHAT}: unknown VideoPacketType ${packetType}`, { packetType });
}

function decodeBody(r: ByteReader, packetType: number, frameTypeId: number, codec: VideoCodec, trackId: number, extra: Extra): VideoTag {
  const base = { kind: 'video', codec, trackId, enhanced: true, ...extra } as const;
  switch (packetType) {
    case VIDEO_PACKET_TYPE.SEQUENCE_START:
      return { ...base, packet: 'sequenceStart', config: r.rest() };
    case VIDEO_PACKET_TYPE.CODED_FRAMES:
    case VIDEO_PACKET_TYPE.CODED_FRAMES_X: {
      const frameType = videoFrameTypeFromId(frameTypeId, WHAT);
      const withTime = packetType === VIDEO_PACKET_TYPE.CODED_FRAMES && hasCompositionTime(codec);
      const compositionTimeMs = withTime ? r.i24() : 0;
      return { ...base, packet: 'codedFrames', frameType, compositionTimeMs, data: r.rest() };
    }
    case VIDEO_PACKET_TYPE.SEQUENCE_END:
      return { ...base, packet: 'sequenceEnd' };
    case VIDEO_PACKET_TYPE.METADATA:
      return { ...base, packet: 'metadata', body: r.rest() };
    case VIDEO_PACKET_TYPE.MPEG2TS_SEQUENCE_START:
      return { ...base, packet: 'mpeg2TsSequenceStart', descriptor: r.rest() };
    default:
      throw new ProtocolError(`${WHAT}: VideoPacketType ${packetType} cannot start a track body`, { packetType });
  }
}

/** Decodes an extended tag whose first byte (IsExVideoHeader, FrameType UB[3], PacketType UB[4]) was read. */
export function decodeExVideoTag(r: ByteReader, first: number): VideoTag[] {
  const frameTypeId = (first >> 4) & 0x07;
  const modEx = readModEx(r, first & 0x0f, VIDEO_PACKET_TYPE.MOD_EX);
  const extra: Extra = modEx.timestampOffsetNs === undefined ? {} : { timestampOffsetNs: modEx.timestampOffsetNs };
  const packetType = modEx.packetType;
  checkBodyPacketType(packetType);
  // Frame type Command replaces the body with a VideoCommand byte, except on Metadata packets.
  if (frameTypeId === VIDEO_FRAME_TYPE.COMMAND && packetType !== VIDEO_PACKET_TYPE.METADATA) {
    return [{ kind: 'video', packet: 'command', codec: null, trackId: 0, enhanced: true, command: r.u8(), ...extra }];
  }
  if (packetType !== VIDEO_PACKET_TYPE.MULTITRACK) return [decodeBody(r, packetType, frameTypeId, readVideoFourCc(r), 0, extra)];

  const typeByte = r.u8();
  const trackPacketType = typeByte & 0x0f;
  checkBodyPacketType(trackPacketType);
  if (trackPacketType === VIDEO_PACKET_TYPE.MULTITRACK || trackPacketType === VIDEO_PACKET_TYPE.MOD_EX) {
    throw new ProtocolError(`${WHAT}: VideoPacketType ${trackPacketType} inside a multitrack packet`, { packetType: trackPacketType });
  }
  const tracks = readMultitrack(r, typeByte >> 4, readVideoFourCc, WHAT);
  return tracks.map((t) => decodeBody(new ByteReader(t.body, WHAT), trackPacketType, frameTypeId, t.codec, t.trackId, extra));
}

/** The VideoPacketType for tags of one packet kind: CodedFramesX when every composition time it could carry is 0. */
function packetTypeOf(tags: readonly VideoTag[]): number {
  const first = tags[0];
  switch (first.packet) {
    case 'sequenceStart':
      return VIDEO_PACKET_TYPE.SEQUENCE_START;
    case 'codedFrames': {
      const allZero = tags.every((t) => t.packet === 'codedFrames' && hasCompositionTime(t.codec) && t.compositionTimeMs === 0);
      return allZero ? VIDEO_PACKET_TYPE.CODED_FRAMES_X : VIDEO_PACKET_TYPE.CODED_FRAMES;
    }
    case 'sequenceEnd':
      return VIDEO_PACKET_TYPE.SEQUENCE_END;
    case 'metadata':
      return VIDEO_PACKET_TYPE.METADATA;
    case 'mpeg2TsSequenceStart':
      return VIDEO_PACKET_TYPE.MPEG2TS_SEQUENCE_START;
    case 'command':
      return VIDEO_PACKET_TYPE.CODED_FRAMES; // not interpreted: the command byte replaces the body
  }
}

/** The frame type written in the header: coded frames say theirs; single-track Metadata uses
 *  Command, as FFmpeg does, so that legacy parsers skip it (not in multitrack, where Command would
 *  turn the packet into a command frame); other packets are written as keyframes. */
function frameTypeIdOf(tag: VideoTag, multitrack: boolean): number {
  if (tag.packet === 'codedFrames') return videoFrameTypeId(tag.frameType);
  if (tag.packet === 'command' || (tag.packet === 'metadata' && !multitrack)) return VIDEO_FRAME_TYPE.COMMAND;
  return VIDEO_FRAME_TYPE.KEY_FRAME;
}

function fourCcOf(tag: VideoTag): VideoCodec {
  if (tag.codec === null || !isVideoFourCc(tag.codec)) throw new UnsupportedError(`${WHAT}: codec ${String(tag.codec)} has no FourCC`);
  return tag.codec;
}

function writeBody(w: ByteWriter, tag: VideoTag, packetType: number): void {
  switch (tag.packet) {
    case 'sequenceStart':
      w.bytes(tag.config);
      return;
    case 'codedFrames':
      checkCompositionTimeMs(tag.compositionTimeMs, WHAT);
      if (packetType === VIDEO_PACKET_TYPE.CODED_FRAMES && hasCompositionTime(tag.codec)) w.i24(tag.compositionTimeMs);
      else if (tag.compositionTimeMs !== 0) throw new ProtocolError(`${WHAT}: ${tag.codec} frames carry no composition time`);
      w.bytes(tag.data);
      return;
    case 'metadata':
      w.bytes(tag.body);
      return;
    case 'mpeg2TsSequenceStart':
      w.bytes(tag.descriptor);
      return;
    default:
      return;
  }
}

/** Checks that tags can share one message: one packet kind, frame type and timestamp offset. */
function checkSharedHeader(tags: readonly VideoTag[], multitrack: boolean): void {
  const first = tags[0];
  for (const t of tags) {
    if (!t.enhanced) throw new ProtocolError(`${WHAT}: a legacy tag cannot be multitrack or extended`);
    if (t.packet !== first.packet || frameTypeIdOf(t, multitrack) !== frameTypeIdOf(first, multitrack) || t.timestampOffsetNs !== first.timestampOffsetNs) {
      throw new ProtocolError(`${WHAT}: tracks of one packet must share packet type, frame type and timestamp offset`);
    }
  }
}

/** Encodes tags as one extended message; several tags or a non-zero trackId make it multitrack. */
export function encodeExVideoTags(w: ByteWriter, tags: readonly VideoTag[]): void {
  const first = tags[0];
  const multitrack = tags.length > 1 || first.trackId !== 0;
  checkSharedHeader(tags, multitrack);
  const packetType = packetTypeOf(tags);
  const headerPacketType = multitrack ? VIDEO_PACKET_TYPE.MULTITRACK : packetType;
  const frameTypeId = frameTypeIdOf(first, multitrack);
  const offset = first.timestampOffsetNs;
  w.u8(IS_EX_VIDEO_HEADER | (frameTypeId << 4) | (offset === undefined ? headerPacketType : VIDEO_PACKET_TYPE.MOD_EX));
  if (offset !== undefined) writeTimestampOffsetNano(w, offset, headerPacketType);

  if (first.packet === 'command') {
    if (multitrack) throw new ProtocolError(`${WHAT}: a command frame cannot be multitrack`);
    if (first.codec !== null) throw new ProtocolError(`${WHAT}: an extended command frame has no FourCC; its codec must be null`);
    checkU8(first.command, 'command', WHAT);
    w.u8(first.command);
    return;
  }
  if (multitrack) {
    writeMultitrack(w, packetType, tags, fourCcOf, (t) => t.trackId, (tw, t) => writeBody(tw, t, packetType), WHAT);
    return;
  }
  w.fourCc(fourCcOf(first));
  writeBody(w, first, packetType);
}
