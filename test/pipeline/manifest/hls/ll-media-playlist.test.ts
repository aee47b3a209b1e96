// The media playlist model with low-latency fields: what the serializer writes and refuses, the skip and retention arithmetic (rfc8216bis §4.4.3-§4.4.5, §6.2.2, §6.2.5.1).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import {
  firstSegmentListingParts,
  serializeMediaPlaylist,
  skippedSegmentCount,
  toDeltaUpdate,
  type HlsPartEntry,
  type HlsSegmentEntry,
  type MediaPlaylist,
} from '../../../../pipeline/manifest/hls/index.js';
import { T0_MS } from './hls-scenarios.js';

const parts = (msn: number, n: number, sec = 0.5): HlsPartEntry[] =>
  Array.from({ length: n }, (_, i) => ({ uri: `p${msn}.${i}.m4s`, durationSec: sec, independent: i === 0 }));
const seg = (sequence: number, extra: Partial<HlsSegmentEntry> = {}): HlsSegmentEntry => ({
  sequence, uri: `s${sequence}.m4s`, durationSec: 2, discontinuity: false, programDateTimeMs: T0_MS + sequence * 2000, ...extra,
});
const ll = (over: Partial<MediaPlaylist> = {}): MediaPlaylist => ({
  version: 6, targetDurationSec: 2, mediaSequence: 0, discontinuitySequence: 0, independentSegments: true, endList: false,
  map: { uri: 'init.mp4' }, partTargetSec: 0.5,
  serverControl: { canBlockReload: true, canSkipUntilSec: 12, holdBackSec: 6, partHoldBackSec: 1.5 },
  segments: [seg(0), seg(1, { parts: parts(1, 4) })],
  pendingParts: parts(2, 1),
  preloadHint: { type: 'PART', uri: 'p2.1.m4s' },
  ...over,
});

describe('serializeMediaPlaylist with low-latency fields', () => {
  it('writes SERVER-CONTROL and PART-INF after the target, parts before EXTINF, pending parts and the hint last', () => {
    expect(serializeMediaPlaylist(ll())).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,HOLD-BACK=6.000,PART-HOLD-BACK=1.500',
      '#EXT-X-PART-INF:PART-TARGET=0.500',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-DISCONTINUITY-SEQUENCE:0',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MAP:URI="init.mp4"',
      '#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:00.000Z',
      '#EXTINF:2.000,',
      's0.m4s',
      '#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:02.000Z',
      '#EXT-X-PART:DURATION=0.500,URI="p1.0.m4s",INDEPENDENT=YES',
      '#EXT-X-PART:DURATION=0.500,URI="p1.1.m4s"',
      '#EXT-X-PART:DURATION=0.500,URI="p1.2.m4s"',
      '#EXT-X-PART:DURATION=0.500,URI="p1.3.m4s"',
      '#EXTINF:2.000,',
      's1.m4s',
      '#EXT-X-PART:DURATION=0.500,URI="p2.0.m4s",INDEPENDENT=YES',
      '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="p2.1.m4s"',
      '',
    ].join('\n'));
  });

  it('writes EXT-X-MAP only where the map changes, and the pending segment\'s DISCONTINUITY and MAP before its first part', () => {
    const text = serializeMediaPlaylist(ll({
      segments: [seg(0), seg(1, { map: { uri: 'init.mp4' } }), seg(2, { discontinuity: true, map: { uri: 'i2.mp4' } })],
      pendingParts: parts(3, 1), pendingDiscontinuity: true, pendingMap: { uri: 'i3.mp4' }, preloadHint: undefined,
    }));
    expect(text.match(/^#EXT-X-MAP:.*$/gm)).toEqual(['#EXT-X-MAP:URI="init.mp4"', '#EXT-X-MAP:URI="i2.mp4"', '#EXT-X-MAP:URI="i3.mp4"']);
    expect(text).toContain('s1.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="i2.mp4"\n#EXT-X-PROGRAM-DATE-TIME');
    expect(text.endsWith('s2.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="i3.mp4"\n#EXT-X-PART:DURATION=0.500,URI="p3.0.m4s",INDEPENDENT=YES\n')).toBe(true);
  });

  it('writes EXT-X-SKIP before the first listed segment, whose sequence counts the skipped ones', () => {
    const text = serializeMediaPlaylist(ll({ version: 9, mediaSequence: 10, skippedSegments: 3, segments: [seg(13)], pendingParts: [], preloadHint: undefined }));
    expect(text).toContain('#EXT-X-MEDIA-SEQUENCE:10\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n#EXT-X-PROGRAM-DATE-TIME');
  });

  const bad: readonly [string, Partial<MediaPlaylist>][] = [
    ['parts without PART-TARGET', { partTargetSec: undefined, serverControl: { canBlockReload: true } }],
    ['PART-TARGET above the target', { partTargetSec: 2.5, serverControl: { canBlockReload: true, partHoldBackSec: 7.5 } }],
    ['no PART-HOLD-BACK with PART-INF', { serverControl: { canBlockReload: true } }],
    ['PART-HOLD-BACK under 2 × PART-TARGET', { serverControl: { canBlockReload: true, partHoldBackSec: 0.999 } }],
    ['HOLD-BACK under 3 × target', { serverControl: { canBlockReload: true, partHoldBackSec: 1.5, holdBackSec: 5.999 } }],
    ['CAN-SKIP-UNTIL under 6 × target', { serverControl: { canBlockReload: true, partHoldBackSec: 1.5, canSkipUntilSec: 11.999 } }],
    ['a part above PART-TARGET', { pendingParts: parts(2, 1, 0.501) }],
    ['a segment whose first part is dependent', { pendingParts: [{ uri: 'p2.0.m4s', durationSec: 0.5, independent: false }] }],
    ['parts not adding up to the segment', { segments: [seg(0), seg(1, { parts: parts(1, 3) })] }],
    ['a part URI listed twice', { pendingParts: [...parts(2, 1), { uri: 'p2.0.m4s', durationSec: 0.5, independent: false }] }],
    ['a part URI equal to a segment URI', { pendingParts: [{ uri: 's0.m4s', durationSec: 0.5, independent: true }] }],
    ['a hint naming a listed part', { preloadHint: { type: 'PART', uri: 'p2.0.m4s' } }],
    ['a hint with EXT-X-ENDLIST', { endList: true, pendingParts: [] }],
    ['pending parts with EXT-X-ENDLIST', { endList: true, preloadHint: undefined }],
    ['EXT-X-SKIP without CAN-SKIP-UNTIL', { version: 9, skippedSegments: 1, segments: [seg(1, { parts: parts(1, 4) })], serverControl: { canBlockReload: true, partHoldBackSec: 1.5 } }],
    ['EXT-X-SKIP with sequence numbers not counting the skipped segments', { version: 9, skippedSegments: 1 }],
    ['an unsafe map URI on a segment', { segments: [seg(0), seg(1, { parts: parts(1, 4), map: { uri: 'a b.mp4' } })] }],
  ];
  for (const [name, over] of bad) {
    it(`refuses ${name}`, () => expect(() => serializeMediaPlaylist(ll(over))).toThrow(ProtocolError));
  }
});

describe('skip boundary and part retention arithmetic', () => {
  it('skippedSegmentCount: skipped only when the segment ends strictly more than the boundary before the last end', () => {
    expect(skippedSegmentCount([2000, 2000, 2000, 2000, 2000, 2000, 2000], 12_000)).toBe(0); // first ends 12 s before
    expect(skippedSegmentCount([2000, 2000, 2000, 2000, 2000, 2000, 2001], 12_000)).toBe(1);
    expect(skippedSegmentCount([5000, 1000, 6000, 6000, 1], 12_000)).toBe(2);
    expect(skippedSegmentCount([], 12_000)).toBe(0);
  });

  it('firstSegmentListingParts: kept while the end lies less than 3 × target before the end of the playlist', () => {
    expect(firstSegmentListingParts([2000, 2000, 2000, 2000], 0, 2)).toBe(1); // ends 6, 4, 2, 0 s before
    expect(firstSegmentListingParts([2000, 2000, 2000, 2000], 1, 2)).toBe(1);
    expect(firstSegmentListingParts([2000, 2000, 2000, 2000], 2001, 2)).toBe(2);
    expect(firstSegmentListingParts([2000], 6000, 2)).toBe(1);
    expect(firstSegmentListingParts([], 500, 2)).toBe(0);
  });

  it('toDeltaUpdate keeps media and discontinuity sequence, moves the header map to the one in effect, raises the version', () => {
    const segments = Array.from({ length: 9 }, (_, i) => seg(i, i === 1 ? { discontinuity: true, map: { uri: 'i1.mp4' } } : {}));
    const full = ll({ segments, pendingParts: [], preloadHint: undefined, discontinuitySequence: 4 });
    const delta = toDeltaUpdate(full);
    expect(delta.skippedSegments).toBe(2); // segments 0 and 1 end 16 and 14 s before the end
    expect(delta.mediaSequence).toBe(0);
    expect(delta.discontinuitySequence).toBe(4);
    expect(delta.map).toEqual({ uri: 'i1.mp4' });
    expect(delta.version).toBe(9);
    expect(delta.segments.map((s) => s.sequence)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(toDeltaUpdate({ ...full, endList: true })).toEqual({ ...full, endList: true });
    expect(toDeltaUpdate({ ...full, serverControl: { canBlockReload: true, partHoldBackSec: 1.5 } }).skippedSegments).toBeUndefined();
  });
});
