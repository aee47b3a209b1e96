// Golden MPDs (test/fixtures/dash/*.mpd); UPDATE_GOLDEN=1 rewrites them (ISO/IEC 23009-1 §5.3, §5.4).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIO_ONLY, ENDED, LIVE_AV, runScenario, TWO_PERIODS, VIDEO_ONLY, type Scenario } from './dash-scenarios.js';
import { expectMpdMatchesModel } from './mpd-expectations.js';
import { readMpd } from './mpd-reader.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../fixtures/dash/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const CASES: readonly { file: string; scenario: Scenario }[] = [
  { file: 'live-av-mid-stream.mpd', scenario: LIVE_AV },
  { file: 'audio-only.mpd', scenario: AUDIO_ONLY },
  { file: 'video-only.mpd', scenario: VIDEO_ONLY },
  { file: 'ended-static.mpd', scenario: ENDED },
  { file: 'two-periods.mpd', scenario: TWO_PERIODS },
];

function golden(file: string, actual: string): string {
  const path = `${GOLDEN_DIR}${file}`;
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path)) throw new Error(`${path} is missing; run with UPDATE_GOLDEN=1 to create it`);
  return readFileSync(path, 'utf8');
}

describe('DASH golden MPDs', () => {
  for (const c of CASES) {
    it(`${c.file} is reproduced byte for byte, and every update before it reads back as its model`, () => {
      const { models, versions } = runScenario(c.scenario);
      versions.forEach((xml, i) => expectMpdMatchesModel(readMpd(xml), models[i]));
      const actual = versions[versions.length - 1];
      expect(actual).toBe(golden(c.file, actual));
    });
  }

  it('the mid-stream MPD has slid: its timelines start after 0 and cover about the 30 s buffer', () => {
    const mpd = readMpd(readFileSync(`${GOLDEN_DIR}live-av-mid-stream.mpd`, 'utf8'));
    for (const set of mpd.periods[0].adaptationSets) {
      const rep = set.representations[0];
      const scale = Number(rep.template.timescale);
      const first = rep.segments[0];
      const last = rep.segments[rep.segments.length - 1];
      expect(first.t).toBeGreaterThan(0);
      expect((last.t + last.d - first.t) / scale).toBeGreaterThanOrEqual(30);
      expect((last.t + last.d - first.t) / scale).toBeLessThan(30 + 3.1);
    }
  });

  it('the ended MPD is static, with no update or time-shift attributes, and its duration covers the last segment', () => {
    const mpd = readMpd(readFileSync(`${GOLDEN_DIR}ended-static.mpd`, 'utf8'));
    expect(mpd.attributes.type).toBe('static');
    expect(mpd.attributes.minimumUpdatePeriod).toBeUndefined();
    expect(mpd.attributes.timeShiftBufferDepth).toBeUndefined();
    expect(mpd.attributes.mediaPresentationDuration).toBe('PT15.019S'); // audio ends last: 704 AAC frames = 15.0187 s
  });

  it('the video-only MPD restates S@t after the 1.2 s gap', () => {
    const mpd = readMpd(readFileSync(`${GOLDEN_DIR}video-only.mpd`, 'utf8'));
    const rep = mpd.periods[0].adaptationSets[0].representations[0];
    const withT = rep.s.filter((s) => s.t !== undefined);
    expect(withT).toHaveLength(2); // the window start and the first segment after the gap
    expect(rep.segments.some((s, i) => i > 0 && s.t - (rep.segments[i - 1].t + rep.segments[i - 1].d) === 108_000)).toBe(true);
  });

  it('the two-period MPD keeps the first Period with its remaining segments, and offsets the second', () => {
    const mpd = readMpd(readFileSync(`${GOLDEN_DIR}two-periods.mpd`, 'utf8'));
    expect(mpd.periods.map((p) => [p.attributes.id, p.attributes.start])).toEqual([['0', 'PT0S'], ['1', 'PT20.5S']]);
    const [video1, audio1] = mpd.periods[1].adaptationSets.map((s) => s.representations[0].template);
    expect(video1.presentationTimeOffset).toBe('1845000');
    expect(audio1.presentationTimeOffset).toBe('904050');
    expect(mpd.periods[0].adaptationSets[0].representations[0].segments[0].t).toBeGreaterThan(0);
  });
});
