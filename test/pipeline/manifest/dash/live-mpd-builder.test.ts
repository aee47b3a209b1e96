// buildLiveMpd: the MPD model from the live window and fixed settings (ISO/IEC 23009-1 §5.3.1.2, §5.3.2; DASH-IF IOP 4.6.4).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { buildLiveMpd, DashTimeline } from '../../../../pipeline/manifest/dash/index.js';
import { AST_MS, AUDIO_48K, SETTINGS, VIDEO_720P } from './dash-scenarios.js';

function timeline(): DashTimeline {
  return new DashTimeline({ availabilityStartTimeMs: AST_MS, timescales: { v: 90_000, a: 48_000 } });
}
const ONE_PERIOD = [{ id: '0', startSec: 0, representations: [VIDEO_720P, AUDIO_48K] }];

describe('buildLiveMpd', () => {
  it('leaves out a Representation that has no segment yet, and fails while nothing has any', () => {
    const tl = timeline();
    expect(() => buildLiveMpd(tl, { settings: SETTINGS, periods: ONE_PERIOD, publishTimeMs: AST_MS })).toThrow(ProtocolError);
    tl.add('v', { t: 0, d: 180_180 });
    const mpd = buildLiveMpd(tl, { settings: SETTINGS, periods: ONE_PERIOD, publishTimeMs: AST_MS });
    expect(mpd.periods[0].representations.map((r) => r.id)).toEqual(['v']);
    expect(mpd.type).toBe('dynamic');
    expect(mpd.mediaPresentationDurationSec).toBeUndefined();
  });

  it('raises maxSegmentDuration to the longest segment in the window', () => {
    const tl = timeline();
    tl.add('v', { t: 0, d: 450_000 }); // a 5 s GOP with a 4 s setting
    expect(buildLiveMpd(tl, { settings: SETTINGS, periods: ONE_PERIOD, publishTimeMs: AST_MS }).maxSegmentDurationSec).toBe(5);
  });

  it('ends as static with the newest segment end as duration', () => {
    const tl = timeline();
    tl.add('v', { t: 0, d: 180_180 });
    tl.add('a', { t: 0, d: 96_256 });
    const mpd = buildLiveMpd(tl, { settings: SETTINGS, periods: ONE_PERIOD, publishTimeMs: AST_MS, ended: true });
    expect(mpd.type).toBe('static');
    expect(mpd.mediaPresentationDurationSec).toBeCloseTo(2.0053, 4);
  });

  it('drops a Period whose segments all slid out and offsets later Periods by their start', () => {
    const tl = new DashTimeline({ availabilityStartTimeMs: AST_MS, timescales: { 'p0/v': 90_000, 'p1/v': 90_000 } });
    tl.add('p0/v', { t: 0, d: 180_000 });
    for (let i = 0; i < 20; i++) tl.add('p1/v', { t: 270_000 + i * 180_000, d: 180_000 });
    tl.trim(30);
    const periods = [
      { id: 'a', startSec: 0, representations: [{ ...VIDEO_720P, timelineKey: 'p0/v' }] },
      { id: 'b', startSec: 3, representations: [{ ...VIDEO_720P, timelineKey: 'p1/v' }] },
    ];
    const mpd = buildLiveMpd(tl, { settings: SETTINGS, periods, publishTimeMs: AST_MS });
    expect(mpd.periods.map((p) => p.id)).toEqual(['b']);
    expect(mpd.periods[0].representations[0].presentationTimeOffset).toBe(270_000);
  });

  it('rejects a timeline key shared by two Periods and a timescale that differs from the timeline', () => {
    const tl = timeline();
    tl.add('v', { t: 0, d: 1 });
    const twice = [ONE_PERIOD[0], { ...ONE_PERIOD[0], id: '1', startSec: 10 }];
    expect(() => buildLiveMpd(tl, { settings: SETTINGS, periods: twice, publishTimeMs: AST_MS })).toThrow(ProtocolError);
    const wrong = [{ id: '0', startSec: 0, representations: [{ ...VIDEO_720P, timescale: 1000 }] }];
    expect(() => buildLiveMpd(tl, { settings: SETTINGS, periods: wrong, publishTimeMs: AST_MS })).toThrow(ProtocolError);
  });
});
