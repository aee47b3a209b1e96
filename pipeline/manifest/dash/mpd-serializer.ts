// Deterministic MPD XML for a live or ended stream (ISO/IEC 23009-1 §5.3.1–5.3.9, §5.8.4.11 UTCTiming; DASH-IF IOP 4.3).
import { cicpChannelConfiguration } from './audio-channel-configuration.js';
import { formatFrameRate } from './frame-rate.js';
import {
  CICP_CHANNEL_CONFIGURATION,
  DEFAULT_PROFILES,
  MPD_NAMESPACE,
  UTC_TIMING_HTTP_ISO,
  type DashPeriod,
  type DashRepresentation,
  type LiveMpd,
} from './mpd-model.js';
import { formatXsDateTime, formatXsDuration } from './mpd-time.js';
import { validateLiveMpd } from './mpd-validation.js';
import { compressTimeline } from './segment-timeline.js';
import { renderXmlDocument, xmlElement, type XmlElement } from './xml-text.js';

/** AdaptationSet@id per content type, the same in every Period so players can match them (§5.3.3.2). */
export const ADAPTATION_SET_ID = { video: 0, audio: 1 } as const;
/** Video first, then audio, whatever order the caller lists them in. */
const CONTENT_ORDER = ['video', 'audio'] as const;

function segmentTemplate(r: DashRepresentation): XmlElement {
  const entries = compressTimeline(r.segments).map((s) =>
    xmlElement('S', [['t', s.t], ['d', s.d], ['r', s.r]]),
  );
  return xmlElement(
    'SegmentTemplate',
    [
      ['timescale', r.timescale],
      ['presentationTimeOffset', r.presentationTimeOffset || undefined],
      ['initialization', r.initialization],
      ['media', r.media],
    ],
    [xmlElement('SegmentTimeline', [], entries)],
  );
}

function representation(r: DashRepresentation): XmlElement {
  const children: XmlElement[] = [];
  if (r.audioChannels !== undefined) {
    const value = String(cicpChannelConfiguration(r.audioChannels));
    children.push(xmlElement('AudioChannelConfiguration', [['schemeIdUri', CICP_CHANNEL_CONFIGURATION], ['value', value]]));
  }
  children.push(segmentTemplate(r));
  return xmlElement(
    'Representation',
    [
      ['id', r.id],
      ['bandwidth', r.bandwidth],
      ['codecs', r.codecs],
      ['width', r.width],
      ['height', r.height],
      ['frameRate', r.frameRate === undefined ? undefined : formatFrameRate(r.frameRate)],
      ['audioSamplingRate', r.audioSamplingRate],
    ],
    children,
  );
}

/**
 * One AdaptationSet per content type (§5.3.3). Every segment starts with a SAP of type 1: video
 * is cut at IDR frames and every AAC/Opus frame is a sync sample, so audio gets startWithSAP too.
 */
function adaptationSet(r: DashRepresentation): XmlElement {
  const video = r.contentType === 'video';
  return xmlElement(
    'AdaptationSet',
    [
      ['id', ADAPTATION_SET_ID[r.contentType]],
      ['contentType', r.contentType],
      ['mimeType', r.mimeType],
      ['segmentAlignment', 'true'],
      ['startWithSAP', 1],
      ['maxWidth', video ? r.width : undefined],
      ['maxHeight', video ? r.height : undefined],
      ['maxFrameRate', video && r.frameRate !== undefined ? formatFrameRate(r.frameRate) : undefined],
    ],
    [representation(r)],
  );
}

/** §5.8.4.11: the clock source, absent only from a static MPD that names none. */
function utcTiming(url: string | undefined): XmlElement[] {
  return url === undefined ? [] : [xmlElement('UTCTiming', [['schemeIdUri', UTC_TIMING_HTTP_ISO], ['value', url]])];
}

function period(p: DashPeriod): XmlElement {
  const sets = CONTENT_ORDER.flatMap((type) => p.representations.filter((r) => r.contentType === type)).map(adaptationSet);
  return xmlElement('Period', [['id', p.id], ['start', formatXsDuration(p.startSec)]], sets);
}

/**
 * The MPD as UTF-8 XML text. Dynamic: availabilityStartTime, publishTime, minimumUpdatePeriod,
 * timeShiftBufferDepth, suggestedPresentationDelay. Static (an ended stream, DASH-IF IOP 4.6.4):
 * mediaPresentationDuration, the same availabilityStartTime and Periods, no update or time-shift
 * attributes, and UTCTiming only when utcTimingUrl is given. The same model always yields the same bytes. Throws ProtocolError for a bad model.
 */
export function serializeMpd(mpd: LiveMpd): string {
  validateLiveMpd(mpd);
  const dynamic = mpd.type === 'dynamic';
  const total = mpd.mediaPresentationDurationSec;
  const root = xmlElement(
    'MPD',
    [
      ['xmlns', MPD_NAMESPACE],
      ['profiles', mpd.profiles ?? DEFAULT_PROFILES],
      ['type', mpd.type],
      ['availabilityStartTime', formatXsDateTime(mpd.availabilityStartTimeMs)],
      ['publishTime', formatXsDateTime(mpd.publishTimeMs)],
      ['mediaPresentationDuration', total === undefined ? undefined : formatXsDuration(total, 'up')],
      ['minimumUpdatePeriod', dynamic ? formatXsDuration(mpd.minimumUpdatePeriodSec) : undefined],
      ['timeShiftBufferDepth', dynamic ? formatXsDuration(mpd.timeShiftBufferDepthSec) : undefined],
      ['suggestedPresentationDelay', dynamic ? formatXsDuration(mpd.suggestedPresentationDelaySec) : undefined],
      ['maxSegmentDuration', formatXsDuration(mpd.maxSegmentDurationSec, 'up')],
      ['minBufferTime', formatXsDuration(mpd.minBufferTimeSec)],
    ],
    [...mpd.periods.map(period), ...utcTiming(mpd.utcTimingUrl)],
  );
  return renderXmlDocument(root);
}
