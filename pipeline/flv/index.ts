// pipeline/flv: FLV tag bodies (legacy and Enhanced RTMP) ↔ typed tags, and FLV files ↔ records.
export * from './flv-constants.js';
export type { AudioCodec, VideoCodec } from './flv-codecs.js';
export type * from './video-tag-types.js';
export type * from './audio-tag-types.js';
export type { FlvHeader, FlvRecord } from './flv-record.js';
export { decodeVideoTag, encodeVideoTag } from './video-tag.js';
export { decodeAudioTag, encodeAudioTag } from './audio-tag.js';
export { isAudioCodedFrame, isAudioSequenceHeader, isVideoCodedFrame, isVideoKeyframe, isVideoSequenceHeader } from './tag-peek.js';
export { FlvFileReader } from './flv-file-reader.js';
export { encodeFlvHeader, encodeFlvRecord } from './flv-file-writer.js';
