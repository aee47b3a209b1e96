// The unit a live stream fans out: one RTMP audio, video or data message, untouched.
import { isAudioCodedFrame, isVideoCodedFrame, isVideoKeyframe } from '../../pipeline/flv/index.js';

export interface MediaMessage {
  /** 8 audio, 9 video, 18 AMF0 data. */
  readonly typeId: 8 | 9 | 18;
  /** Milliseconds, unwrapped past 2^32. */
  readonly timestamp: number;
  readonly payload: Uint8Array;
  /** A video keyframe (a point where a player can start). */
  readonly keyframe: boolean;
  /** A sequence header (codec configuration), not a coded frame. */
  readonly config: boolean;
}

/** Anything that receives a live stream: RTMP players and packaging outputs. */
export interface StreamSubscriber {
  /** True for viewers (RTMP players), counted as players in /api/streams; outputs leave it unset. */
  readonly isPlayer?: boolean;
  /** A publisher started: the stream's codec configuration and metadata come first. */
  onPublishStart(): void;
  onMedia(msg: MediaMessage): void;
  onPublishEnd(): void;
}

/** An audio, video or data message, classified: coded frames are not config, and only video
 *  frames can be keyframes; everything else in an audio/video tag (sequence headers, metadata,
 *  sequence end) is config. Shared by live ingest and the FLV import. */
export function mediaMessage(typeId: 8 | 9 | 18, timestamp: number, payload: Uint8Array): MediaMessage {
  if (typeId === 18) return { typeId, timestamp, payload, keyframe: false, config: false };
  const isFrame = typeId === 9 ? isVideoCodedFrame(payload) : isAudioCodedFrame(payload);
  return { typeId, timestamp, payload, keyframe: typeId === 9 && isFrame && isVideoKeyframe(payload), config: !isFrame };
}
