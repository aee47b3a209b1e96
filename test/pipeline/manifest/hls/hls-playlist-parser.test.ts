// The strict media playlist parser of pipeline/inspect (RFC 8216 §4.1-§4.3).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { attributeOf, parseMediaPlaylist } from '../../../../pipeline/inspect/hls-playlist-parser.js';
import { T0_MS } from './hls-scenarios.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/hls/${name}`, import.meta.url)), 'utf8');

const HEAD = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n';

function ruleOf(text: string): { rule: unknown; line: unknown } {
  try {
    parseMediaPlaylist(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    const { rule, line } = (err as ProtocolError).context;
    return { rule, line };
  }
  throw new Error('expected a syntax error');
}

describe('parseMediaPlaylist', () => {
  it('reads the discontinuity golden file: header values, segments, sequences and dates', () => {
    const p = parseMediaPlaylist(fixture('discontinuity-slid-out.m3u8'));
    expect(p).toMatchObject({
      version: 3,
      targetDurationSec: 2,
      mediaSequence: 7,
      discontinuitySequence: 1,
      independentSegments: true,
      endList: false,
      iFramesOnly: false,
      trailingTags: [],
    });
    expect(p.segments.map((s) => [s.sequence, s.uri, s.durationMs, s.discontinuity, s.discontinuitySequence])).toEqual([
      [7, 'seg-000007.ts', 2002, false, 1],
      [8, 'seg-000008.ts', 2002, false, 1],
      [9, 'seg-000009.ts', 1335, false, 1],
      [10, 'seg-000010.ts', 2002, true, 2],
      [11, 'seg-000011.ts', 2002, false, 2],
      [12, 'seg-000012.ts', 2002, false, 2],
    ]);
    expect(p.segments[0]).toMatchObject({ programDateTimeMs: T0_MS + 17_813, uriLine: 9, title: '' });
    expect(p.segments[0].tags.map((t) => t.name)).toEqual(['EXT-X-PROGRAM-DATE-TIME', 'EXTINF']);
  });

  it('accepts CRLF, blank lines and comments; keeps unknown tags and EXTINF titles', () => {
    const text = `${HEAD.replaceAll('\n', '\r\n')}\r\n# a comment\r\n#EXT-X-ALLOW-CACHE:NO\r\n#EXTINF:5,Title, with comma\r\na.ts\r\n#EXT-X-FUTURE-TAG\r\n`;
    const p = parseMediaPlaylist(text);
    expect(p.segments).toHaveLength(1);
    expect(p.segments[0]).toMatchObject({ uri: 'a.ts', durationSec: 5, title: 'Title, with comma' });
    expect(p.segments[0].tags.map((t) => [t.name, t.value])).toEqual([['EXT-X-ALLOW-CACHE', 'NO'], ['EXTINF', '5,Title, with comma']]);
    expect(p.trailingTags.map((t) => t.name)).toEqual(['EXT-X-FUTURE-TAG']);
    expect(p.version).toBe(3);
  });

  it('parses attribute lists of EXT-X-MAP, EXT-X-KEY and the low-latency tags', () => {
    const text = [
      '#EXTM3U', '#EXT-X-VERSION:9', '#EXT-X-TARGETDURATION:4',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.002',
      '#EXT-X-PART-INF:PART-TARGET=0.334',
      '#EXT-X-MAP:URI="init.mp4"',
      '#EXT-X-KEY:METHOD=AES-128,URI="k.bin",IV=0x00000000000000000000000000000001',
      '#EXTINF:4.000,', 'a.m4s',
      '#EXT-X-PART:DURATION=0.334,URI="b.0.m4s",INDEPENDENT=YES',
      '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="b.1.m4s"',
      '',
    ].join('\n');
    const p = parseMediaPlaylist(text);
    expect(p.map).toEqual({ uri: 'init.mp4' });
    const key = p.segments[0].tags.find((t) => t.name === 'EXT-X-KEY');
    expect(key && attributeOf(key, 'IV')?.value).toBe('0x00000000000000000000000000000001');
    expect(p.trailingTags.map((t) => t.name)).toEqual(['EXT-X-PART']);
    expect(p.tags.find((t) => t.name === 'EXT-X-PRELOAD-HINT')?.attributes).toHaveLength(2);
  });

  it.each([
    ['a missing #EXTM3U', 'EXTM3U\n', 'extm3u', 1],
    ['#EXTM3U not first', `\n${HEAD}`, 'extm3u', 1],
    ['a byte order mark', `\uFEFF${HEAD}`, 'encoding', 1],
    ['a tab', `${HEAD}#EXTINF:2,\na\t.ts\n`, 'encoding', 5],
    ['a lone CR', `${HEAD}#EXTINF:2,\ra.ts\n`, 'encoding', 4],
    ['a master playlist tag', `${HEAD}#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n`, 'media-playlist', 4],
    ['a URI without EXTINF', `${HEAD}a.ts\n`, 'extinf', 4],
    ['two EXTINF for one URI', `${HEAD}#EXTINF:2,\n#EXTINF:2,\na.ts\n`, 'extinf', 6],
    ['an EXTINF without a URI', `${HEAD}#EXTINF:2,\n`, 'extinf', 4],
    ['an EXTINF without a comma', `${HEAD}#EXTINF:2\na.ts\n`, 'extinf', 4],
    ['a negative EXTINF', `${HEAD}#EXTINF:-2,\na.ts\n`, 'extinf', 4],
    ['a fractional target duration', '#EXTM3U\n#EXT-X-TARGETDURATION:6.5\n', 'target-duration', 2],
    ['a non-numeric media sequence', `${HEAD}#EXT-X-MEDIA-SEQUENCE:x\n`, 'media-sequence', 4],
    ['a negative discontinuity sequence', `${HEAD}#EXT-X-DISCONTINUITY-SEQUENCE:-1\n`, 'discontinuity-sequence', 4],
    ['a bad program date-time', `${HEAD}#EXT-X-PROGRAM-DATE-TIME:2024-05-01 12:00\n#EXTINF:2,\na.ts\n`, 'program-date-time', 4],
    ['a bad playlist type', `${HEAD}#EXT-X-PLAYLIST-TYPE:LIVE\n`, 'playlist-type', 4],
    ['a fractional version', '#EXTM3U\n#EXT-X-VERSION:3.0\n', 'version', 2],
    ['a value on ENDLIST', `${HEAD}#EXT-X-ENDLIST:YES\n`, 'tag-value', 4],
    ['a bad BYTERANGE', `${HEAD}#EXT-X-BYTERANGE:10-20\n#EXTINF:2,\na.ts\n`, 'tag-value', 4],
    ['an unquoted EXT-X-MAP URI', `${HEAD}#EXT-X-MAP:URI=init.mp4\n`, 'attribute-list', 4],
    ['an EXT-X-MAP without URI', `${HEAD}#EXT-X-MAP:BYTERANGE="1@0"\n`, 'attribute-list', 4],
    ['an EXT-X-KEY without METHOD', `${HEAD}#EXT-X-KEY:URI="k"\n`, 'attribute-list', 4],
    ['a lowercase IV', `${HEAD}#EXT-X-KEY:METHOD=AES-128,IV=0xab\n`, 'attribute-list', 4],
  ])('rejects %s, naming the rule and line', (_name, text, rule, line) => {
    expect(ruleOf(text)).toEqual({ rule, line });
  });
});
