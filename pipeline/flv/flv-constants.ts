// FLV and Enhanced RTMP wire constants (FLV v10.1 Annex E; E-RTMP v2 "Enhanced Audio"/"Enhanced Video").

/** FLV TagType / RTMP message type ids of media tags (FLV v10.1 E.4.1). */
export const FLV_TAG_TYPE = {
  AUDIO: 8,
  VIDEO: 9,
  SCRIPT_DATA: 18,
} as const;

export type FlvTagType = (typeof FLV_TAG_TYPE)[keyof typeof FLV_TAG_TYPE];

/** Legacy AudioTagHeader SoundFormat UB[4]; 9 switches to the ExAudioTagHeader (E-RTMP v2). */
export const SOUND_FORMAT = {
  LPCM_PLATFORM_ENDIAN: 0,
  ADPCM: 1,
  MP3: 2,
  LPCM_LITTLE_ENDIAN: 3,
  NELLYMOSER_16K_MONO: 4,
  NELLYMOSER_8K_MONO: 5,
  NELLYMOSER: 6,
  G711_A_LAW: 7,
  G711_MU_LAW: 8,
  EX_HEADER: 9,
  AAC: 10,
  SPEEX: 11,
  MP3_8K: 14,
  NATIVE: 15,
} as const;

/** AACPacketType UI8, present when SoundFormat == AAC. */
export const AAC_PACKET_TYPE = {
  SEQUENCE_HEADER: 0,
  RAW: 1,
} as const;

/** Legacy VideoTagHeader CodecID UB[4]. 12 is not in any Adobe spec: it is the HEVC id used by
 *  Chinese CDNs and encoders (SRS, Tencent, Kingsoft) before Enhanced RTMP existed. */
export const VIDEO_CODEC_ID = {
  SORENSON_H263: 2,
  SCREEN: 3,
  ON2_VP6: 4,
  ON2_VP6A: 5,
  SCREEN_V2: 6,
  AVC: 7,
  HEVC_UNOFFICIAL: 12,
} as const;

/** AVCPacketType UI8, present when CodecID == AVC (and, by convention, the unofficial HEVC id). */
export const AVC_PACKET_TYPE = {
  SEQUENCE_HEADER: 0,
  NALU: 1,
  END_OF_SEQUENCE: 2,
} as const;

/** VideoFrameType: UB[4] in the legacy header, UB[3] after IsExVideoHeader in the extended one. */
export const VIDEO_FRAME_TYPE = {
  KEY_FRAME: 1,
  INTER_FRAME: 2,
  DISPOSABLE_INTER_FRAME: 3,
  GENERATED_KEY_FRAME: 4,
  COMMAND: 5,
} as const;

/** VideoCommand UI8 that follows a header whose frame type is Command. */
export const VIDEO_COMMAND = {
  START_SEEK: 0,
  END_SEEK: 1,
} as const;

/** The most significant bit of the first video byte: IsExVideoHeader. */
export const IS_EX_VIDEO_HEADER = 0x80;

/** ExVideoTagHeader VideoPacketType UB[4]. */
export const VIDEO_PACKET_TYPE = {
  SEQUENCE_START: 0,
  CODED_FRAMES: 1,
  SEQUENCE_END: 2,
  CODED_FRAMES_X: 3,
  METADATA: 4,
  MPEG2TS_SEQUENCE_START: 5,
  MULTITRACK: 6,
  MOD_EX: 7,
} as const;

/** ExAudioTagHeader AudioPacketType UB[4] (3 and 6 are reserved). */
export const AUDIO_PACKET_TYPE = {
  SEQUENCE_START: 0,
  CODED_FRAMES: 1,
  SEQUENCE_END: 2,
  MULTICHANNEL_CONFIG: 4,
  MULTITRACK: 5,
  MOD_EX: 7,
} as const;

/** AvMultitrackType UB[4], shared by audio and video. */
export const AV_MULTITRACK_TYPE = {
  ONE_TRACK: 0,
  MANY_TRACKS: 1,
  MANY_TRACKS_MANY_CODECS: 2,
} as const;

/** VideoPacketModExType / AudioPacketModExType UB[4]: the two enums have the same values. */
export const PACKET_MOD_EX_TYPE = {
  TIMESTAMP_OFFSET_NANO: 0,
} as const;

/** ModEx data sizes: UI8 + 1, or when that is 256, UI16 + 1. */
export const MOD_EX_SIZE_ESCAPE = 256;
export const MAX_MOD_EX_DATA_SIZE = 0x10000;

/** TimestampOffsetNano carries a UI24 of nanoseconds in the first three ModEx data bytes. */
export const TIMESTAMP_OFFSET_NANO_SIZE = 3;
export const MAX_TIMESTAMP_OFFSET_NS = 0xffffff;

/** AudioChannelOrder UI8 of a MultichannelConfig packet. */
export const AUDIO_CHANNEL_ORDER = {
  UNSPECIFIED: 0,
  NATIVE: 1,
  CUSTOM: 2,
} as const;

/** VideoFourCc values. */
export const VIDEO_FOURCC = {
  VP8: 'vp08',
  VP9: 'vp09',
  AV1: 'av01',
  AVC: 'avc1',
  HEVC: 'hvc1',
  VVC: 'vvc1',
} as const;

/** AudioFourCc values. */
export const AUDIO_FOURCC = {
  AC3: 'ac-3',
  EAC3: 'ec-3',
  OPUS: 'Opus',
  MP3: '.mp3',
  FLAC: 'fLaC',
  AAC: 'mp4a',
} as const;

/** FLV file header (FLV v10.1 E.2): "FLV", version, type flags, DataOffset. */
export const FLV_SIGNATURE = 'FLV';
export const FLV_VERSION = 1;
export const FLV_HEADER_SIZE = 9;
export const TYPE_FLAGS_AUDIO = 0x04;
export const TYPE_FLAGS_VIDEO = 0x01;

/** FLV tag header (FLV v10.1 E.4.1): flags and TagType, DataSize, Timestamp, TimestampExtended, StreamID. */
export const FLV_TAG_HEADER_SIZE = 11;
export const FLV_TAG_FILTER = 0x20;
export const FLV_TAG_TYPE_MASK = 0x1f;
export const PREVIOUS_TAG_SIZE_SIZE = 4;
export const MAX_FLV_DATA_SIZE = 0xffffff;

/** SI24 range of CompositionTime. */
export const MIN_COMPOSITION_TIME_MS = -0x800000;
export const MAX_COMPOSITION_TIME_MS = 0x7fffff;
