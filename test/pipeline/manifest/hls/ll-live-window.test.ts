// LlLiveWindow: part retention, skip boundary, map and discontinuity placement, preload hint, edge, errors (rfc8216bis §4.4.3.7-§4.4.5.3, §6.2.2, §6.2.5).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { LlLiveWindow, serializeMediaPlaylist, type LlLiveWindowOptions } from '../../../../pipeline/manifest/hls/index.js';
import { T0_MS } from './hls-scenarios.js';
import { llSegments, partUri, runLlScenario } from './ll-scenarios.js';

const OPTS: LlLiveWindowOptions = { targetDurationSec: 2, partTargetSec: 0.5, mapUri: 'init.mp4', minSegments: 12 };
const listedParts = (w: LlLiveWindow): string[] =>
  [...w.playlist().segments.flatMap((s) => s.parts ?? []), ...(w.playlist().pendingParts ?? [])].map((p) => p.uri);

describe('LlLiveWindow', () => {
  it('starts empty: header tags of low latency, version 6 for EXT-X-MAP, no segment', () => {
    const w = new LlLiveWindow(OPTS);
    expect(serializeMediaPlaylist(w.playlist())).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,HOLD-BACK=6.000,PART-HOLD-BACK=1.500',
      '#EXT-X-PART-INF:PART-TARGET=0.500',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-DISCONTINUITY-SEQUENCE:0',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MAP:URI="init.mp4"',
      '',
    ].join('\n'));
    expect(w.edge()).toEqual({ msn: 0, part: -1 });
  });

  it('PART-HOLD-BACK is exactly 3 × the written PART-TARGET', () => {
    const w = new LlLiveWindow({ ...OPTS, targetDurationSec: 4, partTargetSec: 1 / 3 });
    expect(serializeMediaPlaylist(w.playlist())).toContain('CAN-SKIP-UNTIL=24.000,HOLD-BACK=12.000,PART-HOLD-BACK=0.999\n#EXT-X-PART-INF:PART-TARGET=0.333\n');
  });

  it('lists parts only for segments ending less than 3 × target before the end, pending parts included', () => {
    const { window: w } = runLlScenario(OPTS, llSegments(5, 4, 0.5));
    // Ends of segments 0..4 lie 8, 6, 4, 2, 0 s before the end: 2, 3, 4 keep their parts.
    expect(w.playlist().segments.map((s) => s.parts?.length ?? 0)).toEqual([0, 0, 4, 4, 4]);
    w.addPart({ uri: partUri(5, 0), durationSec: 0.5, independent: true });
    // Segment 2 now ends 4.5 s before the end: still listed. One part later it is 5 s, then 6 s.
    expect(w.playlist().segments.map((s) => s.parts?.length ?? 0)).toEqual([0, 0, 4, 4, 4]);
    w.addPart({ uri: partUri(5, 1), durationSec: 0.5, independent: false });
    w.addPart({ uri: partUri(5, 2), durationSec: 0.5, independent: false });
    expect(w.playlist().segments[2].parts).toHaveLength(4); // 5.5 s
    w.addPart({ uri: partUri(5, 3), durationSec: 0.5, independent: false });
    expect(w.playlist().segments[2].parts).toBeUndefined(); // exactly 6 s: no longer "within"
    expect(listedParts(w)).toHaveLength(12);
  });

  it('parts that stopped being listed never return, even if the end moves back by a rounding', () => {
    const { window: w } = runLlScenario(OPTS, llSegments(3, 4, 0.5));
    for (let i = 0; i < 4; i += 1) w.addPart({ uri: partUri(3, i), durationSec: 0.5, independent: i === 0 });
    // Segment 0 now ends exactly 6 s before the end: its parts go.
    expect(w.playlist().segments.map((s) => s.parts?.length ?? 0)).toEqual([0, 4, 4]);
    // The segment is 1 ms shorter than its parts (allowed: rounding), so the end moves back 1 ms
    // and segment 0 ends 5.999 s before it; its parts stay gone (§6.2.2: removed in order).
    w.completeSegment({ uri: 'v-3.m4s', durationSec: 1.999, programDateTimeMs: T0_MS + 6000 });
    expect(w.playlist().segments.map((s) => s.parts?.length ?? 0)).toEqual([0, 4, 4, 4]);
  });

  it('a delta update skips exactly the segments ending more than CAN-SKIP-UNTIL before the last one', () => {
    const { window: w } = runLlScenario(OPTS, llSegments(8, 4, 0.5));
    // 8 segments of 2 s: segment 0 ends 14 s before the last one's end, segment 1 12 s (not more).
    const delta = w.playlist({ skip: true });
    expect(delta.skippedSegments).toBe(1);
    expect(delta.mediaSequence).toBe(0);
    expect(delta.version).toBe(9);
    expect(delta.segments[0].sequence).toBe(1);
    const short = runLlScenario(OPTS, llSegments(7, 4, 0.5)).window;
    expect(short.playlist({ skip: true })).toStrictEqual(short.playlist()); // nothing beyond 12 s
  });

  it('an ended playlist ignores skip and carries no preload hint', () => {
    const { window: w } = runLlScenario(OPTS, [...llSegments(9, 4, 0.5), 'end']);
    expect(w.playlist({ skip: true })).toStrictEqual(w.playlist());
    expect(w.playlist().preloadHint).toBeUndefined();
    expect(w.playlist().endList).toBe(true);
  });

  it('the preload hint disappears when its part is listed', () => {
    const w = new LlLiveWindow(OPTS);
    w.setPreloadHint('v-0.0.m4s');
    expect(w.playlist().preloadHint).toEqual({ type: 'PART', uri: 'v-0.0.m4s' });
    w.addPart({ uri: 'v-0.0.m4s', durationSec: 0.5, independent: true });
    expect(w.playlist().preloadHint).toBeUndefined();
  });

  it('removed segments report all their parts, listed or not, for deletion', () => {
    const w = new LlLiveWindow({ ...OPTS, minSegments: 3 });
    const removed: string[] = [];
    let t = T0_MS;
    for (let s = 0; s < 5; s += 1) {
      for (let i = 0; i < 4; i += 1) w.addPart({ uri: partUri(s, i), durationSec: 0.5, independent: i === 0 });
      const r = w.completeSegment({ uri: `v-${s}.m4s`, durationSec: 2, programDateTimeMs: t });
      removed.push(...r.removed.flatMap((e) => [e.uri, ...(e.parts ?? []).map((p) => p.uri)]));
      t += 2000;
    }
    expect(removed).toEqual(['v-0.m4s', 'v-0.0.m4s', 'v-0.1.m4s', 'v-0.2.m4s', 'v-0.3.m4s', 'v-1.m4s', 'v-1.0.m4s', 'v-1.1.m4s', 'v-1.2.m4s', 'v-1.3.m4s']);
  });

  it('edge() names the newest part present, as LAST-MSN / LAST-PART do', () => {
    const w = new LlLiveWindow({ ...OPTS, firstSequence: 40 });
    expect(w.edge()).toEqual({ msn: 40, part: -1 });
    w.addPart({ uri: 'a.m4s', durationSec: 0.5, independent: true });
    w.addPart({ uri: 'b.m4s', durationSec: 0.5, independent: false });
    expect(w.edge()).toEqual({ msn: 40, part: 1 });
    w.completeSegment({ uri: 's40.m4s', durationSec: 1, programDateTimeMs: T0_MS });
    expect(w.edge()).toEqual({ msn: 40, part: 1 });
    w.addPart({ uri: 'c.m4s', durationSec: 0.5, independent: true });
    expect(w.edge()).toEqual({ msn: 41, part: 0 });
  });

  it('reloadStatus follows §6.2.5.2: ready, wait, or 400', () => {
    const w = new LlLiveWindow({ ...OPTS, firstSequence: 10 });
    for (let i = 0; i < 4; i += 1) w.addPart({ uri: partUri(10, i), durationSec: 0.5, independent: i === 0 });
    w.completeSegment({ uri: 'v-10.m4s', durationSec: 2, programDateTimeMs: T0_MS });
    w.addPart({ uri: partUri(11, 0), durationSec: 0.5, independent: true });
    expect(w.reloadStatus({})).toBe('ready');
    expect(w.reloadStatus({ msn: 10 })).toBe('ready');
    expect(w.reloadStatus({ msn: 11 })).toBe('wait'); // segment 11 is not complete
    expect(w.reloadStatus({ msn: 11, part: 0 })).toBe('ready');
    expect(w.reloadStatus({ msn: 11, part: 1 })).toBe('wait');
    expect(w.reloadStatus({ msn: 10, part: 4 })).toBe('ready'); // beyond the last part of 10: part 0 of 11
    expect(w.reloadStatus({ msn: 12, part: 0 })).toBe('wait');
    expect(w.reloadStatus({ msn: 13 })).toBe('bad-request'); // more than last + 2
    expect(w.reloadStatus({ msn: 11, part: 7 })).toBe('bad-request'); // 6 parts ahead, limit 3 / 0.5 = 6
    expect(w.reloadStatus({ msn: 11, part: 6 })).toBe('wait');
    expect(w.reloadStatus({ part: 1 })).toBe('bad-request'); // _HLS_part without _HLS_msn
    expect(w.reloadStatus({ msn: -1 })).toBe('bad-request');
    w.completeSegment({ uri: 'v-11.m4s', durationSec: 0.5, programDateTimeMs: T0_MS + 2000 });
    expect(w.reloadStatus({ msn: 11, part: 1 })).toBe('wait'); // means part 0 of 12
    w.end();
    expect(w.reloadStatus({ msn: 12, part: 3 })).toBe('ready'); // ignored after EXT-X-ENDLIST
  });

  const errors: readonly [string, (w: LlLiveWindow) => void][] = [
    ['a part longer than PART-TARGET', (w) => w.addPart({ uri: 'p.m4s', durationSec: 0.501, independent: true })],
    ['a first part that is not independent', (w) => w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: false })],
    ['an unsafe part URI', (w) => w.addPart({ uri: 'p 1.m4s', durationSec: 0.5, independent: true })],
    ['a part URI twice', (w) => { w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true }); w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: false }); }],
    ['a segment whose parts do not add up', (w) => { w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true }); w.completeSegment({ uri: 's.m4s', durationSec: 0.6, programDateTimeMs: T0_MS }); }],
    ['a discontinuity after the first part of its segment', (w) => {
      w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true });
      w.completeSegment({ uri: 's.m4s', durationSec: 0.5, programDateTimeMs: T0_MS });
      w.addPart({ uri: 'q.m4s', durationSec: 0.5, independent: true });
      w.markDiscontinuity();
    }],
    ['a map change after the first part of its segment', (w) => { w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true }); w.setMap('init-2.mp4'); }],
    ['ending with a segment in progress', (w) => { w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true }); w.end(); }],
    ['a hint naming a listed part', (w) => { w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true }); w.setPreloadHint('p.m4s'); }],
    ['a part after the end', (w) => { w.end(); w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true }); }],
    ['a hint after the end', (w) => { w.end(); w.setPreloadHint('p.m4s'); }],
  ];
  for (const [name, act] of errors) {
    it(`refuses ${name} with a ProtocolError`, () => {
      expect(() => act(new LlLiveWindow(OPTS))).toThrow(ProtocolError);
    });
  }

  it('a discontinuity before the first complete segment is a no-op, parts in progress or not', () => {
    const w = new LlLiveWindow(OPTS);
    w.markDiscontinuity();
    w.addPart({ uri: 'p.m4s', durationSec: 0.5, independent: true });
    w.markDiscontinuity();
    w.completeSegment({ uri: 's.m4s', durationSec: 0.5, programDateTimeMs: T0_MS });
    expect(w.playlist().segments[0].discontinuity).toBe(false);
    w.markDiscontinuity();
    w.addPart({ uri: 'q.m4s', durationSec: 0.5, independent: true });
    expect(w.playlist().pendingDiscontinuity).toBe(true);
    expect(serializeMediaPlaylist(w.playlist())).toContain('s.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-PART:DURATION=0.500,URI="q.m4s",INDEPENDENT=YES\n');
  });

  it('refuses a part target above the target duration, or none', () => {
    expect(() => new LlLiveWindow({ ...OPTS, partTargetSec: 2.5 })).toThrow(ProtocolError);
    expect(() => new LlLiveWindow({ ...OPTS, partTargetSec: 0 })).toThrow(ProtocolError);
    expect(() => new LlLiveWindow({ ...OPTS, mapUri: '#init' })).toThrow(ProtocolError);
  });
});
