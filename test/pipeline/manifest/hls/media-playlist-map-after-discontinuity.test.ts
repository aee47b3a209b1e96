// EXT-X-MAP after EXT-X-DISCONTINUITY: a segment that carries both gets the tag even when its init
// section is unchanged (RFC 8216 §4.3.2.5); elsewhere an unchanged map is still not repeated.
import { describe, expect, it } from 'vitest';
import { parseMediaPlaylist } from '../../../../pipeline/inspect/hls-playlist-parser.js';
import { serializeMediaPlaylist, type HlsSegmentEntry, type MediaPlaylist } from '../../../../pipeline/manifest/hls/index.js';
import { HlsPlaylistChecker } from '../../../helpers/hls-playlist-checker.js';

const T0 = Date.UTC(2026, 0, 1);
const seg = (sequence: number, extra: Partial<HlsSegmentEntry> = {}): HlsSegmentEntry => ({
  sequence, uri: `s-${sequence}.m4s`, durationSec: 2, discontinuity: false, programDateTimeMs: T0 + sequence * 2000, ...extra,
});
const vod = (segments: HlsSegmentEntry[]): MediaPlaylist => ({
  version: 6, targetDurationSec: 2, mediaSequence: 0, discontinuitySequence: 0, independentSegments: true,
  playlistType: 'VOD', segments, endList: true, map: { uri: 'init.mp4' },
});
const maps = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('#EXT-X-MAP'));

describe('serializeMediaPlaylist: EXT-X-MAP and discontinuities', () => {
  it('restates an unchanged map after a discontinuity, right after EXT-X-DISCONTINUITY', () => {
    const text = serializeMediaPlaylist(vod([seg(0), seg(1, { discontinuity: true, map: { uri: 'init.mp4' }, programDateTimeMs: T0 + 60_000 })]));
    expect(maps(text)).toEqual(['#EXT-X-MAP:URI="init.mp4"', '#EXT-X-MAP:URI="init.mp4"']);
    expect(text).toContain('#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:01:00.000Z\n#EXTINF:2.000,\ns-1.m4s\n');
    new HlsPlaylistChecker().check(text);
    expect(parseMediaPlaylist(text).segments.map((s) => s.mapUri)).toEqual(['init.mp4', 'init.mp4']);
  });

  it('does not repeat an unchanged map on a segment without a discontinuity', () => {
    const text = serializeMediaPlaylist(vod([seg(0), seg(1, { map: { uri: 'init.mp4' } })]));
    expect(maps(text)).toEqual(['#EXT-X-MAP:URI="init.mp4"']);
  });

  it('writes nothing new for a discontinuity that names no map', () => {
    const text = serializeMediaPlaylist(vod([seg(0), seg(1, { discontinuity: true })]));
    expect(maps(text)).toEqual(['#EXT-X-MAP:URI="init.mp4"']);
  });

  it('still writes a changed map, with or without a discontinuity', () => {
    const text = serializeMediaPlaylist(vod([seg(0), seg(1, { map: { uri: 'b.mp4' } }), seg(2, { discontinuity: true, map: { uri: 'c.mp4' } })]));
    expect(maps(text)).toEqual(['#EXT-X-MAP:URI="init.mp4"', '#EXT-X-MAP:URI="b.mp4"', '#EXT-X-MAP:URI="c.mp4"']);
  });
});
