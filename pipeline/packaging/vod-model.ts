// What a finished (or crashed) recording holds, as the VOD manifests and the MP4 export need it:
// its CMAF files, grouped into periods. A period starts with the recording, at every change of the
// track configuration and at every reconnect of the publisher (a discontinuity). No I/O.
import type { TrackLetter } from './cmaf-packager.js';

export interface VodTrack {
  readonly letter: TrackLetter;
  readonly kind: 'video' | 'audio';
  /** RFC 6381, e.g. avc1.64001f, mp4a.40.2. */
  readonly codecString: string;
  readonly timescale: number;
  /** File name of the init segment, e.g. init-v-3fa9c2d1.mp4. */
  readonly init: string;
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: number;
  readonly sampleRate?: number;
  readonly channels?: number;
}

export interface VodSegment {
  readonly letter: TrackLetter;
  /** File name, e.g. v-152950000000.m4s (named by its start tick). */
  readonly uri: string;
  /** tfdt of its first sample and its duration, in the track's timescale. */
  readonly startTicks: number;
  readonly durationTicks: number;
  readonly bytes: number;
  /** Wall-clock time of its first sample (EXT-X-PROGRAM-DATE-TIME). */
  readonly programDateTimeMs: number;
}

export interface VodPeriod {
  readonly tracks: readonly VodTrack[];
  /** Every track's segments, each track's in decode order (tracks may be interleaved). */
  readonly segments: readonly VodSegment[];
}

export interface VodRecording {
  /** In order; periods after the first follow a discontinuity. Empty periods are allowed and skipped. */
  readonly periods: readonly VodPeriod[];
}

/** File names of the VOD manifests of a recording folder. */
export const VOD_MULTIVARIANT = 'index.m3u8';
export const VOD_MPD = 'index.mpd';
export const VOD_MP4 = 'recording.mp4';
export function vodMediaPlaylistName(letter: TrackLetter): string {
  return `${letter}.m3u8`;
}
