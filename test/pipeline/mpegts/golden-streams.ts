// The scripts behind the golden TS files in test/fixtures/mpegts/: tiny synthetic H.264 and AAC
// frames with B-frame reordering, two segments each, and a 250 ms video gap that needs a PCR fill.
import type { TrackInfo } from '../../../pipeline/ingest/media-types.js';
import { toMpegClock } from '../../../pipeline/mpegts/mpeg-clock.js';
import type { SampleStep, Step } from './mux-steps.js';
import { AUDIO_TRACK, VIDEO_TRACK, adtsFrame, h264AccessUnit } from './synthetic-tracks.js';

const BASE_90K = 900_000; // 10 s
const BASE_AUDIO = 441_000; // 10 s at 44.1 kHz

/** I P B B | I P: decode order with composition offsets, sizes that hit several stuffing cases. */
const VIDEO_FRAMES: { dts: number; pts: number; key: boolean; size: number; aud?: boolean }[] = [
  { dts: 0, pts: 6000, key: true, size: 400 },
  { dts: 3000, pts: 15_000, key: false, size: 150 },
  { dts: 6000, pts: 9000, key: false, size: 30 },
  { dts: 9000, pts: 12_000, key: false, size: 159 }, // 6 + 3 + 159 + 19 = 187: one byte over a packet
  { dts: 12_000, pts: 18_000, key: true, size: 600, aud: true },
  { dts: 37_500, pts: 37_500, key: false, size: 1 }, // 250 ms later: PCR-only packets fill the gap
];

const AUDIO_SIZES = [200, 5, 170, 1, 400, 162, 60, 90];

function videoSteps(): SampleStep[] {
  return VIDEO_FRAMES.map((f, n) => ({
    track: VIDEO_TRACK,
    dts: BASE_90K + f.dts,
    pts: BASE_90K + f.pts,
    keyframe: f.key,
    payload: h264AccessUnit(f.key, f.size, n, f.aud ?? false),
  }));
}

function audioSteps(count: number): SampleStep[] {
  return AUDIO_SIZES.slice(0, count).map((size, n) => ({
    track: AUDIO_TRACK,
    dts: BASE_AUDIO + n * 1024,
    pts: BASE_AUDIO + n * 1024,
    keyframe: true,
    payload: [adtsFrame(size, n)],
  }));
}

const at90k = (s: SampleStep): number => toMpegClock(s.dts, s.track.timescale);

/** Samples in decode-time order (video first on ties), with PAT/PMT before each keyframe (segment start). */
function interleave(samples: SampleStep[], segmentEvery: (s: SampleStep, i: number) => boolean): Step[] {
  const sorted = [...samples].sort((a, b) => at90k(a) - at90k(b) || (a.track.kind === 'video' ? -1 : 1));
  const steps: Step[] = [];
  sorted.forEach((s, i) => {
    if (i === 0 || segmentEvery(s, i)) steps.push('tables');
    steps.push(s);
  });
  return steps;
}

export interface GoldenCase {
  readonly name: string;
  readonly tracks: readonly TrackInfo[];
  readonly steps: readonly Step[];
}

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'video-audio',
    tracks: [VIDEO_TRACK, AUDIO_TRACK],
    steps: interleave([...videoSteps(), ...audioSteps(8)], (s) => s.track.kind === 'video' && s.keyframe),
  },
  { name: 'audio-only', tracks: [AUDIO_TRACK], steps: interleave(audioSteps(8), (_s, i) => i === 5) },
  { name: 'video-only', tracks: [VIDEO_TRACK], steps: interleave(videoSteps(), (s) => s.keyframe) },
];
