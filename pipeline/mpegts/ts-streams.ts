// How each ingest track maps onto the program: PID, stream_type (ISO/IEC 13818-1 Table 2-34)
// and PES stream_id (Table 2-22). At most one video and one audio track.
import { UnsupportedError } from '../core/errors.js';
import type { AudioTrackInfo, TrackInfo, VideoTrackInfo } from '../ingest/media-types.js';
import {
  AUDIO_PID,
  STREAM_ID_AUDIO,
  STREAM_ID_VIDEO,
  STREAM_TYPE_AAC_ADTS,
  STREAM_TYPE_H264,
  STREAM_TYPE_MPEG1_AUDIO,
  STREAM_TYPE_MPEG2_AUDIO,
  VIDEO_PID,
} from './ts-constants.js';

export interface TsStream {
  readonly track: TrackInfo;
  readonly pid: number;
  readonly streamType: number;
  readonly streamId: number;
}

/** MPEG-1 Layer III has 32, 44.1 and 48 kHz; lower rates are the MPEG-2 LSF extension (ISO/IEC 13818-3). */
const MPEG1_AUDIO_MIN_SAMPLE_RATE = 32_000;

function videoStreamType(track: VideoTrackInfo): number {
  const codec: string = track.config.codec;
  if (codec === 'avc1') return STREAM_TYPE_H264;
  throw new UnsupportedError('MPEG-TS segments carry only H.264 video (HEVC and AV1 go in fMP4)', { codec });
}

function audioStreamType(track: AudioTrackInfo): number {
  const codec: string = track.config.codec;
  if (codec === 'mp4a') return STREAM_TYPE_AAC_ADTS;
  if (codec === '.mp3') return track.sampleRate >= MPEG1_AUDIO_MIN_SAMPLE_RATE ? STREAM_TYPE_MPEG1_AUDIO : STREAM_TYPE_MPEG2_AUDIO;
  throw new UnsupportedError('MPEG-TS segments carry only AAC or MP3 audio', { codec });
}

/** The program's streams, video first; rejects programs Onramp cannot describe. */
export function tsStreamsFor(tracks: readonly TrackInfo[]): { video?: TsStream; audio?: TsStream } {
  let video: TsStream | undefined;
  let audio: TsStream | undefined;
  for (const track of tracks) {
    if (track.kind === 'video') {
      if (video) throw new UnsupportedError('MPEG-TS muxer takes at most one video track', { trackId: track.id });
      video = { track, pid: VIDEO_PID, streamType: videoStreamType(track), streamId: STREAM_ID_VIDEO };
    } else if (track.kind === 'audio') {
      if (audio) throw new UnsupportedError('MPEG-TS muxer takes at most one audio track', { trackId: track.id });
      audio = { track, pid: AUDIO_PID, streamType: audioStreamType(track), streamId: STREAM_ID_AUDIO };
    } else {
      throw new UnsupportedError('unknown track kind', { kind: String((track as { kind: unknown }).kind) });
    }
  }
  if (!video && !audio) throw new UnsupportedError('MPEG-TS muxer needs at least one track');
  return { video, audio };
}

/**
 * Cheap framing check of an audio payload's first two bytes: ADTS (ISO/IEC 13818-7 §6.2,
 * syncword 0xFFF, layer '00') for stream_type 0x0F, an MPEG audio frame sync (11 set bits)
 * for MP3. Raw AAC without ADTS would make a stream no decoder can read.
 */
export function hasAudioSync(stream: TsStream, b0: number | undefined, b1: number | undefined): boolean {
  if (b0 !== 0xff || b1 === undefined) return false;
  return stream.streamType === STREAM_TYPE_AAC_ADTS ? (b1 & 0xf6) === 0xf0 : (b1 & 0xe0) === 0xe0;
}
