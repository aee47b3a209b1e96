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

  it('releases a keyframe at once when the audio already sent ends after it', () => {
    const il = new SampleInterleaver();
    il.setTracks(new Map([[1, 90_000], [2, 48_000]]));
    expect(il.push(video(0, true)), 'nothing known of the audio yet').toEqual([]);
    expect(il.push(a(0)).map((s) => s.trackId), 'audio 0–21.3 ms: the video at 0 goes first').toEqual([1]);
    expect(il.push(video(3000, false)).map((s) => s.trackId), 'the video at 33 ms waits: audio may still come before it').toEqual([2]);
    expect(il.push(a(1024)).map((s) => s.trackId), 'audio 21.3–42.7 ms: the video at 33 ms can go').toEqual([2, 1]);
    // Audio ends at 42.7 ms, so a keyframe at 40 ms cannot be preceded by anything still to come.
    expect(il.push(video(3600, true)).map((s) => s.dts), 'the keyframe is released by its own push').toEqual([3600]);
  });

  it('keeps one decode-time order for any arrival order that keeps each track in order (property)', () => {
    // Audio frames of 1024 at 48 kHz, contiguous or after a gap; video at 30 fps; ties on purpose
    // (video every 3000 ticks and audio on a 1500-tick grid meet at whole multiples).
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 120 }), fc.array(fc.constantFrom(0, 0, 0, 512), { maxLength: 60 }), (arrival, gaps) => {
        const il = new SampleInterleaver();
        il.setTracks(new Map([[1, 90_000], [2, 48_000]]));
        const audio: Sample[] = [];
        let at = 0;
        for (let i = 0; i < 60; i++) {
          at += gaps[i] ?? 0;
          audio.push({ trackId: 2, dts: at, pts: at, duration: 1024, keyframe: true, data: new Uint8Array(1) });
          at += 1024;
        }
        const vid = Array.from({ length: 40 }, (_, i) => video(i * 3000, i % 30 === 0));
        const out: Sample[] = [];
        let ai = 0;
        let vi = 0;
        for (const audioNext of arrival) {
          if ((audioNext && ai < audio.length) || vi >= vid.length) out.push(...il.push(audio[ai++]));
          else out.push(...il.push(vid[vi++]));
        }
        out.push(...il.flush());
        expect(out.length).toBe(ai + vi);
        const key = (s: Sample) => [s.dts / (s.trackId === 1 ? 90_000 : 48_000), s.trackId] as const;
        for (let i = 1; i < out.length; i++) {
          const [t0, id0] = key(out[i - 1]);
          const [t1, id1] = key(out[i]);
          expect(t1 > t0 || (t1 === t0 && id1 >= id0), `sample ${i} (track ${id1} at ${t1}) after track ${id0} at ${t0}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not stall when one track goes silent', () => {
    const il = new SampleInterleaver();
    il.setTracks(new Map([[1, 90_000], [2, 48_000]]));
    const out: Sample[] = [];
    for (let i = 0; i < 60; i++) out.push(...il.push(video(i * 3000, i === 0)));
    expect(out.length, 'released once one second of video is held').toBeGreaterThan(25);
  });
});
