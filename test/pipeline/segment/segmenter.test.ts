// Segment cuts: keyframe-aligned for video, by time for audio-only; the declared target duration
// is fixed when the first segment closes and every later segment stays within it when rounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../pipeline/ingest/media-types.js';
import { SampleInterleaver } from '../../../pipeline/segment/sample-interleaver.js';
import { Segmenter } from '../../../pipeline/segment/segmenter.js';

const video = (dts: number, keyframe: boolean): Sample => ({ trackId: 1, dts, pts: dts, duration: 0, keyframe, data: new Uint8Array(1) });

/** Runs 30 fps video with keyframes at the given times (seconds) through a segmenter. */
function segmentDurations(keyframesSec: number[], totalSec: number, targetSec = 2): { durations: number[]; declared: number | undefined } {
  const seg = new Segmenter({ targetDurationSec: targetSec, referenceTrackId: 1, referenceTimescale: 90_000, keyframeAligned: true });
  const keys = new Set(keyframesSec.map((s) => Math.round(s * 30)));
  const durations: number[] = [];
  for (let f = 0; f < totalSec * 30; f++) {
    const d = seg.decide(video(f * 3000, keys.has(f)));
    if (d.closedTicks !== undefined) durations.push(d.closedTicks / 90_000);
  }
  return { durations, declared: seg.declaredTargetSec };
}

const every = (intervalSec: number, totalSec: number): number[] => Array.from({ length: Math.ceil(totalSec / intervalSec) }, (_, i) => i * intervalSec);

describe('Segmenter', () => {
  it.each([
    [1, 2, [2, 2, 2]],
    [2, 2, [2, 2, 2]],
    [4, 4, [4, 4]],
    [10, 10, [10]],
  ])('with keyframes every %i s declares %i s and cuts on keyframes', (gop, declared, firstDurations) => {
    const r = segmentDurations(every(gop, 40), 40);
    expect(r.declared).toBe(declared);
    expect(r.durations.slice(0, firstDurations.length)).toEqual(firstDurations);
    for (const d of r.durations) expect(Math.round(d)).toBeLessThanOrEqual(declared);
  });

  it('keeps every rounded duration within the declared target for irregular GOPs', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.2, max: 12, noNaN: true }), { minLength: 1, maxLength: 30 }), (gaps) => {
        const keys = [0];
        for (const g of gaps) keys.push(keys[keys.length - 1] + g);
        const r = segmentDurations(keys, Math.ceil(keys[keys.length - 1]) + 1);
        if (r.declared === undefined) return;
        for (const d of r.durations) expect(Math.round(d), `duration ${d} with target ${r.declared}`).toBeLessThanOrEqual(r.declared);
      }),
    );
  });

  it('starts only on a keyframe and drops what comes before', () => {
    const seg = new Segmenter({ targetDurationSec: 2, referenceTrackId: 1, referenceTimescale: 90_000, keyframeAligned: true });
    expect(seg.decide(video(0, false)).cut).toBe(false);
    expect(seg.decide(video(3000, true))).toEqual({ cut: true, reason: 'first' });
  });

  it('cuts audio-only streams by time', () => {
    const seg = new Segmenter({ targetDurationSec: 2, referenceTrackId: 2, referenceTimescale: 48_000, keyframeAligned: false });
    const cuts: number[] = [];
    for (let i = 0; i < 500; i++) {
      const d = seg.decide({ trackId: 2, dts: i * 1024, pts: i * 1024, duration: 1024, keyframe: true, data: new Uint8Array(1) });
      if (d.closedTicks !== undefined) cuts.push(d.closedTicks);
    }
    // 2 s at 48 kHz is 93.75 frames: a cut at the first frame boundary at or after 1.95 s.
    expect(cuts[0]).toBe(92 * 1024);
    expect(seg.declaredTargetSec).toBe(2);
  });

  it('cuts at the next keyframe after cutSoon(), however short the segment', () => {
    const seg = new Segmenter({ targetDurationSec: 2, referenceTrackId: 1, referenceTimescale: 90_000, keyframeAligned: true });
    seg.decide(video(0, true));
    seg.cutSoon();
    expect(seg.decide(video(3000, false)).cut).toBe(false);
    expect(seg.decide(video(6000, true))).toMatchObject({ cut: true, reason: 'keyframe', closedTicks: 6000 });
  });
});

describe('SampleInterleaver', () => {
  const a = (dts: number): Sample => ({ trackId: 2, dts, pts: dts, duration: 1024, keyframe: true, data: new Uint8Array(1) });
  it('releases samples of two tracks in decode-time order', () => {
    const il = new SampleInterleaver();
    il.setTracks(new Map([[1, 90_000], [2, 48_000]]));
    const out: Sample[] = [];
    out.push(...il.push(a(0)), ...il.push(a(1024)), ...il.push(video(0, true)), ...il.push(video(3000, false)), ...il.push(a(2048)));
    out.push(...il.flush());
    const times = out.map((s) => s.dts / (s.trackId === 1 ? 90_000 : 48_000));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(out.length).toBe(5);
  });

  it('does not stall when one track goes silent', () => {
    const il = new SampleInterleaver();
    il.setTracks(new Map([[1, 90_000], [2, 48_000]]));
    const out: Sample[] = [];
    for (let i = 0; i < 60; i++) out.push(...il.push(video(i * 3000, i === 0)));
    expect(out.length, 'released once one second of video is held').toBeGreaterThan(25);
  });
});
