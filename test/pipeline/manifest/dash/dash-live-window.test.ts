// DashTimeline: the time-shift window per Representation and its successor state (ISO/IEC 23009-1 §5.3.9.6, §5.4).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PipelineError, ProtocolError } from '../../../../pipeline/core/errors.js';
import { DashTimeline, type DashSegmentTiming } from '../../../../pipeline/manifest/dash/index.js';

const AST = Date.UTC(2024, 4, 1, 12);

function filled(segments: Readonly<Record<string, readonly DashSegmentTiming[]>>, timescales: Record<string, number>): DashTimeline {
  const tl = new DashTimeline({ availabilityStartTimeMs: AST, timescales });
  for (const [key, list] of Object.entries(segments)) for (const s of list) tl.add(key, s);
  return tl;
}

const even = (n: number, d: number, start = 0): DashSegmentTiming[] => Array.from({ length: n }, (_, i) => ({ t: start + i * d, d }));

describe('DashTimeline.trim', () => {
  it('drops exactly the segments that ended more than keepSec before the newest end', () => {
    const tl = filled({ v: even(10, 180_000) }, { v: 90_000 }); // 10 × 2 s, newest end 20 s
    const removed = tl.trim(6); // keep segments ending at or after 14 s
    expect(removed.map((r) => r.t)).toEqual([0, 180_000, 360_000, 540_000, 720_000, 900_000]);
    expect(tl.segments('v').map((s) => s.t / 90_000)).toEqual([12, 14, 16, 18]);
    expect(tl.trim(6)).toEqual([]);
  });

  it('measures the newest end across timescales exactly and lets a stopped track slide out', () => {
    const tl = filled({ v: even(10, 180_000), a: even(3, 96_000) }, { v: 90_000, a: 48_000 }); // audio stopped at 6 s
    tl.trim(14); // cut-off 6 s: audio's last segment ends exactly there and stays
    expect(tl.segments('a')).toHaveLength(1);
    tl.add('v', { t: 1_800_000, d: 180_000 });
    tl.trim(14);
    expect(tl.segments('a')).toEqual([]);
    expect(tl.representationIds()).toEqual(['v', 'a']);
  });

  it('keeps, for any input, a suffix whose segments all end within keepSec of the newest end', () => {
    const arb = fc.record({
      v: fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 40 }),
      a: fc.array(fc.integer({ min: 1, max: 200_000 }), { maxLength: 40 }),
      keepMs: fc.integer({ min: 0, max: 60_000 }),
    });
    fc.assert(fc.property(arb, ({ v, a, keepMs }) => {
      const seq = (ds: number[]): DashSegmentTiming[] => {
        let t = 0;
        return ds.map((d) => ({ t: (t += d) - d, d }));
      };
      const input = { v: seq(v), a: seq(a) };
      const scales = { v: 90_000, a: 48_000 };
      const tl = filled(input, scales);
      const newest = Math.max(...Object.entries(input).map(([k, s]) => (s.length ? (s[s.length - 1].t + s[s.length - 1].d) / scales[k as 'v' | 'a'] : 0)));
      const removed = tl.trim(keepMs / 1000);
      for (const key of ['v', 'a'] as const) {
        const kept = tl.segments(key);
        const gone = removed.filter((r) => r.repId === key).map(({ t, d }) => ({ t, d }));
        expect([...gone, ...kept]).toEqual(input[key]);
        const cut = newest - keepMs / 1000;
        for (const s of kept) expect((s.t + s.d) / scales[key]).toBeGreaterThanOrEqual(cut - 1e-9);
        for (const s of gone) expect((s.t + s.d) / scales[key]).toBeLessThan(cut + 1e-9);
      }
    }), { numRuns: 300 });
  });
});

describe('DashTimeline.add', () => {
  it('accepts contiguous segments and real gaps, ignores a repeated newest segment, rejects overlap', () => {
    const tl = new DashTimeline({ availabilityStartTimeMs: AST, timescales: { v: 90_000 } });
    expect(tl.add('v', { t: 0, d: 100 })).toBe(true);
    expect(tl.add('v', { t: 100, d: 100 })).toBe(true);
    expect(tl.add('v', { t: 100, d: 100 })).toBe(false);
    expect(tl.add('v', { t: 500, d: 100 })).toBe(true);
    expect(() => tl.add('v', { t: 550, d: 100 })).toThrow(ProtocolError);
    expect(() => tl.add('v', { t: 600, d: 0 })).toThrow(ProtocolError);
    expect(() => tl.add('x', { t: 0, d: 1 })).toThrow(ProtocolError);
    expect(tl.segments('v')).toEqual([{ t: 0, d: 100 }, { t: 100, d: 100 }, { t: 500, d: 100 }]);
  });

  it('declares keys once: a second timescale for the same key is an error', () => {
    const tl = new DashTimeline({ availabilityStartTimeMs: AST, timescales: {} });
    tl.addRepresentation('p1/a', 44_100);
    tl.addRepresentation('p1/a', 44_100);
    expect(() => tl.addRepresentation('p1/a', 48_000)).toThrow(ProtocolError);
    expect(() => tl.addRepresentation('b', 0)).toThrow(ProtocolError);
    expect(() => new DashTimeline({ availabilityStartTimeMs: Number.NaN, timescales: {} })).toThrow(ProtocolError);
  });

  it('reports the newest end and the longest segment in seconds', () => {
    const tl = filled({ v: even(3, 180_180), a: [{ t: 0, d: 144_384 }] }, { v: 90_000, a: 48_000 });
    expect(tl.newestEndSec()).toBeCloseTo(6.006, 9);
    expect(tl.longestSegmentSec()).toBeCloseTo(3.008, 9);
    expect(new DashTimeline({ availabilityStartTimeMs: AST, timescales: {} }).newestEndSec()).toBeUndefined();
  });
});

describe('DashTimeline state', () => {
  it('survives a JSON round trip, and the successor continues exactly as the original would', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 50 }), fc.nat({ max: 49 }), (ds, cut) => {
      const a = new DashTimeline({ availabilityStartTimeMs: AST, timescales: { v: 90_000 } });
      let b = new DashTimeline({ availabilityStartTimeMs: AST, timescales: { v: 90_000 } });
      let t = 0;
      ds.forEach((d, i) => {
        if (i === cut) b = DashTimeline.restore(JSON.parse(JSON.stringify(b.state())));
        for (const tl of [a, b]) {
          tl.add('v', { t, d });
          tl.trim(10);
        }
        t += d;
      });
      expect(b.state()).toEqual(a.state());
      expect(b.availabilityStartTimeMs).toBe(AST);
    }), { numRuns: 200 });
  });

  it('rejects malformed states with ProtocolError only', () => {
    const good = filled({ v: even(3, 100) }, { v: 90_000 }).state();
    const bad: unknown[] = [
      null, 3, {}, { ...good, version: 2 }, { ...good, availabilityStartTimeMs: 'x' }, { ...good, tracks: {} },
      { ...good, tracks: [{ id: '', timescale: 1, segments: [] }] },
      { ...good, tracks: [{ id: 'v', timescale: 0, segments: [] }] },
      { ...good, tracks: [{ id: 'v', timescale: 90_000, segments: [{ t: 100, d: 10 }, { t: 0, d: 10 }] }] },
      { ...good, tracks: [good.tracks[0], good.tracks[0]] },
    ];
    for (const value of bad) expect(() => DashTimeline.restore(value)).toThrow(ProtocolError);
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      try {
        DashTimeline.restore(value);
      } catch (err) {
        expect(err).toBeInstanceOf(PipelineError);
      }
    }));
  });
});
