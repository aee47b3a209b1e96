// The live window: both minimums, discontinuity sequence, rejections, end (RFC 8216 §6.2.2).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { DEFAULT_MIN_SEGMENTS, LiveWindow, serializeMediaPlaylist } from '../../../../pipeline/manifest/hls/index.js';
import { T0_MS, segmentUri } from './hls-scenarios.js';

function fill(w: LiveWindow, durations: readonly number[], first = 0): void {
  let t = T0_MS + first * 10_000;
  durations.forEach((d, i) => {
    w.add({ uri: segmentUri(first + i), durationSec: d, programDateTimeMs: t });
    t += Math.round(d * 1000);
  });
}

const sequences = (w: LiveWindow): number[] => w.playlist().segments.map((s) => s.sequence);

describe('LiveWindow', () => {
  it('grows from nothing, removing nothing until both minimums hold', () => {
    const w = new LiveWindow({ targetDurationSec: 6, minSegments: 3 });
    expect(w.playlist()).toMatchObject({ mediaSequence: 0, segments: [], endList: false, version: 3 });
    fill(w, [6, 6, 6]);
    expect(sequences(w)).toEqual([0, 1, 2]);
    const r = w.add({ uri: segmentUri(3), durationSec: 6, programDateTimeMs: T0_MS + 18_000 });
    expect(r.added).toMatchObject({ sequence: 3, discontinuity: false });
    expect(r.removed.map((s) => s.sequence)).toEqual([0]);
    expect(w.playlist().mediaSequence).toBe(1);
  });

  it('keeps 3 × target of content when that needs more segments than minSegments', () => {
    const w = new LiveWindow({ targetDurationSec: 6, minSegments: 3 });
    fill(w, Array<number>(20).fill(2));
    expect(w.playlist().segments).toHaveLength(9); // 18 s
  });

  it('keeps minSegments when that is more than 3 × target', () => {
    const w = new LiveWindow({ targetDurationSec: 2 });
    fill(w, Array<number>(20).fill(2));
    expect(w.playlist().segments).toHaveLength(DEFAULT_MIN_SEGMENTS);
  });

  it('removes several short segments at once when a long one arrives', () => {
    const w = new LiveWindow({ targetDurationSec: 6, minSegments: 2 });
    fill(w, [1, 1, 1, 1, 1, 1, 6, 6, 6]);
    expect(sequences(w)).toEqual([6, 7, 8]);
    const r = new LiveWindow({ targetDurationSec: 6, minSegments: 2 });
    fill(r, [1, 1, 1, 1, 1, 1, 6, 6]);
    const out = r.add({ uri: 'x.ts', durationSec: 6, programDateTimeMs: T0_MS + 99_000 });
    expect(out.removed.map((s) => s.sequence)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('increments EXT-X-DISCONTINUITY-SEQUENCE when a discontinuity segment slides out', () => {
    const w = new LiveWindow({ targetDurationSec: 2, minSegments: 3 });
    fill(w, [2, 2]);
    w.markDiscontinuity();
    w.markDiscontinuity(); // twice is still one discontinuity
    fill(w, [2], 2);
    expect(w.playlist().segments.map((s) => s.discontinuity)).toEqual([false, false, true]);
    fill(w, [2, 2], 3);
    expect(w.playlist()).toMatchObject({ mediaSequence: 2, discontinuitySequence: 0 });
    fill(w, [2], 5);
    expect(w.playlist()).toMatchObject({ mediaSequence: 3, discontinuitySequence: 1 });
    expect(w.state().discontinuitySequence).toBe(1);
  });

  it('starts a new playlist at firstSequence', () => {
    const w = new LiveWindow({ targetDurationSec: 2, firstSequence: 40 });
    expect(w.playlist().mediaSequence).toBe(40);
    expect(w.add({ uri: 'a.ts', durationSec: 2, programDateTimeMs: T0_MS }).added.sequence).toBe(40);
    expect(serializeMediaPlaylist(w.playlist())).toContain('#EXT-X-MEDIA-SEQUENCE:40\n');
  });

  it('ignores markDiscontinuity before the first segment', () => {
    const w = new LiveWindow({ targetDurationSec: 2 });
    w.markDiscontinuity();
    fill(w, [2]);
    expect(w.playlist().segments[0].discontinuity).toBe(false);
  });

  it('end() writes EXT-X-ENDLIST, removes nothing, is idempotent and refuses further changes', () => {
    const w = new LiveWindow({ targetDurationSec: 4 });
    fill(w, [4, 4]);
    w.markDiscontinuity();
    w.end();
    w.end();
    expect(w.playlist()).toMatchObject({ endList: true, mediaSequence: 0 });
    expect(w.state()).toMatchObject({ ended: true, pendingDiscontinuity: false });
    expect(serializeMediaPlaylist(w.playlist()).endsWith('#EXT-X-ENDLIST\n')).toBe(true);
    expect(() => fill(w, [4], 2)).toThrow(/has ended/);
    expect(() => w.markDiscontinuity()).toThrow(ProtocolError);
  });

  it('rejects a segment whose rounded duration exceeds the target, naming §4.3.3.1', () => {
    const w = new LiveWindow({ targetDurationSec: 6 });
    expect(() => fill(w, [6.5])).toThrow(ProtocolError);
    expect(() => fill(w, [6.5])).toThrow(/seg-000000\.ts: EXTINF 6\.500 rounds to 7 s, above EXT-X-TARGETDURATION 6 \(RFC 8216 §4\.3\.3\.1\)/);
    fill(w, [6.499]);
    expect(w.playlist().segments).toHaveLength(1);
  });

  it.each([
    ['a zero duration', { uri: 'b.ts', durationSec: 0, programDateTimeMs: T0_MS + 10_000 }],
    ['a duplicate URI', { uri: 'a.ts', durationSec: 1, programDateTimeMs: T0_MS + 10_000 }],
    ['a date that does not increase', { uri: 'b.ts', durationSec: 1, programDateTimeMs: T0_MS }],
    ['a date in the same millisecond', { uri: 'b.ts', durationSec: 1, programDateTimeMs: T0_MS + 0.4 }],
    ['a negative byteLength', { uri: 'b.ts', durationSec: 1, programDateTimeMs: T0_MS + 10_000, byteLength: -1 }],
    ['an unsafe URI', { uri: 'b.ts\n#EXT-X-ENDLIST', durationSec: 1, programDateTimeMs: T0_MS + 10_000 }],
  ])('rejects %s and leaves the window unchanged', (_name, segment) => {
    const w = new LiveWindow({ targetDurationSec: 6 });
    w.add({ uri: 'a.ts', durationSec: 2, programDateTimeMs: T0_MS });
    const before = w.state();
    expect(() => w.add(segment)).toThrow(ProtocolError);
    expect(w.state()).toStrictEqual(before);
  });

  it.each([
    { targetDurationSec: 0 },
    { targetDurationSec: 2.5 },
    { targetDurationSec: 6, minSegments: 0 },
    { targetDurationSec: 6, minSegments: 1.5 },
    { targetDurationSec: 6, firstSequence: -1 },
  ])('rejects options %j', (opts) => {
    expect(() => new LiveWindow(opts)).toThrow(ProtocolError);
  });

  it('returns snapshots: a later add does not change an earlier playlist() or state()', () => {
    const w = new LiveWindow({ targetDurationSec: 2, minSegments: 1 });
    fill(w, [2, 2, 2]);
    const p = w.playlist();
    const s = w.state();
    fill(w, [2, 2], 3);
    expect(p.segments.map((e) => e.sequence)).toEqual([0, 1, 2]);
    expect(s.segments.map((e) => e.sequence)).toEqual([0, 1, 2]);
  });

  it('writes EXT-X-MAP with version 6 for fMP4 and can leave out INDEPENDENT-SEGMENTS', () => {
    const w = new LiveWindow({ targetDurationSec: 2, independentSegments: false, map: { uri: 'init.mp4' } });
    fill(w, [2]);
    const text = serializeMediaPlaylist(w.playlist());
    expect(text).toContain('#EXT-X-VERSION:6\n');
    expect(text).toContain('#EXT-X-MAP:URI="init.mp4"\n');
    expect(text).not.toContain('INDEPENDENT');
  });

  it('keeps byteLength in the entry and the state', () => {
    const w = new LiveWindow({ targetDurationSec: 2 });
    w.add({ uri: 'a.ts', durationSec: 2, programDateTimeMs: T0_MS, byteLength: 376 });
    w.add({ uri: 'b.ts', durationSec: 2, programDateTimeMs: T0_MS + 2000 });
    expect(w.state().segments.map((s) => s.byteLength)).toEqual([376, undefined]);
    expect('byteLength' in w.state().segments[1]).toBe(false);
  });
});
