// The HLS playlist checker used by live tests: each rule broken once, and what must pass.
import { describe, expect, it } from 'vitest';
import { HlsPlaylistCheckError, HlsPlaylistChecker, type HlsCheckRule } from '../../../helpers/hls-playlist-checker.js';
import { runScenario, segments, type Step } from './hls-scenarios.js';

const OPTS = { targetDurationSec: 2, minSegments: 3 };
/** V[i]: i + 1 segments of 2 s; from V[3] on, the window holds the last 3 (6 s = 3 × target). */
const V = runScenario(OPTS, segments(8, [2])).versions;
const D_STEPS: Step[] = [...segments(2, [2]), 'discontinuity', ...segments(4, [2])];
/** D[3] = [0, 1, 2d], D[4] = [1, 2d, 3], D[5] = [2d, 3, 4], D[6] = [3, 4, 5] with DSN 1. */
const D = runScenario(OPTS, D_STEPS).versions;
const ENDED = runScenario(OPTS, [...segments(4, [2]), 'end']).versions;

/** Removes the three lines of one segment (date, EXTINF, URI). */
const dropSegment = (text: string, uri: string): string => text.replace(new RegExp(`#EXT-X-PROGRAM-DATE-TIME:[^\\n]*\\n#EXTINF:[^\\n]*\\n${uri}\\n`), '');
const setTag = (text: string, tag: string, value: string): string => text.replace(new RegExp(`#${tag}:[^\\n]*`), `#${tag}:${value}`);

function brokenRule(versions: readonly string[]): { rule: HlsCheckRule; line: number; message: string } {
  const checker = new HlsPlaylistChecker();
  versions.slice(0, -1).forEach((v) => checker.check(v));
  try {
    checker.check(versions[versions.length - 1]);
  } catch (err) {
    if (!(err instanceof HlsPlaylistCheckError)) throw err;
    return { rule: err.rule, line: err.line, message: err.message };
  }
  throw new Error('the last version was accepted');
}

describe('HlsPlaylistChecker: each rule broken once', () => {
  const cases: readonly [string, HlsCheckRule, readonly string[]][] = [
    ['#EXTM3U not first', 'extm3u', [V[0].replace('#EXTM3U\n', '')]],
    ['a byte order mark', 'encoding', [`\uFEFF${V[0]}`]],
    ['a master playlist tag', 'media-playlist', [`${V[0]}#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n`]],
    ['a bad attribute list', 'attribute-list', [V[0].replace('#EXT-X-INDEPENDENT-SEGMENTS', '#EXT-X-MAP:URI=init.mp4')]],
    ['a segment without EXTINF', 'extinf', [`${V[0]}seg-x.ts\n`]],
    ['no EXT-X-TARGETDURATION', 'target-duration', [V[0].replace('#EXT-X-TARGETDURATION:2\n', '')]],
    ['two EXT-X-TARGETDURATION', 'target-duration', [V[0].replace('#EXT-X-TARGETDURATION:2\n', '#EXT-X-TARGETDURATION:2\n#EXT-X-TARGETDURATION:2\n')]],
    ['a fractional EXT-X-TARGETDURATION', 'target-duration', [setTag(V[0], 'EXT-X-TARGETDURATION', '2.5')]],
    ['an EXTINF rounding above the target', 'extinf-target', [V[2].replace('#EXTINF:2.000,\nseg-000001', '#EXTINF:2.500,\nseg-000001')]],
    ['float EXTINF with EXT-X-VERSION 2', 'version', [setTag(V[1], 'EXT-X-VERSION', '2')]],
    ['EXT-X-MAP with EXT-X-VERSION 3', 'version', [V[1].replace('#EXT-X-INDEPENDENT-SEGMENTS', '#EXT-X-MAP:URI="init.mp4"')]],
    ['no EXT-X-VERSION with float EXTINF', 'version', [V[1].replace('#EXT-X-VERSION:3\n', '')]],
    ['EXT-X-MEDIA-SEQUENCE after a segment', 'media-sequence', [`${V[1].replace('#EXT-X-MEDIA-SEQUENCE:0\n', '')}#EXT-X-MEDIA-SEQUENCE:0\n`]],
    ['DISCONTINUITY-SEQUENCE after a DISCONTINUITY', 'discontinuity-sequence', [`${D[3].replace('#EXT-X-DISCONTINUITY-SEQUENCE:0\n', '')}#EXT-X-DISCONTINUITY-SEQUENCE:0\n`]],
    ['an unparseable date', 'program-date-time', [V[0].replace(/(#EXT-X-PROGRAM-DATE-TIME:)[^\n]*/, '$1yesterday')]],
    ['a date going backwards', 'program-date-time', [V[1].replace('12:00:02.000Z', '11:59:59.000Z')]],
    ['a URI twice', 'unique-uri', [V[1].replace('seg-000001.ts', 'seg-000000.ts')]],
    ['VOD without ENDLIST', 'playlist-type', [V[1].replace('#EXT-X-INDEPENDENT-SEGMENTS', '#EXT-X-PLAYLIST-TYPE:VOD')]],
    ['the target changing', 'target-duration-stable', [V[1], setTag(V[2], 'EXT-X-TARGETDURATION', '3')]],
    ['the media sequence decreasing', 'media-sequence-monotonic', [V[4], V[3]]],
    ['segments removed from the end', 'segment-removal-order', [V[2], V[1]]],
    ['a duration changing', 'segment-stable', [V[2], V[3].replace('#EXTINF:2.000,\nseg-000002', '#EXTINF:1.500,\nseg-000002')]],
    ['a URI changing at a sequence', 'segment-stable', [V[2], V[3].replaceAll('seg-000002.ts', 'other.ts')]],
    ['a segment inserted', 'segment-stable', [V[2], V[3].replace('seg-000002.ts', 'seg-x.ts\n#EXTINF:1.000,\nseg-000002.ts')]],
    ['a date changing', 'segment-stable', [V[2], V[3].replace('12:00:04.000Z', '12:00:04.500Z')]],
    ['a DISCONTINUITY disappearing', 'segment-stable', [D[3], D[4].replace('#EXT-X-DISCONTINUITY\n', '')]],
    ['the discontinuity sequence decreasing', 'discontinuity-sequence-monotonic', [D[6], setTag(D[6], 'EXT-X-DISCONTINUITY-SEQUENCE', '0').replace('\n#EXTINF', '\n#EXT-X-X:1\n#EXTINF')]],
    ['no increment when a DISCONTINUITY slides out', 'discontinuity-sequence-accounting', [D[5], setTag(D[6], 'EXT-X-DISCONTINUITY-SEQUENCE', '0')]],
    ['an increment without a DISCONTINUITY sliding out', 'discontinuity-sequence-accounting', [V[3], setTag(V[4], 'EXT-X-DISCONTINUITY-SEQUENCE', '1')]],
    ['a removal from a playlist with a DISCONTINUITY but no DISCONTINUITY-SEQUENCE', 'discontinuity-sequence', [D[3], D[4].replace('#EXT-X-DISCONTINUITY-SEQUENCE:0\n', '')]],
    ['the window shrinking below 3 × target', 'live-window-minimum', [V[3], dropSegment(V[4], 'seg-000004.ts')]],
    ['a removal before 3 × target was reached', 'live-window-minimum', [V[1], setTag(dropSegment(V[2], 'seg-000000.ts'), 'EXT-X-MEDIA-SEQUENCE', '1')]],
    ['a change after ENDLIST', 'endlist-final', [ENDED[4], ENDED[4].replace('#EXT-X-ENDLIST\n', '#EXT-X-ENDLIST\n#EXT-X-X\n')]],
    ['the playlist type changing', 'playlist-type', [V[1], V[2].replace('#EXT-X-INDEPENDENT-SEGMENTS', '#EXT-X-PLAYLIST-TYPE:EVENT')]],
    ['a removal from an EVENT playlist', 'playlist-type', [V[2], V[3]].map((v) => v.replace('#EXT-X-INDEPENDENT-SEGMENTS', '#EXT-X-PLAYLIST-TYPE:EVENT'))],
  ];

  it.each(cases)('%s → [%s]', (_name, rule, versions) => {
    const broken = brokenRule(versions);
    expect(broken.rule).toBe(rule);
    expect(broken.message).toMatch(new RegExp(`^HLS rule \\[${rule}\\] broken at line ${broken.line}: `));
  });

  it('names the offending line', () => {
    expect(brokenRule([V[2].replace('#EXTINF:2.000,\nseg-000001', '#EXTINF:2.500,\nseg-000001')])).toMatchObject({ line: 11 });
    expect(brokenRule([V[1], setTag(V[2], 'EXT-X-TARGETDURATION', '3')])).toMatchObject({ line: 3 });
  });

  it('keeps its state when a version fails, so the next valid version is judged against the last good one', () => {
    const checker = new HlsPlaylistChecker();
    checker.check(V[2]);
    expect(() => checker.check(V[1])).toThrow(HlsPlaylistCheckError);
    checker.check(V[3]);
    expect(checker.versionsSeen).toBe(2);
  });
});

describe('HlsPlaylistChecker: publishing interval (§6.2.1)', () => {
  it('accepts versions published as each segment completes', () => {
    const checker = new HlsPlaylistChecker();
    V.forEach((v, i) => {
      checker.check(v, (i + 1) * 2_000);
      checker.checkFreshness((i + 1) * 2_000 + 1_000);
    });
  });

  it('fails a version whose new segment came later than 1.5 × target after the previous one', () => {
    const checker = new HlsPlaylistChecker();
    checker.check(V[0], 0);
    checker.check(V[1], 3_000);
    expect(() => checker.check(V[2], 6_001)).toThrow(/\[publish-interval\]/);
  });

  it('checkFreshness fails while live once 1.5 × target passes without a new segment, and after refetching the same text', () => {
    const checker = new HlsPlaylistChecker();
    checker.check(V[1], 10_000);
    checker.checkFreshness(13_000);
    expect(() => checker.checkFreshness(13_001)).toThrow(/\[publish-interval\] broken at line 1: no new segment for 3001 ms/);
    checker.check(V[1], 12_000);
    expect(() => checker.check(V[1], 13_500)).toThrow(/\[publish-interval\]/);
  });

  it('honours maxPublishIntervalSec, stops after ENDLIST, and needs a timed version first', () => {
    const relaxed = new HlsPlaylistChecker({ maxPublishIntervalSec: 5 });
    relaxed.check(V[1], 0);
    relaxed.checkFreshness(5_000);
    expect(() => relaxed.checkFreshness(5_001)).toThrow(HlsPlaylistCheckError);
    const ended = new HlsPlaylistChecker();
    ended.check(ENDED[4], 0);
    ended.checkFreshness(1e9);
    expect(() => new HlsPlaylistChecker().checkFreshness(0)).toThrow(/no version checked with a time yet/);
  });
});

describe('HlsPlaylistChecker: valid playlists', () => {
  it('accepts every version of a growing, sliding, discontinuous, then ended stream and counts distinct versions', () => {
    const { versions } = runScenario(OPTS, [...D_STEPS, 'discontinuity', ...segments(5, [1.5, 2.002]), 'end']);
    const checker = new HlsPlaylistChecker();
    for (const v of versions) checker.check(v);
    expect(checker.versionsSeen).toBe(new Set(versions).size);
    expect(checker.versionsSeen).toBeLessThan(versions.length);
  });

  it('allows for versions missed between polls, including discontinuities that came and went unseen', () => {
    const { versions } = runScenario(OPTS, [...segments(2, [2]), 'discontinuity', ...segments(3, [2]), 'discontinuity', ...segments(8, [2])]);
    const checker = new HlsPlaylistChecker();
    checker.check(versions[1]);
    checker.check(versions[versions.length - 1]);
    const everyThird = new HlsPlaylistChecker();
    versions.filter((_, i) => i % 3 === 0).forEach((v) => everyThird.check(v));
  });

  it('accepts playlists written by other conventions: integer EXTINF, no version, no dates, no sequence tags', () => {
    const checker = new HlsPlaylistChecker();
    checker.check('#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXTINF:9,\nb.ts\n');
    checker.check('#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXTINF:9,\nb.ts\n#EXTINF:10,\nc.ts\n#EXT-X-ENDLIST\n');
    expect(checker.versionsSeen).toBe(2);
  });
});
