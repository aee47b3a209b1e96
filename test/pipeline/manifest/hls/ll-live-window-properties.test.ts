// Properties of the low-latency window over random parts, segments, discontinuities and map changes (rfc8216bis §6.2.2, §6.2.5.1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMediaPlaylist, type ParsedSegment } from '../../../../pipeline/inspect/hls-playlist-parser.js';
import { LlLiveWindow, serializeMediaPlaylist, type LlLiveWindowOptions } from '../../../../pipeline/manifest/hls/index.js';
import { HlsPlaylistChecker, expandDeltaUpdate } from '../../../helpers/hls-playlist-checker.js';
import { T0_MS } from './hls-scenarios.js';
import { llSegmentUri, partUri } from './ll-scenarios.js';

const TICKS_PER_MS = 90;

type Op =
  | { kind: 'segment'; partTicks: number[]; gapMs: number }
  | { kind: 'discontinuity' }
  | { kind: 'map' };

/** Options, then operations whose parts respect PART-TARGET (and its 85 % floor unless exempt)
 *  and whose segments round to at most the target; a final segment may stay open. */
const scenario = fc
  .record({
    targetDurationSec: fc.integer({ min: 1, max: 6 }),
    partsPerTarget: fc.integer({ min: 1, max: 8 }),
    minSegments: fc.integer({ min: 1, max: 24 }),
    audio: fc.boolean(),
  })
  .chain((o) => {
    const partTargetMs = Math.floor((o.targetDurationSec * 1000) / o.partsPerTarget);
    const hi = partTargetMs * TICKS_PER_MS + 44; // rounds to at most PART-TARGET
    const lo = Math.ceil(partTargetMs * 0.85) * TICKS_PER_MS + 45; // rounds to at least 85 %
    const limitTicks = (o.targetDurationSec * 1000 + 499) * TICKS_PER_MS; // EXTINF rounds to ≤ target
    const segment = fc
      .record({
        full: fc.array(fc.integer({ min: o.audio ? 90 : lo, max: hi }), { minLength: Math.max(1, o.partsPerTarget - 2), maxLength: o.partsPerTarget + 1 }),
        last: fc.integer({ min: 90, max: hi }),
        gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })),
      })
      .map(({ full, last, gapMs }): Op => {
        const partTicks: number[] = [];
        let sum = 0;
        for (const t of [...full, last]) {
          if (sum + t > limitTicks) break;
          partTicks.push(t);
          sum += t;
        }
        return { kind: 'segment', partTicks: partTicks.length > 0 ? partTicks : [Math.min(hi, limitTicks)], gapMs };
      });
    const op = fc.oneof(
      { arbitrary: segment, weight: 10 },
      { arbitrary: fc.constant<Op>({ kind: 'discontinuity' }), weight: 1 },
      { arbitrary: fc.constant<Op>({ kind: 'map' }), weight: 1 },
    );
    const opts: LlLiveWindowOptions = {
      targetDurationSec: o.targetDurationSec,
      partTargetSec: partTargetMs / 1000,
      minSegments: o.minSegments,
      mapUri: 'init-0.mp4',
      firstSequence: 5,
    };
    return fc.record({ opts: fc.constant(opts), audio: fc.constant(o.audio), ops: fc.array(op, { maxLength: 50, size: 'max' }), openParts: fc.nat({ max: 3 }) });
  });

interface Clock { t: number; msn: number; maps: number }

/** Applies ops; calls `onChange` after every change (each part and each completed segment). */
function apply(w: LlLiveWindow, ops: readonly Op[], audio: boolean, clock: Clock, onChange: () => void): void {
  for (const op of ops) {
    if (op.kind === 'discontinuity') w.markDiscontinuity();
    else if (op.kind === 'map') {
      clock.maps += 1;
      w.setMap(`init-${clock.maps}.mp4`);
    } else {
      clock.t += op.gapMs;
      op.partTicks.forEach((ticks, i) => {
        w.addPart({ uri: partUri(clock.msn, i), durationSec: ticks / 90_000, independent: audio || i === 0 });
        w.setPreloadHint(partUri(clock.msn, i + 1));
        onChange();
      });
      const ticks = op.partTicks.reduce((a, b) => a + b, 0);
      w.completeSegment({ uri: llSegmentUri(clock.msn), durationSec: ticks / 90_000, programDateTimeMs: clock.t });
      clock.t += Math.max(1, Math.round(ticks / TICKS_PER_MS));
      clock.msn += 1;
      w.setPreloadHint(partUri(clock.msn, 0));
      onChange();
    }
  }
}

function openParts(w: LlLiveWindow, n: number, audio: boolean, clock: Clock, partTargetSec: number, onChange: () => void): void {
  for (let i = 0; i < n; i += 1) {
    w.addPart({ uri: partUri(clock.msn, i), durationSec: partTargetSec, independent: audio || i === 0 });
    onChange();
  }
}

const essentials = (segments: readonly ParsedSegment[]): unknown[] =>
  segments.map((s) => [s.sequence, s.uri, s.durationMs, s.programDateTimeMs, s.discontinuity, s.discontinuitySequence, s.mapUri]);

describe('LlLiveWindow properties', () => {
  it('every version passes the checker with its delta update; a delta expands with the previous full playlist to the current one', () => {
    fc.assert(
      fc.property(scenario, ({ opts, audio, ops, openParts: n }) => {
        const w = new LlLiveWindow(opts);
        const checker = new HlsPlaylistChecker();
        let previousFull: string | undefined;
        const onChange = (): void => {
          const full = serializeMediaPlaylist(w.playlist());
          const delta = serializeMediaPlaylist(w.playlist({ skip: true }));
          checker.checkDelta(full, delta);
          const parsedFull = parseMediaPlaylist(full);
          const parsedDelta = parseMediaPlaylist(delta);
          if (parsedDelta.skippedSegments !== undefined && previousFull !== undefined) {
            expect(essentials(expandDeltaUpdate(parseMediaPlaylist(previousFull), parsedDelta))).toStrictEqual(essentials(parsedFull.segments));
          }
          previousFull = full;
        };
        const clock = { t: T0_MS, msn: 5, maps: 0 };
        apply(w, ops, audio, clock, onChange);
        openParts(w, n, audio, clock, opts.partTargetSec, onChange);
      }),
      { numRuns: 30 },
    );
  });

  it('parts are listed exactly for the segments ending less than 3 × target before the end (within rounding)', () => {
    fc.assert(
      fc.property(scenario, ({ opts, audio, ops, openParts: n }) => {
        const w = new LlLiveWindow(opts);
        const limitMs = 3 * opts.targetDurationSec * 1000;
        const onChange = (): void => {
          const p = w.playlist();
          let distanceMs = (p.pendingParts ?? []).reduce((sum, part) => sum + Math.round(part.durationSec * 1000), 0);
          for (const s of [...p.segments].reverse()) {
            // Never beyond 3 × target; always within it, but for the few ms by which a completed
            // segment's EXTINF and its parts' DURATIONs may disagree (parts never come back).
            if (distanceMs >= limitMs) expect(s.parts).toBeUndefined();
            if (distanceMs < limitMs - 10) expect(s.parts?.length ?? 0).toBeGreaterThan(0);
            distanceMs += Math.round(s.durationSec * 1000);
          }
        };
        const clock = { t: T0_MS, msn: 5, maps: 0 };
        apply(w, ops, audio, clock, onChange);
        openParts(w, n, audio, clock, opts.partTargetSec, onChange);
      }),
      { numRuns: 30 },
    );
  });

  it('state() → JSON → new LlLiveWindow(opts, state) continues identically (a successor process)', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ opts, audio, ops }, cut) => {
        const k = ops.length === 0 ? 0 : cut % (ops.length + 1);
        const original = new LlLiveWindow(opts);
        const first = new LlLiveWindow(opts);
        const clockA = { t: T0_MS, msn: 5, maps: 0 };
        const clockB = { t: T0_MS, msn: 5, maps: 0 };
        apply(original, ops.slice(0, k), audio, clockA, () => {});
        apply(first, ops.slice(0, k), audio, clockB, () => {});
        const successor = new LlLiveWindow(opts, JSON.parse(JSON.stringify(first.state())));
        expect(successor.state()).toStrictEqual(first.state());
        expect(serializeMediaPlaylist(successor.playlist())).toBe(serializeMediaPlaylist(first.playlist()));
        const checker = new HlsPlaylistChecker();
        checker.check(serializeMediaPlaylist(first.playlist()));
        apply(original, ops.slice(k), audio, clockA, () => {});
        apply(successor, ops.slice(k), audio, clockB, () => checker.checkDelta(serializeMediaPlaylist(successor.playlist()), serializeMediaPlaylist(successor.playlist({ skip: true }))));
        expect(successor.state()).toStrictEqual(original.state());
        expect(serializeMediaPlaylist(successor.playlist({ skip: true }))).toBe(serializeMediaPlaylist(original.playlist({ skip: true })));
        expect(successor.edge()).toStrictEqual(original.edge());
      }),
      { numRuns: 30 },
    );
  });
});
