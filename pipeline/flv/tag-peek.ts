// Cheap peeks at the first bytes of audio/video tag bodies (legacy, extended, ModEx, multitrack) for GOP caching.
import {
  AAC_PACKET_TYPE,
  AUDIO_PACKET_TYPE,
  AVC_PACKET_TYPE,
  IS_EX_VIDEO_HEADER,
  SOUND_FORMAT,
  VIDEO_CODEC_ID,
  VIDEO_FRAME_TYPE,
  VIDEO_PACKET_TYPE,
} from './flv-constants.js';
import { skipModEx } from './mod-ex.js';

/** The packet type of the body after ModEx entries, or of the tracks in a multitrack packet. */
function innerPacketType(body: Uint8Array, modEx: number, multitrack: number): number | null {
  const after = skipModEx(body, 1, body[0] & 0x0f, modEx);
  if (after === null) return null;
  if (after.packetType !== multitrack) return after.packetType;
  return after.offset < body.length ? body[after.offset] & 0x0f : null;
}

function isKeyFrameType(frameType: number): boolean {
  return frameType === VIDEO_FRAME_TYPE.KEY_FRAME || frameType === VIDEO_FRAME_TYPE.GENERATED_KEY_FRAME;
}

function hasAvcPacketType(codecId: number): boolean {
  return codecId === VIDEO_CODEC_ID.AVC || codecId === VIDEO_CODEC_ID.HEVC_UNOFFICIAL;
}

/** The video packet type of an extended body, or null for a command frame or a cut-off body. */
function exVideoPacketType(body: Uint8Array): number | null {
  const packetType = innerPacketType(body, VIDEO_PACKET_TYPE.MOD_EX, VIDEO_PACKET_TYPE.MULTITRACK);
  const isCommand = ((body[0] >> 4) & 0x07) === VIDEO_FRAME_TYPE.COMMAND && packetType !== VIDEO_PACKET_TYPE.METADATA;
  return isCommand ? null : packetType;
}

/** True when the body carries coded frames of a key frame (or a server-generated key frame). */
export function isVideoKeyframe(body: Uint8Array): boolean {
  if (body.length === 0) return false;
  const first = body[0];
  if (first & IS_EX_VIDEO_HEADER) {
    if (!isKeyFrameType((first >> 4) & 0x07)) return false;
    const packetType = exVideoPacketType(body);
    return packetType === VIDEO_PACKET_TYPE.CODED_FRAMES || packetType === VIDEO_PACKET_TYPE.CODED_FRAMES_X;
  }
  if (!isKeyFrameType(first >> 4)) return false;
  return hasAvcPacketType(first & 0x0f) ? body.length > 1 && body[1] === AVC_PACKET_TYPE.NALU : true;
}

/** True for a video sequence start (legacy AVC/HEVC sequence header, SequenceStart, MPEG2TSSequenceStart). */
export function isVideoSequenceHeader(body: Uint8Array): boolean {
  if (body.length === 0) return false;
  const first = body[0];
  if (first & IS_EX_VIDEO_HEADER) {
    const packetType = exVideoPacketType(body);
    return packetType === VIDEO_PACKET_TYPE.SEQUENCE_START || packetType === VIDEO_PACKET_TYPE.MPEG2TS_SEQUENCE_START;
  }
  if (first >> 4 === VIDEO_FRAME_TYPE.COMMAND || !hasAvcPacketType(first & 0x0f)) return false;
  return body.length > 1 && body[1] === AVC_PACKET_TYPE.SEQUENCE_HEADER;
}

/** True for an audio sequence start (legacy AAC sequence header or SequenceStart). A
 *  MultichannelConfig is not one: it accompanies the sequence start rather than replacing it. */
export function isAudioSequenceHeader(body: Uint8Array): boolean {
  if (body.length === 0) return false;
  const soundFormat = body[0] >> 4;
  if (soundFormat === SOUND_FORMAT.EX_HEADER) {
    return innerPacketType(body, AUDIO_PACKET_TYPE.MOD_EX, AUDIO_PACKET_TYPE.MULTITRACK) === AUDIO_PACKET_TYPE.SEQUENCE_START;
  }
  return soundFormat === SOUND_FORMAT.AAC && body.length > 1 && body[1] === AAC_PACKET_TYPE.SEQUENCE_HEADER;
}

/** True when a video body carries coded frames (what a player must start on a keyframe for);
 *  false for sequence starts and ends, metadata and command frames. */
export function isVideoCodedFrame(body: Uint8Array): boolean {
  if (body.length === 0) return false;
  const first = body[0];
  if (first & IS_EX_VIDEO_HEADER) {
    const packetType = exVideoPacketType(body);
    return packetType === VIDEO_PACKET_TYPE.CODED_FRAMES || packetType === VIDEO_PACKET_TYPE.CODED_FRAMES_X;
  }
  if (first >> 4 === VIDEO_FRAME_TYPE.COMMAND) return false;
  return hasAvcPacketType(first & 0x0f) ? body.length > 1 && body[1] === AVC_PACKET_TYPE.NALU : true;
}

/** True when an audio body carries coded frames; false for sequence starts and ends and
 *  MultichannelConfig. */
export function isAudioCodedFrame(body: Uint8Array): boolean {
  if (body.length === 0) return false;
  const soundFormat = body[0] >> 4;
  if (soundFormat === SOUND_FORMAT.EX_HEADER) {
    return innerPacketType(body, AUDIO_PACKET_TYPE.MOD_EX, AUDIO_PACKET_TYPE.MULTITRACK) === AUDIO_PACKET_TYPE.CODED_FRAMES;
  }
  return soundFormat !== SOUND_FORMAT.AAC || (body.length > 1 && body[1] === AAC_PACKET_TYPE.RAW);
}
