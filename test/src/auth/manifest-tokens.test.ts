// Token hand-on in playlists and MPDs, golden input → output: media and multivariant playlists,
// LL-HLS parts, preload hints, rendition reports, delta updates, the MPD's SegmentTemplate; only
// relative URIs change; existing query parameters and everything else stay byte for byte.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeMpd, tokenizePlaylist, withToken } from '../../../src/auth/manifest-tokens.js';

const TOKEN = '1700000000.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const T = `token=${TOKEN}`;
const fixture = (path: string): string => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

describe('withToken', () => {
  it.each([
    ['seg-1.ts', `seg-1.ts?${T}`],
    ['v-1.m4s?x=1', `v-1.m4s?x=1&${T}`],
    ['ll-v.m3u8?_HLS_msn=5&_HLS_part=1', `ll-v.m3u8?_HLS_msn=5&_HLS_part=1&${T}`],
    ['a.m4s?token=old&b=2', `a.m4s?b=2&${T}`],
    ['a.m4s#frag', `a.m4s?${T}#frag`],
    ['/live/x/seg-1.ts', `/live/x/seg-1.ts?${T}`],
    ['../other/seg-1.ts', `../other/seg-1.ts?${T}`],
    ['https://cdn.example/seg-1.ts', 'https://cdn.example/seg-1.ts'],
    ['//cdn.example/seg-1.ts', '//cdn.example/seg-1.ts'],
    ['data:text/plain,x', 'data:text/plain,x'],
    ['', ''],
  ])('%s', (uri, expected) => {
    expect(withToken(uri, TOKEN)).toBe(expected);
  });
});

describe('tokenizePlaylist', () => {
  it('rewrites an LL-HLS media playlist: map, parts, segments, preload hint, rendition report', () => {
    const input = [
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=1.500',
      '#EXT-X-PART-INF:PART-TARGET=0.500',
      '#EXT-X-MEDIA-SEQUENCE:13',
      '#EXT-X-MAP:URI="init-v.mp4"',
      '#EXT-X-SKIP:SKIPPED-SEGMENTS=5',
      '#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:26.000Z',
      '#EXT-X-PART:DURATION=0.500,URI="v-13.0.m4s",INDEPENDENT=YES',
      '#EXT-X-PART:DURATION=0.500,URI="v-13.1.m4s"',
      '#EXTINF:2.000,',
      'v-13.m4s',
      '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="v-14.0.m4s"',
      '#EXT-X-RENDITION-REPORT:URI="ll-a.m3u8",LAST-MSN=13,LAST-PART=3',
      '',
    ].join('\n');
    const expected = [
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=1.500',
      '#EXT-X-PART-INF:PART-TARGET=0.500',
      '#EXT-X-MEDIA-SEQUENCE:13',
      `#EXT-X-MAP:URI="init-v.mp4?${T}"`,
      '#EXT-X-SKIP:SKIPPED-SEGMENTS=5',
      '#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:26.000Z',
      `#EXT-X-PART:DURATION=0.500,URI="v-13.0.m4s?${T}",INDEPENDENT=YES`,
      `#EXT-X-PART:DURATION=0.500,URI="v-13.1.m4s?${T}"`,
      '#EXTINF:2.000,',
      `v-13.m4s?${T}`,
      `#EXT-X-PRELOAD-HINT:TYPE=PART,URI="v-14.0.m4s?${T}"`,
      `#EXT-X-RENDITION-REPORT:URI="ll-a.m3u8?${T}",LAST-MSN=13,LAST-PART=3`,
      '',
    ].join('\n');
    expect(tokenizePlaylist(input, TOKEN)).toBe(expected);
  });

  it('rewrites a multivariant playlist: EXT-X-MEDIA and variant URIs, not the other attributes', () => {
    const out = tokenizePlaylist(fixture('hls/multivariant-av.m3u8'), TOKEN);
    expect(out).toBe(
      fixture('hls/multivariant-av.m3u8').replace('URI="ll-a.m3u8"', `URI="ll-a.m3u8?${T}"`).replace(/^ll-v\.m3u8$/m, `ll-v.m3u8?${T}`),
    );
  });

  it('leaves CRLF line ends, comments and absolute URLs alone', () => {
    const input = '#EXTM3U\r\n# a comment with URI="x"\r\n#EXTINF:2,\r\nhttps://cdn.example/a.ts\r\n#EXTINF:2,\r\nb.ts\r\n';
    expect(tokenizePlaylist(input, TOKEN)).toBe(`#EXTM3U\r\n# a comment with URI="x"\r\n#EXTINF:2,\r\nhttps://cdn.example/a.ts\r\n#EXTINF:2,\r\nb.ts?${T}\r\n`);
  });

  it.each(['hls/ll-live.m3u8', 'hls/ll-live-delta.m3u8', 'hls/live-mid-stream.m3u8', 'hls/ll-reconnect.m3u8', 'hls/multivariant-audio-only.m3u8'])(
    '%s: every URI carries the token and nothing else changes',
    (path) => {
      const input = fixture(path);
      const out = tokenizePlaylist(input, TOKEN);
      const uris = [...out.split('\n').filter((l) => l !== '' && !l.startsWith('#')), ...[...out.matchAll(/URI="([^"]*)"/g)].map((m) => m[1])];
      expect(uris.length).toBeGreaterThan(0);
      for (const uri of uris) expect(uri.endsWith(`?${T}`), uri).toBe(true);
      expect(out.split(`?${T}`).join('')).toBe(input);
    },
  );
});

describe('tokenizeMpd', () => {
  it('rewrites SegmentTemplate media and initialization, and nothing else', () => {
    const input = fixture('dash/live-av-mid-stream.mpd');
    const out = tokenizeMpd(input, TOKEN);
    expect(out).toContain(`initialization="init-v-3fa9c2e1.mp4?${T}" media="$RepresentationID$-$Time$.m4s?${T}"`);
    const templates = [...input.matchAll(/<SegmentTemplate\b/g)].length;
    expect([...out.matchAll(new RegExp(`\\?${T.replace('.', '\\.')}"`, 'g'))].length).toBe(2 * templates);
    expect(out.split(`?${T}`).join('')).toBe(input);
  });

  it('escapes the separator as XML when a template already has a query', () => {
    const input = '<SegmentTemplate timescale="1000" media="v-$Number$.m4s?a=1&amp;b=2" initialization="init.mp4"/>';
    expect(tokenizeMpd(input, TOKEN)).toBe(`<SegmentTemplate timescale="1000" media="v-$Number$.m4s?a=1&amp;b=2&amp;${T}" initialization="init.mp4?${T}"/>`);
  });

  it('leaves other elements with media-like attributes alone', () => {
    const input = '<Representation id="v" media="x"/><BaseURL>https://cdn.example/</BaseURL><UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-iso:2014" value="http://h/api/time"/>';
    expect(tokenizeMpd(input, TOKEN)).toBe(input);
  });
});

it('the rewriters never throw on random input', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      tokenizePlaylist(s, TOKEN);
      tokenizeMpd(s, TOKEN);
      withToken(s, TOKEN);
    }),
  );
});
