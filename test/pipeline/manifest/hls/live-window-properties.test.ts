// Properties of the live window over random segment durations and discontinuities.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LiveWindow,
  serializeMediaPlaylist,
  type HlsSegmentEntry,
  type LiveWindowOptions,
} from '../../../../pipeline/manifest/hls/index.js';
import { HlsPlaylistChecker } from '../../../helpers/hls-playlist-checker.js';
import { T0_MS, segmentUri } from './hls-scenarios.js';

const TICKS_PER_SECOND = 90_000;

type Op = { kind: 'add'; ticks: number; gapMs: number } | { kind: 'discontinuity' };

/** Options, then operations whose durations (90 kHz ticks) always round to ≤ the target. */
const scenario = fc
  .record({ targetDurationSec: fc.integer({ min: 1, max: 10 }), minSegments: fc.integer({ min: 1, max: 8 }) })
  .chain((opts) => {
    // ticks / 90 ms must round (half up) to at most target·1000 + 499 ms.
    const maxTicks = opts.targetDurationSec * TICKS_PER_SECOND + 44_954;
    const add = fc.record({
      kind: fc.constant('add' as const),
      ticks: fc.integer({ min: 90, max: maxTicks }),
      gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
    });
    const op = fc.oneof({ arbitrary: add, weight: 6 }, { arbitrary: fc.constant({ kind: 'discontinuity' as const }), weight: 1 });
    return fc.record({ opts: fc.constant(opts), ops: fc.array(op, { maxLength: 60 }), end: fc.boolean() });
  });

const ms = (s: HlsSegmentEntry): number => Math.round(s.durationSec * 1000);
const sumMs = (segs: readonly HlsSegmentEntry[]): number => segs.reduce((a, s) => a + ms(s), 0);

/** Applies ops to a window; `clock` carries wall-clock and sequence across windows. */
function apply(w: LiveWindow, ops: readonly Op[], clock: { t: number; n: number }, onAdd?: (r: ReturnType<LiveWindow['add']>) => void): void {
  for (const op of ops) {
    if (op.kind === 'discontinuity') {
      w.markDiscontinuity();
      continue;
    }
    clock.t += op.gapMs;
    const r = w.add({ uri: segmentUri(clock.n), durationSec: op.ticks / TICKS_PER_SECOND, programDateTimeMs: clock.t });
    clock.t += Math.max(1, Math.round(op.ticks / 90));
    clock.n += 1;
    onAdd?.(r);
  }
}

describe('LiveWindow properties', () => {
  it('every version passes the checker; both minimums hold once reachable; the window is no larger than needed; removed = what left', () => {
    fc.assert(
      fc.property(scenario, ({ opts, ops, end }) => {
        const w = new LiveWindow(opts);
        const checker = new HlsPlaylistChecker();
        const all: HlsSegmentEntry[] = [];
        const removedAll: HlsSegmentEntry[] = [];
        const minMs = 3 * opts.targetDurationSec * 1000;
        let before: readonly HlsSegmentEntry[] = [];
        apply(w, ops, { t: T0_MS, n: 0 }, (r) => {
          all.push(r.added);
          removedAll.push(...r.removed);
          const now = w.playlist().segments;
          // Removed segments are exactly those that left: a prefix of (window before + added).
          const candidates = [...before, r.added];
          expect(r.removed).toStrictEqual(candidates.slice(0, r.removed.length));
          expect(now).toStrictEqual(candidates.slice(r.removed.length));
          expect([...removedAll, ...now]).toStrictEqual(all);
          // Both minimums once enough content exists.
          expect(now.length).toBeGreaterThanOrEqual(Math.min(opts.minSegments, all.length));
          if (sumMs(all) >= minMs) expect(sumMs(now)).toBeGreaterThanOrEqual(minMs);
          // No larger than needed: removing the oldest would break one of them.
          expect(now.length - 1 < opts.minSegments || sumMs(now) - ms(now[0]) < minMs).toBe(true);
          // One increment per discontinuity that slid out.
          expect(w.playlist().discontinuitySequence).toBe(removedAll.filter((s) => s.discontinuity).length);
          before = now;
          checker.check(serializeMediaPlaylist(w.playlist()));
        });
        if (end) {
          w.end();
          checker.check(serializeMediaPlaylist(w.playlist()));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('state() → JSON → new LiveWindow(opts, state) continues identically (a successor process)', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ opts, ops }, cut) => {
        const k = ops.length === 0 ? 0 : cut % (ops.length + 1);
        const original = new LiveWindow(opts);
        const first = new LiveWindow(opts);
        const clockA = { t: T0_MS, n: 0 };
        const clockB = { t: T0_MS, n: 0 };
        const removedA: HlsSegmentEntry[][] = [];
        const removedB: HlsSegmentEntry[][] = [];
        apply(original, ops.slice(0, k), clockA, (r) => removedA.push(r.removed));
        apply(first, ops.slice(0, k), clockB, (r) => removedB.push(r.removed));
        const json = JSON.stringify(first.state());
        const successor = new LiveWindow(opts satisfies LiveWindowOptions, JSON.parse(json));
        expect(successor.state()).toStrictEqual(first.state());
        expect(serializeMediaPlaylist(successor.playlist())).toBe(serializeMediaPlaylist(first.playlist()));
        const checker = new HlsPlaylistChecker();
        checker.check(serializeMediaPlaylist(first.playlist()));
        apply(original, ops.slice(k), clockA, (r) => removedA.push(r.removed));
        apply(successor, ops.slice(k), clockB, (r) => {
          removedB.push(r.removed);
          checker.check(serializeMediaPlaylist(successor.playlist()));
        });
        expect(successor.state()).toStrictEqual(original.state());
        expect(JSON.parse(JSON.stringify(removedB))).toStrictEqual(JSON.parse(JSON.stringify(removedA)));
        expect(serializeMediaPlaylist(successor.playlist())).toBe(serializeMediaPlaylist(original.playlist()));
      }),
      { numRuns: 200 },
    );
  });
});
