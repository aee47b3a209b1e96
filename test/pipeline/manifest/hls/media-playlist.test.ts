// Media playlist serializer: exact text, validation and version rules (RFC 8216 §4.3, §7).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import {
  minimumMediaPlaylistVersion,
  serializeMediaPlaylist,
  type HlsSegmentEntry,
  type MediaPlaylist,
} from '../../../../pipeline/manifest/hls/index.js';
import { T0_MS } from './hls-scenarios.js';

const seg = (sequence: number, durationSec: number, extra: Partial<HlsSegmentEntry> = {}): HlsSegmentEntry => ({
  sequence,
  uri: `seg-${sequence}.ts`,
  durationSec,
  discontinuity: false,
  programDateTimeMs: T0_MS + sequence * 6000,
  ...extra,
});

const base = (over: Partial<MediaPlaylist> = {}): MediaPlaylist => ({
  version: 3,
  targetDurationSec: 6,
  mediaSequence: 7,
  discontinuitySequence: 2,
  independentSegments: true,
  segments: [seg(7, 6.006, { discontinuity: true }), seg(8, 2)],
  endList: false,
  ...over,
});

describe('serializeMediaPlaylist', () => {
  it('writes the header, then DISCONTINUITY, PROGRAM-DATE-TIME, EXTINF and URI per segment', () => {
    expect(serializeMediaPlaylist(base())).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:6',
        '#EXT-X-MEDIA-SEQUENCE:7',
        '#EXT-X-DISCONTINUITY-SEQUENCE:2',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-DISCONTINUITY',
        '#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:42.000Z',
        '#EXTINF:6.006,',
        'seg-7.ts',
        '#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:48.000Z',
        '#EXTINF:2.000,',
        'seg-8.ts',
        '',
      ].join('\n'),
    );
  });

  it('always writes EXT-X-DISCONTINUITY-SEQUENCE, 0 included, and ends every line with \\n', () => {
    const text = serializeMediaPlaylist(base({ discontinuitySequence: 0 }));
    expect(text).toContain('\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\r');
  });

  it('writes PLAYLIST-TYPE, ENDLIST, and omits INDEPENDENT-SEGMENTS when not set', () => {
    const text = serializeMediaPlaylist(base({ playlistType: 'EVENT', endList: true, independentSegments: false }));
    expect(text).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:2\n#EXT-X-PLAYLIST-TYPE:EVENT\n');
    expect(text.endsWith('seg-8.ts\n#EXT-X-ENDLIST\n')).toBe(true);
    expect(text).not.toContain('INDEPENDENT');
  });

  it('writes EXTINF with exactly three decimals, rounded to the millisecond', () => {
    const text = serializeMediaPlaylist(base({ segments: [seg(7, 0.0004 + 1), seg(8, 5.99951), seg(9, 10 / 3)] }));
    expect(text.match(/^#EXTINF:.*$/gm)).toEqual(['#EXTINF:1.000,', '#EXTINF:6.000,', '#EXTINF:3.333,']);
  });

  it('accepts an EXTINF that rounds to the target and rejects one that rounds above it (§4.3.3.1)', () => {
    expect(() => serializeMediaPlaylist(base({ segments: [seg(7, 6.499)] }))).not.toThrow();
    expect(() => serializeMediaPlaylist(base({ segments: [seg(7, 6.5)] }))).toThrow(/rounds to 7 s.*§4\.3\.3\.1/);
    // 6.4996 is written "6.500", which a client rounds to 7: the written value is what counts.
    expect(() => serializeMediaPlaylist(base({ segments: [seg(7, 6.4996)] }))).toThrow(ProtocolError);
  });

  it('with EXT-X-MAP needs version 6 (§7) and writes the URI as a quoted-string', () => {
    expect(minimumMediaPlaylistVersion({})).toBe(3);
    expect(minimumMediaPlaylistVersion({ map: { uri: 'init.mp4' } })).toBe(6);
    expect(() => serializeMediaPlaylist(base({ map: { uri: 'init.mp4' } }))).toThrow(/EXT-X-VERSION 3 is below 6/);
    const text = serializeMediaPlaylist(base({ version: 6, map: { uri: 'init.mp4' } }));
    expect(text).toContain('#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-DISCONTINUITY\n');
  });

  it.each([
    ['a non-integer target', base({ targetDurationSec: 6.5 })],
    ['a zero target', base({ targetDurationSec: 0 })],
    ['a negative media sequence', base({ mediaSequence: -1, segments: [] })],
    ['segments out of sequence', base({ segments: [seg(7, 2), seg(9, 2)] })],
    ['a first segment not at the media sequence', base({ mediaSequence: 6 })],
    ['a URI with a line break', base({ segments: [seg(7, 2, { uri: 'a.ts\n#EXT-X-ENDLIST' })] })],
    ['a URI that reads as a tag', base({ segments: [seg(7, 2, { uri: '#EXT-X-ENDLIST' })] })],
    ['a URI with a space', base({ segments: [seg(7, 2, { uri: 'a b.ts' })] })],
    ['an empty URI', base({ segments: [seg(7, 2, { uri: '' })] })],
    ['a zero duration', base({ segments: [seg(7, 0)] })],
    ['a NaN duration', base({ segments: [seg(7, Number.NaN)] })],
    ['a NaN program date-time', base({ segments: [seg(7, 2, { programDateTimeMs: Number.NaN })] })],
    ['a map URI with a quote', base({ version: 6, map: { uri: 'a".mp4' } })],
  ])('rejects %s with a ProtocolError', (_name, playlist) => {
    expect(() => serializeMediaPlaylist(playlist)).toThrow(ProtocolError);
  });

  it('does not write byteLength (a whole file needs no EXT-X-BYTERANGE)', () => {
    const text = serializeMediaPlaylist(base({ segments: [seg(7, 2, { byteLength: 188 * 1000 })] }));
    expect(text).not.toContain('BYTERANGE');
    expect(text).not.toContain('188000');
  });

  it('writes an empty playlist (no segment yet) with its media sequence', () => {
    expect(serializeMediaPlaylist(base({ segments: [], mediaSequence: 0, discontinuitySequence: 0 }))).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n',
    );
  });
});
