// UTCTiming is optional in a static MPD (a VOD depends on no clock) and required in a dynamic one
// (ISO/IEC 23009-1 §5.8.4.11; without it dash.js asks a public time server for live streams).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { serializeMpd, type LiveMpd } from '../../../../pipeline/manifest/dash/index.js';
import { parseXml } from './xml-check.js';

const STATIC: LiveMpd = {
  type: 'static', availabilityStartTimeMs: 0, publishTimeMs: Date.UTC(2026, 0, 1), minimumUpdatePeriodSec: 0,
  timeShiftBufferDepthSec: 0, suggestedPresentationDelaySec: 0, minBufferTimeSec: 2, maxSegmentDurationSec: 2,
  mediaPresentationDurationSec: 4,
  periods: [{ id: 'p0', startSec: 0, representations: [{
    id: 'v', contentType: 'video', mimeType: 'video/mp4', codecs: 'avc1.64001f', bandwidth: 1_000_000, timescale: 90_000,
    initialization: 'init-v.mp4', media: '$RepresentationID$-$Time$.m4s', segments: [{ t: 0, d: 180_000 }, { t: 180_000, d: 180_000 }],
  }] }],
};
const names = (xml: string): string[] => parseXml(xml).children.map((c) => c.name);

describe('serializeMpd: UTCTiming', () => {
  it('a static MPD without utcTimingUrl has no UTCTiming element', () => {
    expect(names(serializeMpd(STATIC))).toEqual(['Period']);
  });

  it('a static MPD with one keeps it, after the Periods', () => {
    expect(names(serializeMpd({ ...STATIC, utcTimingUrl: 'https://o.example/time' }))).toEqual(['Period', 'UTCTiming']);
  });

  it('a dynamic MPD without one, or any MPD with an empty one, is refused', () => {
    expect(() => serializeMpd({ ...STATIC, type: 'dynamic' })).toThrow(ProtocolError);
    expect(() => serializeMpd({ ...STATIC, type: 'dynamic' })).toThrow(/needs utcTimingUrl/);
    expect(() => serializeMpd({ ...STATIC, type: 'dynamic', utcTimingUrl: 'https://o.example/time' })).not.toThrow();
    expect(() => serializeMpd({ ...STATIC, utcTimingUrl: ' ' })).toThrow(/utcTimingUrl is empty/);
  });
});
