// The checker's low-latency and delta-update rules: each broken once, and what must pass (rfc8216bis §4.4.3.7-§4.4.5.3, §6.2.2, §6.2.5.1).
import { describe, expect, it } from 'vitest';
import { serializeMediaPlaylist, type MediaPlaylist } from '../../../../pipeline/manifest/hls/index.js';
import { HlsPlaylistCheckError, HlsPlaylistChecker, checkDeltaUpdate, type HlsCheckRule } from '../../../helpers/hls-playlist-checker.js';
import { LL_LIVE, runLlScenario } from './ll-scenarios.js';

const OPTS = { targetDurationSec: 2, partTargetSec: 0.5, minSegments: 12, mapUri: 'init.mp4' };
const RUN = runLlScenario(OPTS, LL_LIVE);
/** The last two distinct versions: L[0] has parts 14.0 and 14.1 pending, L[1] only 14.0. */
const L = [RUN.versions.at(-1)!, RUN.versions.at(-3)!];
const FULL = L[0].full;
const DELTA = L[0].delta;

function rule(act: () => void): { rule: HlsCheckRule; message: string } {
  try {
    act();
  } catch (err) {
    if (!(err instanceof HlsPlaylistCheckError)) throw err;
    return { rule: err.rule, message: err.message };
  }
  throw new Error('accepted');
}
const sequence = (versions: readonly string[]) => (): void => {
  const checker = new HlsPlaylistChecker();
  for (const v of versions) checker.check(v);
};

describe('HlsPlaylistChecker: low-latency rules, each broken once', () => {
  const withModel = (edit: (p: MediaPlaylist) => MediaPlaylist): string => serializeMediaPlaylist(edit(RUN.window.playlist()));
  const cases: readonly [string, HlsCheckRule, () => void][] = [
    ['parts without EXT-X-PART-INF', 'part-inf', sequence([FULL.replace('#EXT-X-PART-INF:PART-TARGET=0.500\n', '')])],
    ['two EXT-X-PART-INF', 'part-inf', sequence([FULL.replace('#EXT-X-PART-INF:PART-TARGET=0.500\n', '#EXT-X-PART-INF:PART-TARGET=0.500\n#EXT-X-PART-INF:PART-TARGET=0.500\n')])],
    ['PART-TARGET above the target', 'part-inf', sequence([FULL.replace('PART-TARGET=0.500', 'PART-TARGET=2.500').replace('PART-HOLD-BACK=1.500', 'PART-HOLD-BACK=7.500')])],
    ['a part above PART-TARGET', 'part-duration', sequence([FULL.replace('DURATION=0.500,URI="v-12.1.m4s"', 'DURATION=0.501,URI="v-12.1.m4s"')])],
    ['a dependent part under 85 % that is not its segment\'s last', 'part-duration', sequence([FULL.replace('DURATION=0.500,URI="v-12.1.m4s"', 'DURATION=0.400,URI="v-12.1.m4s"')])],
    ['parts not adding up to EXTINF', 'part-sum', sequence([FULL.replace('DURATION=0.500,URI="v-12.3.m4s"', 'DURATION=0.450,URI="v-12.3.m4s"')])],
    ['a segment\'s first part without INDEPENDENT=YES', 'part-independent', sequence([FULL.replace('URI="v-12.0.m4s",INDEPENDENT=YES', 'URI="v-12.0.m4s"')])],
    ['a date after the first part', 'part-position', sequence([FULL.replace(/(#EXT-X-PROGRAM-DATE-TIME:[^\n]*\n)(#EXT-X-PART:[^\n]*v-12\.0[^\n]*\n)/, '$2$1')])],
    ['a part after its EXTINF', 'part-position', sequence([FULL.replace(/(#EXT-X-PART:[^\n]*v-12\.3[^\n]*\n)(#EXTINF:[^\n]*\n)/, '$2$1')])],
    ['a part URI equal to a segment URI', 'unique-uri', sequence([FULL.replace('URI="v-12.1.m4s"', 'URI="v-11.m4s"')])],
    ['parts on a segment ending 7 s before the end', 'part-retention', sequence([withModel((p) => ({
      ...p,
      segments: p.segments.map((s) => (s.uri === 'v-10.m4s' ? { ...s, parts: [0, 1, 2, 3].map((i) => ({ uri: `v-10.${i}.m4s`, durationSec: 0.5, independent: i === 0 })) } : s)),
    }))])],
    ['no PART-HOLD-BACK', 'server-control', sequence([FULL.replace(',PART-HOLD-BACK=1.500', '')])],
    ['PART-HOLD-BACK under 2 × PART-TARGET', 'server-control', sequence([FULL.replace('PART-HOLD-BACK=1.500', 'PART-HOLD-BACK=0.999')])],
    ['HOLD-BACK under 3 × target', 'server-control', sequence([FULL.replace('HOLD-BACK=6.000,', 'HOLD-BACK=5.999,')])],
    ['CAN-SKIP-UNTIL under 6 × target', 'server-control', sequence([FULL.replace('CAN-SKIP-UNTIL=12.000', 'CAN-SKIP-UNTIL=11.999')])],
    ['two EXT-X-SERVER-CONTROL', 'server-control', sequence([FULL.replace('#EXT-X-PART-INF', '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n#EXT-X-PART-INF')])],
    ['a preload hint with EXT-X-ENDLIST', 'preload-hint', sequence([`${FULL}#EXT-X-ENDLIST\n`])],
    ['two preload hints of one type', 'preload-hint', sequence([`${FULL}#EXT-X-PRELOAD-HINT:TYPE=PART,URI="x.m4s"\n`])],
    ['a preload hint naming a listed part', 'preload-hint', sequence([FULL.replace('URI="v-14.1.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="v-14.2.m4s"', 'URI="v-14.1.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="v-14.1.m4s"')])],
    ['a preload hint naming a part listed in an earlier version', 'preload-hint', sequence([L[1].full, L[1].full.replace('URI="v-14.1.m4s"', 'URI="v-14.0.m4s"')])],
    ['a part changing its duration', 'part-stable', sequence([L[1].full, FULL.replace('DURATION=0.500,URI="v-14.0.m4s"', 'DURATION=0.499,URI="v-14.0.m4s"')])],
    ['another URI at a part index', 'part-stable', sequence([L[1].full, FULL.replace('v-14.0.m4s', 'v-14.x.m4s')])],
    ['a pending part vanishing', 'part-order', sequence([FULL, FULL.replace(/#EXT-X-PART:[^\n]*v-14\.1[^\n]*\n/, '').replace('v-14.2.m4s', 'v-14.9.m4s')])],
    ['parts removed before older ones', 'part-order', sequence([FULL, FULL.replace(/#EXT-X-PART:[^\n]*v-12\.[0-3][^\n]*\n/g, '')])],
    ['a delta update fed alone', 'skip', sequence([DELTA])],
    ['INDEPENDENT=NO', 'attribute-list', sequence([FULL.replace('URI="v-12.0.m4s",INDEPENDENT=YES', 'URI="v-12.0.m4s",INDEPENDENT=NO')])],
  ];
  for (const [name, expected, act] of cases) {
    it(`${name}: ${expected}`, () => expect(rule(act).rule).toBe(expected));
  }

  it('accepts every version of the golden scenario, and the part tags of a segment leaving in order', () => {
    expect(() => sequence(RUN.versions.map((v) => v.full))()).not.toThrow();
  });
});

describe('checkDeltaUpdate: a delta against the full playlist of the same moment', () => {
  const lines = (text: string): string[] => text.split('\n');
  const cases: readonly [string, HlsCheckRule, string, string][] = [
    ['a delta with EXT-X-VERSION 6', 'version', FULL, DELTA.replace('#EXT-X-VERSION:9', '#EXT-X-VERSION:6')],
    ['a delta with another media sequence', 'delta-update', FULL, DELTA.replace('#EXT-X-MEDIA-SEQUENCE:2', '#EXT-X-MEDIA-SEQUENCE:3')],
    ['a delta with a changed segment', 'delta-update', FULL, DELTA.replace('#EXTINF:2.000,\nv-8.m4s', '#EXTINF:1.900,\nv-8.m4s')],
    ['a delta skipping too much', 'delta-update', FULL, DELTA.replace('SKIPPED-SEGMENTS=5', 'SKIPPED-SEGMENTS=6').replace(/#EXT-X-PROGRAM-DATE-TIME:[^\n]*\n#EXTINF:2.000,\nv-7.m4s\n/, '')],
    ['a delta skipping too little', 'delta-update', FULL, DELTA.replace('SKIPPED-SEGMENTS=5', 'SKIPPED-SEGMENTS=4').replace('#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n', `#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n${lines(FULL).slice(21, 24).join('\n')}\n`)],
    ['a delta losing the preload hint', 'delta-update', FULL, DELTA.replace(/#EXT-X-PRELOAD-HINT[^\n]*\n/, '')],
    ['two EXT-X-SKIP', 'skip', FULL, DELTA.replace('#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n', '#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n')],
    ['EXT-X-SKIP after a segment', 'skip', FULL, DELTA.replace('#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n', '').replace('v-7.m4s\n', 'v-7.m4s\n#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n')],
    ['EXT-X-SKIP without CAN-SKIP-UNTIL', 'skip', FULL.replace('CAN-SKIP-UNTIL=12.000,', ''), DELTA.replace('CAN-SKIP-UNTIL=12.000,', '')],
    ['the full playlist answering a delta request although segments lie beyond the boundary', 'delta-update', FULL, FULL],
  ];
  for (const [name, expected, full, delta] of cases) {
    it(`${name}: ${expected}`, () => expect(rule(() => checkDeltaUpdate(full, delta)).rule).toBe(expected));
  }

  it('the boundary cases fail on the boundary, not on the segment lists', () => {
    const [, , , tooMuch, tooLittle] = cases;
    expect(rule(() => checkDeltaUpdate(tooMuch[2], tooMuch[3])).message).toContain('v-7.m4s ends within CAN-SKIP-UNTIL');
    expect(rule(() => checkDeltaUpdate(tooLittle[2], tooLittle[3])).message).toContain('v-6.m4s ends beyond CAN-SKIP-UNTIL');
  });

  it('accepts the pair the window wrote, and a full playlist when nothing can be skipped', () => {
    expect(() => checkDeltaUpdate(FULL, DELTA)).not.toThrow();
    const early = RUN.versions[20];
    expect(early.delta).toBe(early.full);
    expect(() => checkDeltaUpdate(early.full, early.delta)).not.toThrow();
  });
});
