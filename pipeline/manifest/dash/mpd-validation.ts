// Rules a LiveMpd must satisfy before it is written (ISO/IEC 23009-1 §5.3.1.2 Table 3, §5.3.2, §5.3.5, §5.3.9.6).
import { ProtocolError } from '../../core/errors.js';
import type { DashPeriod, DashRepresentation, LiveMpd } from './mpd-model.js';
import { durationMs, MS_PER_SECOND } from './mpd-time.js';
import { validateSegmentTimings } from './segment-timeline.js';
import { validateInitializationTemplate, validateMediaTemplate } from './segment-template.js';

/** xs:unsignedInt bound of @bandwidth, @timescale, @width, @height (Annex B schema). */
export const MAX_UNSIGNED_INT = 0xffff_ffff;
/** MPD-level durations the serializer writes for each type. */
const DYNAMIC_DURATIONS = ['minimumUpdatePeriodSec', 'timeShiftBufferDepthSec', 'suggestedPresentationDelaySec'] as const;

function fail(message: string): never {
  throw new ProtocolError(message);
}

function checkDuration(name: string, value: number | undefined, positive = false): void {
  if (value === undefined || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    fail(`MPD ${name} must be a ${positive ? 'positive' : 'non-negative'} number of seconds, got ${value}`);
  }
}

function checkUnsigned(where: string, name: string, value: number | undefined, optional: boolean): void {
  if (value === undefined && optional) return;
  if (value === undefined || !Number.isSafeInteger(value) || value < 1 || value > MAX_UNSIGNED_INT) {
    fail(`${where}: ${name} must be an integer from 1 to 2^32-1, got ${value}`);
  }
}

function validateRepresentation(r: DashRepresentation, where: string): void {
  const video = r.contentType === 'video';
  if (r.contentType !== 'video' && r.contentType !== 'audio') fail(`${where}: unknown contentType ${String(r.contentType)}`);
  if (r.mimeType !== (video ? 'video/mp4' : 'audio/mp4')) fail(`${where}: mimeType ${r.mimeType} does not match ${r.contentType}`);
  if (r.id !== (video ? 'v' : 'a')) fail(`${where}: a ${r.contentType} Representation has id "${video ? 'v' : 'a'}"`);
  if (r.codecs.trim() === '') fail(`${where}: codecs is empty`);
  checkUnsigned(where, 'bandwidth', r.bandwidth, false);
  checkUnsigned(where, 'timescale', r.timescale, false);
  validateMediaTemplate(r.media);
  validateInitializationTemplate(r.initialization);
  checkUnsigned(where, 'width', r.width, true);
  checkUnsigned(where, 'height', r.height, true);
  checkUnsigned(where, 'audioSamplingRate', r.audioSamplingRate, true);
  const wrongKind = video
    ? r.audioSamplingRate !== undefined || r.audioChannels !== undefined
    : r.width !== undefined || r.height !== undefined || r.frameRate !== undefined;
  if (wrongKind) fail(`${where}: ${r.contentType} Representation carries attributes of the other media type`);
  const pto = r.presentationTimeOffset;
  if (pto !== undefined && (!Number.isSafeInteger(pto) || pto < 0)) {
    fail(`${where}: presentationTimeOffset must be a non-negative integer, got ${pto}`);
  }
  if (r.segments.length === 0) {
    fail(`${where}: no segments; a SegmentTimeline needs at least one S (leave the Representation out until it has one)`);
  }
  validateSegmentTimings(r.segments, where);
}

/** Every segment must fit the written maxSegmentDuration (whole ms, rounded up): d / timescale ≤ ms / 1000. */
function checkMaxSegmentDuration(r: DashRepresentation, where: string, maxMs: number): void {
  const longest = r.segments.reduce((m, s) => Math.max(m, s.d), 0);
  if (longest * MS_PER_SECOND > maxMs * r.timescale) {
    fail(`${where}: a segment of ${longest / r.timescale} s exceeds maxSegmentDuration ${maxMs / MS_PER_SECOND} s`);
  }
}

function validatePeriod(p: DashPeriod, previousStartSec: number, maxSegmentMs: number): void {
  if (p.id === '') fail('a Period id is empty (dynamic MPDs need Period@id, §5.3.2.2)');
  if (!Number.isFinite(p.startSec) || p.startSec < 0 || p.startSec <= previousStartSec) {
    fail(`Period ${p.id}: start ${p.startSec} s must be non-negative and after the previous Period's start`);
  }
  if (p.representations.length === 0) fail(`Period ${p.id} has no Representation`);
  const seen = new Set<string>();
  for (const r of p.representations) {
    if (seen.has(r.contentType)) fail(`Period ${p.id} has two ${r.contentType} Representations; one of each is supported`);
    seen.add(r.contentType);
    validateRepresentation(r, `Period ${p.id} Representation ${r.id}`);
    checkMaxSegmentDuration(r, `Period ${p.id} Representation ${r.id}`, maxSegmentMs);
  }
}

/** Throws ProtocolError when the model would produce an MPD that breaks 23009-1 or Onramp's form. */
export function validateLiveMpd(mpd: LiveMpd): void {
  if (mpd.type !== 'dynamic' && mpd.type !== 'static') fail(`MPD type must be dynamic or static, got ${String(mpd.type)}`);
  if (mpd.type === 'dynamic') for (const name of DYNAMIC_DURATIONS) checkDuration(name, mpd[name]);
  if (mpd.type === 'static' && mpd.mediaPresentationDurationSec === undefined) {
    fail('a static MPD needs mediaPresentationDurationSec (§5.3.1.2: required when no Period has a duration)');
  }
  if (mpd.mediaPresentationDurationSec !== undefined) checkDuration('mediaPresentationDurationSec', mpd.mediaPresentationDurationSec, true);
  checkDuration('minBufferTimeSec', mpd.minBufferTimeSec);
  checkDuration('maxSegmentDurationSec', mpd.maxSegmentDurationSec, true);
  if (mpd.utcTimingUrl === undefined && mpd.type === 'dynamic') {
    fail('a dynamic MPD needs utcTimingUrl: without UTCTiming dash.js would fall back to a public time server');
  }
  if (mpd.utcTimingUrl !== undefined && mpd.utcTimingUrl.trim() === '') fail('utcTimingUrl is empty: dash.js would fall back to a public time server');
  if (mpd.profiles !== undefined && mpd.profiles.trim() === '') fail('profiles is empty');
  if (mpd.periods.length === 0) fail('an MPD needs at least one Period');
  const maxSegmentMs = durationMs(mpd.maxSegmentDurationSec, 'up');
  const ids = new Set<string>();
  let previousStart = -1;
  for (const p of mpd.periods) {
    if (ids.has(p.id)) fail(`Period id ${p.id} appears twice`);
    ids.add(p.id);
    validatePeriod(p, previousStart, maxSegmentMs);
    previousStart = p.startSec;
  }
  const total = mpd.mediaPresentationDurationSec;
  if (total !== undefined && total <= previousStart) {
    fail(`mediaPresentationDuration ${total} s ends before the last Period starts (${previousStart} s)`);
  }
}
