// VideoTag: the typed content of one FLV/RTMP video tag body (legacy VideoTagHeader or E-RTMP ExVideoTagHeader).
import type { VideoCodec } from './flv-codecs.js';

/** VideoFrameType of coded frames (Command frames are the separate 'command' packet). */
export type VideoFrameType = 'keyframe' | 'interframe' | 'disposable' | 'generated';

interface VideoTagBase {
  /** Discriminates VideoTag from AudioTag where both travel together. */
  readonly kind: 'video';
  /** Multitrack videoTrackId; 0 for a tag that is not multitrack. */
  readonly trackId: number;
  /** True when the tag used (or is to use) the E-RTMP extended header. */
  readonly enhanced: boolean;
  /** E-RTMP ModEx TimestampOffsetNano: nanoseconds to add to the tag's millisecond timestamp. */
  readonly timestampOffsetNs?: number;
}

/** SequenceStart / legacy AVC sequence header: the decoder configuration record (avcC, hvcC, av1C, vpcC…). */
export interface VideoSequenceStart extends VideoTagBase {
  readonly packet: 'sequenceStart';
  readonly codec: VideoCodec;
  readonly config: Uint8Array;
}

/** CodedFrames / CodedFramesX / legacy NALUs or Flash-era frame data. */
export interface VideoCodedFrames extends VideoTagBase {
  readonly packet: 'codedFrames';
  readonly codec: VideoCodec;
  readonly frameType: VideoFrameType;
  /** Signed 24-bit composition time offset in ms; 0 for CodedFramesX and codecs without one. */
  readonly compositionTimeMs: number;
  /** One access unit: length-prefixed NAL units, a temporal unit of OBUs, or a VPx frame. */
  readonly data: Uint8Array;
}

/** SequenceEnd / legacy AVC end of sequence. */
export interface VideoSequenceEnd extends VideoTagBase {
  readonly packet: 'sequenceEnd';
  readonly codec: VideoCodec;
}

/** Metadata: AMF-encoded [name, value] pairs such as colorInfo, left as bytes. */
export interface VideoMetadata extends VideoTagBase {
  readonly packet: 'metadata';
  readonly codec: VideoCodec;
  readonly body: Uint8Array;
}

/** MPEG2TSSequenceStart: an MPEG-2 TS video descriptor (the AV1 video descriptor for av01). */
export interface VideoMpeg2TsSequenceStart extends VideoTagBase {
  readonly packet: 'mpeg2TsSequenceStart';
  readonly codec: VideoCodec;
  readonly descriptor: Uint8Array;
}

/** A video info/command frame (frame type 5) with its VideoCommand byte (0 start seek, 1 end seek). */
export interface VideoCommandFrame extends VideoTagBase {
  readonly packet: 'command';
  /** The legacy CodecID's codec; null when enhanced, since the extended command frame has no FourCC. */
  readonly codec: VideoCodec | null;
  readonly command: number;
}

export type VideoTag =
  | VideoSequenceStart
  | VideoCodedFrames
  | VideoSequenceEnd
  | VideoMetadata
  | VideoMpeg2TsSequenceStart
  | VideoCommandFrame;
