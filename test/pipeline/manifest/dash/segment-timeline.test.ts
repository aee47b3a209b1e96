// compressTimeline / expandTimeline: S@t, S@d, S@r run-length form (ISO/IEC 23009-1 §5.3.9.6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../../pipeline/core/errors.js';
import { compressTimeline, expandTimeline, type DashSegmentTiming } from '../../../../pipeline/manifest/dash/index.js';

/** Oldest-first segments with real gaps now and then and runs of repeated durations. */
const timelineArb = fc
  .record({
    start: fc.nat({ max: 2 ** 40 }),
    parts: fc.array(
      fc.record({ gap: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 200_000 })), d: fc.constantFrom(180_180, 90_090, 96_256, 1, 3003) }),
      { maxLength: 60 },
    ),
  })
  .map(({ start, parts }) => {
    const out: DashSegmentTiming[] = [];
    let t = start;
    for (const [i, p] of parts.entries()) {
      if (i > 0) t += p.gap;
      out.push({ t, d: p.d });
      t += p.d;
    }
    return out;
  });

describe('compressTimeline', () => {
  it('expands back to exactly the input segments', () => {
    fc.assert(fc.property(timelineArb, (segments) => {
      expect(expandTimeline(compressTimeline(segments))).toEqual(segments);
    }), { numRuns: 500 });
  });

  it('writes @t on the first S and on exactly the S that follow a gap, and never two mergeable S in a row', () => {
    fc.assert(fc.property(timelineArb, (segments) => {
      const entries = compressTimeline(segments);
      const gaps = segments.filter((s, i) => i > 0 && s.t !== segments[i - 1].t + segments[i - 1].d).length;
      expect(entries.filter((e) => e.t !== undefined)).toHaveLength(segments.length === 0 ? 0 : 1 + gaps);
      if (entries.length > 0) expect(entries[0].t).toBe(segments[0].t);
      entries.forEach((e, i) => {
        if (i > 0 && e.t === undefined) expect(e.d).not.toBe(entries[i - 1].d);
        if (e.r !== undefined) expect(e.r).toBeGreaterThan(0);
      });
    }), { numRuns: 500 });
  });

  it('compresses runs and restates t after a gap', () => {
    const segments = [
      { t: 1000, d: 180_180 }, { t: 181_180, d: 180_180 }, { t: 361_360, d: 180_180 },
      { t: 541_540, d: 90_090 },
      { t: 700_000, d: 90_090 }, { t: 790_090, d: 90_090 },
    ];
    expect(compressTimeline(segments)).toEqual([
      { t: 1000, d: 180_180, r: 2 },
      { d: 90_090 },
      { t: 700_000, d: 90_090, r: 1 },
    ]);
    expect(compressTimeline([])).toEqual([]);
  });

  it('rejects overlapping, unordered, fractional, negative or empty segments with a PipelineError', () => {
    const bad: DashSegmentTiming[][] = [
      [{ t: 0, d: 100 }, { t: 50, d: 100 }],
      [{ t: 500, d: 100 }, { t: 0, d: 100 }],
      [{ t: 0.5, d: 100 }],
      [{ t: -1, d: 100 }],
      [{ t: 0, d: 0 }],
      [{ t: 2 ** 53, d: 1 }],
    ];
    for (const segments of bad) expect(() => compressTimeline(segments)).toThrow(PipelineError);
  });

  it('expandTimeline rejects a negative @r and an S@t that goes back in time', () => {
    expect(() => expandTimeline([{ t: 0, d: 10, r: -1 }])).toThrow(PipelineError);
    expect(() => expandTimeline([{ t: 100, d: 10 }, { t: 50, d: 10 }])).toThrow(PipelineError);
  });
});
