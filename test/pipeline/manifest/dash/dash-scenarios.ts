// Live DASH scenarios for the golden MPDs: segment timings of keyframe-aligned A/V streams (ISO/IEC 23009-1 §5.3.9.6, §5.4).
import {
  buildLiveMpd,
  DashTimeline,
  serializeMpd,
  type DashLiveSettings,
  type DashPeriodDescription,
  type DashSegmentTiming,
  type DashTrackDescription,
  type LiveMpd,
} from '../../../../pipeline/manifest/dash/index.js';

/** Media time 0 is 2024-05-01T12:00:00.000Z. */
export const AST_MS = Date.UTC(2024, 4, 1, 12, 0, 0);
/** Contains "&" so that the goldens show attribute escaping. */
export const UTC_TIMING_URL = 'https://origin.example/api/time?format=iso&precision=ms';
export const SETTINGS: DashLiveSettings = {
  minimumUpdatePeriodSec: 2,
  timeShiftBufferDepthSec: 30,
  suggestedPresentationDelaySec: 6,
  minBufferTimeSec: 4,
  maxSegmentDurationSec: 4,
  utcTimingUrl: UTC_TIMING_URL,
};

const MEDIA = '$RepresentationID$-$Time$.m4s';
const VIDEO_TS = 90_000;
const NTSC_FRAME = 3003;
const AAC_FRAME = 1024;

export const VIDEO_720P: DashTrackDescription = {
  id: 'v', contentType: 'video', mimeType: 'video/mp4', codecs: 'avc1.64001f', bandwidth: 2_500_000,
  timescale: VIDEO_TS, initialization: 'init-v-3fa9c2e1.mp4', media: MEDIA, width: 1280, height: 720, frameRate: 30000 / 1001,
};
export const AUDIO_48K: DashTrackDescription = {
  id: 'a', contentType: 'audio', mimeType: 'audio/mp4', codecs: 'mp4a.40.2', bandwidth: 128_000,
  timescale: 48_000, initialization: 'init-a-9b07d4aa.mp4', media: MEDIA, audioSamplingRate: 48_000, audioChannels: 2,
};

/** One step: the segments completed together (one per track), then trim, build and serialize. */
export type Step = readonly { readonly key: string; readonly t: number; readonly d: number }[];

export interface Scenario {
  readonly timescales: Readonly<Record<string, number>>;
  readonly periods: readonly DashPeriodDescription[];
  readonly steps: readonly Step[];
  readonly ended?: boolean;
  /** Hand the window to a successor (state → JSON → restore) before this step. */
  readonly handoffBefore?: number;
}

/** Segment boundaries in ticks from GOP lengths in frames. */
export function boundaries(startTick: number, frameTicks: number, gops: readonly number[]): number[] {
  const out = [startTick];
  for (const g of gops) out.push(out[out.length - 1] + g * frameTicks);
  return out;
}

/** Audio cut at the first frame starting at or after each video cut (frames counted from media time 0). */
export function audioBoundaries(video: readonly number[], audioTs: number, frame = AAC_FRAME): number[] {
  return video.map((v) => Math.ceil((v * audioTs) / (VIDEO_TS * frame)) * frame);
}

export function toSegments(bounds: readonly number[]): DashSegmentTiming[] {
  return bounds.slice(1).map((b, i) => ({ t: bounds[i], d: b - bounds[i] }));
}

/** Steps adding segment i of every listed track together. */
export function zipSteps(tracks: Readonly<Record<string, readonly DashSegmentTiming[]>>): Step[] {
  const lists = Object.entries(tracks);
  const n = Math.max(...lists.map(([, s]) => s.length));
  return Array.from({ length: n }, (_, i) => lists.flatMap(([key, s]) => (s[i] ? [{ key, ...s[i] }] : [])));
}

export interface ScenarioRun {
  readonly models: LiveMpd[];
  readonly versions: string[];
  readonly timeline: DashTimeline;
}

/** Adds each step, trims to timeShiftBufferDepth, publishes at the newest segment end. */
export function runScenario(s: Scenario, settings: DashLiveSettings = SETTINGS): ScenarioRun {
  let timeline = new DashTimeline({ availabilityStartTimeMs: AST_MS, timescales: s.timescales });
  const models: LiveMpd[] = [];
  const versions: string[] = [];
  s.steps.forEach((step, i) => {
    if (i === s.handoffBefore) timeline = DashTimeline.restore(JSON.parse(JSON.stringify(timeline.state())));
    for (const seg of step) timeline.add(seg.key, { t: seg.t, d: seg.d });
    timeline.trim(settings.timeShiftBufferDepthSec);
    const publishTimeMs = AST_MS + Math.ceil((timeline.newestEndSec() ?? 0) * 1000);
    const ended = s.ended === true && i === s.steps.length - 1;
    const mpd = buildLiveMpd(timeline, { settings, periods: s.periods, publishTimeMs, ended });
    models.push(mpd);
    versions.push(serializeMpd(mpd));
  });
  return { models, versions, timeline };
}

const GOPS = [60, 60, 60, 45, 60, 60, 90, 60, 60, 60];
const LIVE_VIDEO = boundaries(0, NTSC_FRAME, Array.from({ length: 40 }, (_, i) => GOPS[i % GOPS.length]));

/** 40 segments of 29.97 fps video (1.5 to 3 s GOPs) and 48 kHz AAC; the 30 s window has slid. */
export const LIVE_AV: Scenario = {
  timescales: { v: VIDEO_TS, a: 48_000 },
  periods: [{ id: '0', startSec: 0, representations: [VIDEO_720P, AUDIO_48K] }],
  steps: zipSteps({ v: toSegments(LIVE_VIDEO), a: toSegments(audioBoundaries(LIVE_VIDEO, 48_000)) }),
  handoffBefore: 25,
};

/** AAC at 44.1 kHz alone, cut every 86 or 87 frames (about 2 s). */
export const AUDIO_ONLY: Scenario = {
  timescales: { a: 44_100 },
  periods: [{
    id: '0', startSec: 0,
    representations: [{ ...AUDIO_48K, codecs: 'mp4a.40.2', bandwidth: 96_000, timescale: 44_100, audioSamplingRate: 44_100, audioChannels: 1 }],
  }],
  steps: zipSteps({ a: toSegments(boundaries(0, AAC_FRAME, Array.from({ length: 24 }, (_, i) => (i % 3 === 2 ? 87 : 86)))) }),
};

const VIDEO_ONLY_BOUNDS = boundaries(0, 3600, Array.from({ length: 12 }, () => 50));
const AFTER_GAP = boundaries(VIDEO_ONLY_BOUNDS[12] + 108_000, 3600, [50, 50, 50, 50, 25, 50, 50]);

/** HEVC at 25 fps in 2 s GOPs, with a real 1.2 s gap (publisher away) that needs an explicit S@t. */
export const VIDEO_ONLY: Scenario = {
  timescales: { v: VIDEO_TS },
  periods: [{
    id: '0', startSec: 0,
    representations: [{ ...VIDEO_720P, codecs: 'hvc1.1.6.L93.B0', bandwidth: 1_800_000, initialization: 'init-v-51c0ffee.mp4', frameRate: 25 }],
  }],
  steps: zipSteps({ v: [...toSegments(VIDEO_ONLY_BOUNDS), ...toSegments(AFTER_GAP)] }),
};

const ENDED_VIDEO = boundaries(0, NTSC_FRAME, [60, 60, 60, 60, 60, 60, 60, 30]);

/** Eight A/V segments, the last one short, then the stream ends: the final static MPD. */
export const ENDED: Scenario = {
  timescales: { v: VIDEO_TS, a: 48_000 },
  periods: [{ id: '0', startSec: 0, representations: [VIDEO_720P, AUDIO_48K] }],
  steps: zipSteps({ v: toSegments(ENDED_VIDEO), a: toSegments(audioBoundaries(ENDED_VIDEO, 48_000)) }),
  ended: true,
};

const P0_VIDEO = boundaries(0, 3000, Array.from({ length: 10 }, () => 60));
/** The publisher reconnected with 1080p and 44.1 kHz audio; media time went on, 0.5 s later. */
const P1_START_TICK = P0_VIDEO[10] + 45_000;
const P1_VIDEO = boundaries(P1_START_TICK, 3000, Array.from({ length: 12 }, () => 60));

/** Two Periods: the codec configuration changed at 20.5 s; the first Period is partly trimmed. */
export const TWO_PERIODS: Scenario = {
  timescales: { 'p0/v': VIDEO_TS, 'p0/a': 48_000, 'p1/v': VIDEO_TS, 'p1/a': 44_100 },
  periods: [
    {
      id: '0', startSec: 0,
      representations: [{ ...VIDEO_720P, frameRate: 30, timelineKey: 'p0/v' }, { ...AUDIO_48K, timelineKey: 'p0/a' }],
    },
    {
      id: '1', startSec: P1_START_TICK / VIDEO_TS,
      representations: [
        { ...VIDEO_720P, codecs: 'avc1.640028', bandwidth: 5_000_000, width: 1920, height: 1080, frameRate: 30,
          initialization: 'init-v-7d2e9a10.mp4', timelineKey: 'p1/v' },
        { ...AUDIO_48K, timescale: 44_100, audioSamplingRate: 44_100, initialization: 'init-a-c4f1b233.mp4', timelineKey: 'p1/a' },
      ],
    },
  ],
  steps: [
    ...zipSteps({ 'p0/v': toSegments(P0_VIDEO), 'p0/a': toSegments(audioBoundaries(P0_VIDEO, 48_000)) }),
    ...zipSteps({ 'p1/v': toSegments(P1_VIDEO), 'p1/a': toSegments(audioBoundaries(P1_VIDEO, 44_100)) }),
  ],
};
