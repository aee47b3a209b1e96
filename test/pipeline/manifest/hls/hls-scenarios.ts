// Deterministic live-window scenarios shared by the golden-file, checker and window tests.
import { LiveWindow, serializeMediaPlaylist, type LiveWindowOptions } from '../../../../pipeline/manifest/hls/index.js';

/** 2024-05-01T12:00:00.000Z: every scenario's first sample. */
export const T0_MS = Date.UTC(2024, 4, 1, 12, 0, 0);

/** One step of a scenario: a segment (duration in s, optional wall-clock gap before it in ms) or a discontinuity. */
export type Step = { readonly durationSec: number; readonly gapMs?: number } | 'discontinuity' | 'end';

export const segmentUri = (sequence: number, prefix = 'seg'): string => `${prefix}-${String(sequence).padStart(6, '0')}.ts`;

/** Runs the steps on a fresh window and returns every serialized version (one per step) and the window. */
export function runScenario(
  opts: LiveWindowOptions,
  steps: readonly Step[],
  prefix = 'seg',
): { window: LiveWindow; versions: string[] } {
  const window = new LiveWindow(opts);
  const versions: string[] = [];
  let clockMs = T0_MS;
  let sequence = 0;
  for (const step of steps) {
    if (step === 'discontinuity') window.markDiscontinuity();
    else if (step === 'end') window.end();
    else {
      clockMs += step.gapMs ?? 0;
      window.add({ uri: segmentUri(sequence, prefix), durationSec: step.durationSec, programDateTimeMs: clockMs });
      clockMs += Math.round(step.durationSec * 1000);
      sequence += 1;
    }
    versions.push(serializeMediaPlaylist(window.playlist()));
  }
  return { window, versions };
}

/** Durations cycling through a list, as a segmenter cutting at keyframes would produce. */
export function segments(count: number, durations: readonly number[]): Step[] {
  return Array.from({ length: count }, (_, i) => ({ durationSec: durations[i % durations.length] }));
}

/** Golden scenario: 6 s target, 10 segments of an NTSC-rate stream; the window holds the last 6. */
export const LIVE_MID_STREAM: readonly Step[] = segments(10, [6.006, 5.973, 6.006, 4.004, 6.006]);

/** Golden scenario: 2 s target; a publisher reconnect after segment 2 (slid out) and another
 *  after segment 9 (still in the window): EXT-X-DISCONTINUITY-SEQUENCE 1, one DISCONTINUITY left. */
export const DISCONTINUITY_SLID_OUT: readonly Step[] = [
  ...segments(3, [2.002, 1.968]),
  'discontinuity',
  { durationSec: 2.002, gapMs: 4_500 },
  ...segments(6, [2.002, 2.002, 1.335]),
  'discontinuity',
  { durationSec: 2.002, gapMs: 3_000 },
  ...segments(2, [2.002]),
];

/** Golden scenario: 4 s target, 8 segments then EXT-X-ENDLIST; the last segment is short. */
export const ENDED: readonly Step[] = [...segments(7, [4.0, 3.967]), { durationSec: 1.5 }, 'end'];

/** Golden scenario: audio-only AAC, 48 kHz, 1024-sample frames: 93 or 94 frames a segment. */
export const AUDIO_ONLY: readonly Step[] = segments(9, [(94 * 1024) / 48_000, (93 * 1024) / 48_000]);
