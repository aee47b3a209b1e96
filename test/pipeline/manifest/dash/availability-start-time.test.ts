// availabilityStartTime never moves between updates of one live presentation (ISO/IEC 23009-1 §5.4; DASH-IF IOP 4.3.3; FIELD-NOTES 11).
import { describe, expect, it } from 'vitest';
import { DashTimeline, buildLiveMpd } from '../../../../pipeline/manifest/dash/index.js';
import { AST_MS, ENDED, LIVE_AV, runScenario, SETTINGS, TWO_PERIODS, VIDEO_720P } from './dash-scenarios.js';
import { readMpd } from './mpd-reader.js';

const AST_TEXT = '2024-05-01T12:00:00.000Z';

describe('availabilityStartTime across updates', () => {
  it('is identical in every update of a stream whose window slides, across a successor hand-off, and in the final static MPD', () => {
    for (const scenario of [LIVE_AV, TWO_PERIODS, ENDED]) {
      const { versions } = runScenario(scenario);
      const read = versions.map(readMpd);
      expect(new Set(read.map((m) => m.attributes.availabilityStartTime))).toEqual(new Set([AST_TEXT]));
      const publish = read.map((m) => Date.parse(m.attributes.publishTime));
      publish.slice(1).forEach((p, i) => expect(p).toBeGreaterThan(publish[i]));
    }
  });

  it('the window start moves while the anchor stays: the first S@t grows between updates', () => {
    const { versions } = runScenario(LIVE_AV);
    const firstT = versions.map((x) => Number(readMpd(x).periods[0].adaptationSets[0].representations[0].s[0].t));
    expect(firstT[0]).toBe(0);
    expect(firstT[firstT.length - 1]).toBeGreaterThan(0);
    firstT.slice(1).forEach((t, i) => expect(t).toBeGreaterThanOrEqual(firstT[i]));
  });

  it('a successor restored from state writes byte-identical MPDs to a process that never stopped', () => {
    const continuous = runScenario({ ...LIVE_AV, handoffBefore: undefined }).versions;
    for (const handoffBefore of [1, 12, 25, 39]) {
      expect(runScenario({ ...LIVE_AV, handoffBefore }).versions).toEqual(continuous);
    }
  });

  it('comes from the timeline state, not from the caller at each build', () => {
    const first = new DashTimeline({ availabilityStartTimeMs: AST_MS, timescales: { v: 90_000 } });
    first.add('v', { t: 0, d: 180_000 });
    const successor = DashTimeline.restore(JSON.parse(JSON.stringify(first.state())));
    successor.add('v', { t: 180_000, d: 180_000 });
    const periods = [{ id: '0', startSec: 0, representations: [VIDEO_720P] }];
    const a = buildLiveMpd(first, { settings: SETTINGS, periods, publishTimeMs: AST_MS + 2000 });
    const b = buildLiveMpd(successor, { settings: SETTINGS, periods, publishTimeMs: AST_MS + 4000 });
    expect(b.availabilityStartTimeMs).toBe(a.availabilityStartTimeMs);
  });
});
