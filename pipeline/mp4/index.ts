// pipeline/mp4: a recording's CMAF tracks as one progressive, moov-first MP4 (ISO/IEC 14496-12).
export { interleaveByTime, planProgressiveMp4 } from './progressive-mp4.js';
export type { ChunkRef, FragmentTables, PlannedChunk, ProgressiveMp4Input, ProgressiveMp4Plan, ProgressiveMp4Track } from './progressive-mp4.js';
export { timeMovie, type MovieTiming, type TimedFragment, type TimedTrack, type TrackTiming } from './export-timeline.js';
