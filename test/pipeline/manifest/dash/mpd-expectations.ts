// Checks that an MPD read back from XML states exactly its LiveMpd model (ISO/IEC 23009-1 §5.3.1–5.3.9).
import { expect } from 'vitest';
import {
  ADAPTATION_SET_ID,
  CICP_CHANNEL_CONFIGURATION,
  DEFAULT_PROFILES,
  formatFrameRate,
  formatXsDateTime,
  formatXsDuration,
  MPD_NAMESPACE,
  UTC_TIMING_HTTP_ISO,
  type DashRepresentation,
  type LiveMpd,
} from '../../../../pipeline/manifest/dash/index.js';
import type { ReadAdaptationSet, ReadMpd } from './mpd-reader.js';

const opt = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

function expectRepresentation(set: ReadAdaptationSet, r: DashRepresentation): void {
  const video = r.contentType === 'video';
  const frameRate = r.frameRate === undefined ? undefined : formatFrameRate(r.frameRate);
  expect(set.attributes).toEqual({
    id: String(ADAPTATION_SET_ID[r.contentType]),
    contentType: r.contentType,
    mimeType: r.mimeType,
    segmentAlignment: 'true',
    startWithSAP: '1',
    ...(video && r.width !== undefined ? { maxWidth: String(r.width) } : {}),
    ...(video && r.height !== undefined ? { maxHeight: String(r.height) } : {}),
    ...(video && frameRate !== undefined ? { maxFrameRate: frameRate } : {}),
  });
  expect(set.representations).toHaveLength(1);
  const rep = set.representations[0];
  const attrs = { id: r.id, bandwidth: String(r.bandwidth), codecs: r.codecs, width: opt(r.width), height: opt(r.height),
    frameRate, audioSamplingRate: opt(r.audioSamplingRate) };
  expect(rep.attributes).toEqual(Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined)));
  if (r.audioChannels === undefined) expect(rep.channelConfiguration).toBeUndefined();
  else expect(rep.channelConfiguration?.schemeIdUri).toBe(CICP_CHANNEL_CONFIGURATION);
  expect(rep.template).toEqual({
    timescale: String(r.timescale),
    initialization: r.initialization,
    media: r.media,
    ...(r.presentationTimeOffset ? { presentationTimeOffset: String(r.presentationTimeOffset) } : {}),
  });
  expect(rep.segments).toEqual(r.segments.map(({ t, d }) => ({ t, d })));
}

/** Every attribute and element the reader found is the one the model asks for, and nothing else. */
export function expectMpdMatchesModel(read: ReadMpd, mpd: LiveMpd): void {
  const dynamic = mpd.type === 'dynamic';
  const total = mpd.mediaPresentationDurationSec;
  expect(read.attributes).toEqual({
    xmlns: MPD_NAMESPACE,
    profiles: mpd.profiles ?? DEFAULT_PROFILES,
    type: mpd.type,
    availabilityStartTime: formatXsDateTime(mpd.availabilityStartTimeMs),
    publishTime: formatXsDateTime(mpd.publishTimeMs),
    ...(total === undefined ? {} : { mediaPresentationDuration: formatXsDuration(total, 'up') }),
    ...(dynamic
      ? {
          minimumUpdatePeriod: formatXsDuration(mpd.minimumUpdatePeriodSec),
          timeShiftBufferDepth: formatXsDuration(mpd.timeShiftBufferDepthSec),
          suggestedPresentationDelay: formatXsDuration(mpd.suggestedPresentationDelaySec),
        }
      : {}),
    maxSegmentDuration: formatXsDuration(mpd.maxSegmentDurationSec, 'up'),
    minBufferTime: formatXsDuration(mpd.minBufferTimeSec),
  });
  expect(read.utcTiming).toEqual({ schemeIdUri: UTC_TIMING_HTTP_ISO, value: mpd.utcTimingUrl });
  expect(read.periods).toHaveLength(mpd.periods.length);
  mpd.periods.forEach((p, i) => {
    const period = read.periods[i];
    expect(period.attributes).toEqual({ id: p.id, start: formatXsDuration(p.startSec) });
    const ordered = [...p.representations].sort((a, b) => ADAPTATION_SET_ID[a.contentType] - ADAPTATION_SET_ID[b.contentType]);
    expect(period.adaptationSets).toHaveLength(ordered.length);
    ordered.forEach((r, k) => expectRepresentation(period.adaptationSets[k], r));
  });
}
