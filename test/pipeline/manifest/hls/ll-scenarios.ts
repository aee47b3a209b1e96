// Deterministic low-latency window scenarios shared by the golden-file, checker and property tests.
import {
  LlLiveWindow,
  serializeMediaPlaylist,
  type LlLiveWindowOptions,
} from '../../../../pipeline/manifest/hls/index.js';
import { T0_MS } from './hls-scenarios.js';

/** One step: a segment made of parts (durations in s; an optional wall-clock gap before it in ms;
 *  only the first part is independent unless `allIndependent`, as for audio; `open` leaves it in
 *  progress), or a change between segments. */
export type LlStep =
  | { readonly parts: readonly number[]; readonly gapMs?: number; readonly allIndependent?: boolean; readonly open?: boolean }
  | 'discontinuity'
  | { readonly map: string }
  | 'end';

export const partUri = (msn: number, index: number, prefix = 'v'): string => `${prefix}-${msn}.${index}.m4s`;
export const llSegmentUri = (msn: number, prefix = 'v'): string => `${prefix}-${msn}.m4s`;

/** A playlist version: after each part and each completed segment. */
export interface LlVersion {
  readonly full: string;
  readonly delta: string;
}

export interface LlRun {
  readonly window: LlLiveWindow;
  readonly versions: LlVersion[];
  /** Where the clock and numbering stand, to continue on another window. */
  readonly clock: { t: number; msn: number };
}

/** Runs steps on a window (a fresh one unless given), recording the full and delta text after
 *  every change; the preload hint always names the next part (of the same segment, or after a
 *  completed segment, the first part of the next). */
export function runLlScenario(
  opts: LlLiveWindowOptions,
  steps: readonly LlStep[],
  start: { window?: LlLiveWindow; clock?: { t: number; msn: number }; prefix?: string } = {},
): LlRun {
  const window = start.window ?? new LlLiveWindow(opts);
  const clock = start.clock ?? { t: T0_MS, msn: opts.firstSequence ?? 0 };
  const prefix = start.prefix ?? 'v';
  const versions: LlVersion[] = [];
  const record = (): void => {
    versions.push({ full: serializeMediaPlaylist(window.playlist()), delta: serializeMediaPlaylist(window.playlist({ skip: true })) });
  };
  for (const step of steps) {
    if (step === 'discontinuity') window.markDiscontinuity();
    else if (step === 'end') window.end();
    else if ('map' in step) window.setMap(step.map);
    else {
      clock.t += step.gapMs ?? 0;
      step.parts.forEach((durationSec, i) => {
        window.addPart({ uri: partUri(clock.msn, i, prefix), durationSec, independent: i === 0 || step.allIndependent === true });
        window.setPreloadHint(partUri(clock.msn, i + 1, prefix));
        record();
      });
      if (step.open !== true) {
        const durationSec = step.parts.reduce((a, b) => a + b, 0);
        window.completeSegment({ uri: llSegmentUri(clock.msn, prefix), durationSec, programDateTimeMs: clock.t });
        clock.t += Math.round(durationSec * 1000);
        clock.msn += 1;
        window.setPreloadHint(partUri(clock.msn, 0, prefix)); // the next segment's first part
      }
    }
    record();
  }
  return { window, versions, clock };
}

/** `count` segments of `partsPerSegment` parts of `partSec` each. */
export function llSegments(count: number, partsPerSegment: number, partSec: number): LlStep[] {
  return Array.from({ length: count }, () => ({ parts: Array.from({ length: partsPerSegment }, () => partSec) }));
}

/** Golden scenario: target 2 s, parts of 0.5 s (4 a segment), 14 segments and 2 parts of the
 *  15th; window of 12: parts listed for the last three segments, delta skips the oldest. */
export const LL_LIVE: readonly LlStep[] = [...llSegments(14, 4, 0.5), { parts: [0.5, 0.5], open: true }];

/** Golden scenario: target 2 s, window of 12; a publisher reconnect with a new initialization
 *  section before segment 5 (a short one), and a second one, with another map, for the segment in
 *  progress. The delta skips segments 1-5, so its header EXT-X-MAP is the second map. */
export const LL_RECONNECT: readonly LlStep[] = [
  ...llSegments(5, 4, 0.5),
  'discontinuity',
  { map: 'init-1.mp4' },
  { parts: [0.5, 0.5, 0.5, 0.334], gapMs: 2_500 },
  ...llSegments(7, 4, 0.5),
  'discontinuity',
  { map: 'init-2.mp4' },
  { parts: [0.5, 0.5], gapMs: 1_000, open: true },
];

const AAC_FRAME_SEC = 1024 / 48_000;
/** Golden scenario: audio only, 48 kHz AAC (21.333 ms frames), target 2 s, part target 0.5 s: parts
 *  of 23 frames (0.491 s), segments of 94 frames ending in a 2-frame part; every part independent. */
export const LL_AUDIO: readonly LlStep[] = Array.from({ length: 8 }, () => ({
  parts: [23, 23, 23, 23, 2].map((frames) => frames * AAC_FRAME_SEC),
  allIndependent: true,
}));
