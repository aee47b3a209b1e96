// The VOD manifests of a recording (RFC 8216 §4.3.3.5 PLAYLIST-TYPE VOD; ISO/IEC 23009-1 §5.3.1 static
// MPD): an HLS multivariant playlist, one media playlist per track and a static MPD with one Period
// per recording period, all over the same CMAF files. Pure: the same model gives the same bytes.
//
// A track missing from a period (the publisher dropped its video, say) is left out there: its
// media playlist goes on after a single EXT-X-DISCONTINUITY, and that Period lacks its AdaptationSet.
// - ffmpeg (test/interop/vod-manifests.test.ts) places fMP4 fragments by tfdt, the recording's
//   wall clock: the tracks stay in sync, the other one plays alone through the gap, and the
//   reported duration is the variant playlist's own, shorter one.
// - That rendition's Discontinuity Sequence Numbers no longer match the others' (RFC 8216 §6.2.4
//   asks matching ones for matching content); hls.js aligns renditions on them, so it may pair
//   later periods wrongly (not tested). EXT-X-GAP segments (rfc8216bis §4.4.4.7) would avoid it.
// - DASH players that switch Periods (dash.js, Shaka) should play that Period without picture
//   (not tested: ffmpeg 5.1 reads a single Period).
import { ProtocolError } from '../core/errors.js';
import { DEFAULT_PROFILES, type DashPeriod, type DashRepresentation, type LiveMpd } from '../manifest/dash/mpd-model.js';
import { serializeMpd } from '../manifest/dash/mpd-serializer.js';
import { durationMs, MS_PER_SECOND, roundedExtinfSec } from '../manifest/hls/hls-time.js';
import { serializeMediaPlaylist, type HlsSegmentEntry } from '../manifest/hls/media-playlist.js';
import { serializeMultivariantPlaylist, type HlsAudioRendition, type HlsVariant } from '../manifest/hls/multivariant-playlist.js';
import { minimumMediaPlaylistVersion } from '../manifest/hls/playlist-version.js';
import { segmentUri, type TrackLetter } from './cmaf-packager.js';
import { vodMediaPlaylistName, type VodRecording, type VodSegment, type VodTrack } from './vod-model.js';

export interface VodMediaPlaylistFile {
  readonly letter: TrackLetter;
  /** File name: v.m3u8 or a.m3u8 (vodMediaPlaylistName). */
  readonly name: string;
  readonly text: string;
}

export interface VodTracksSummary {
  /** Every RFC 6381 codec of the recording, video first, each once (several after a configuration change). */
  readonly codecs: readonly string[];
  /** The largest video picture of the recording. */
  readonly width?: number;
  readonly height?: number;
}

export interface VodManifests {
  /** The text of VOD_MULTIVARIANT (index.m3u8). */
  readonly multivariant: string;
  /** One per track letter that has segments, video first. */
  readonly mediaPlaylists: readonly VodMediaPlaylistFile[];
  /** The text of VOD_MPD (index.mpd). */
  readonly mpd: string;
  /** The sum of the periods' durations: reconnect gaps are not part of the VOD. */
  readonly durationSec: number;
  readonly tracks: VodTracksSummary;
}

/** What an invalid model breaks; ProtocolError.context.rule carries it. */
export type VodModelRule = 'no-segments' | 'unknown-track' | 'duplicate-track' | 'track-kind' | 'segment-timing' | 'segment-order' | 'segment-name';

/** The DASH media template; the packager names each segment file by it (segmentUri). */
export const VOD_MEDIA_TEMPLATE = '$RepresentationID$-$Time$.m4s';
const LETTERS: readonly TrackLetter[] = ['v', 'a'];
const KIND_OF: Readonly<Record<TrackLetter, 'video' | 'audio'>> = { v: 'video', a: 'audio' };
/** HLS audio rendition group, as the live multivariant playlist names it. */
const AUDIO_GROUP = 'aud';
/** The peak segment bit rate looks at sets of segments lasting 0.5 to 1.5 × target (rfc8216bis). */
const PEAK_WINDOW_MIN = 0.5;
const PEAK_WINDOW_MAX = 1.5;

/** One track's segments in one period. */
interface TrackRun {
  readonly track: VodTrack;
  readonly segments: readonly VodSegment[];
}

/** A media time as an exact fraction: ticks / timescale seconds. */
interface Instant {
  readonly ticks: number;
  readonly timescale: number;
}

/** A period that has segments, with its place on the VOD timeline. */
interface Period {
  readonly runs: ReadonlyMap<TrackLetter, TrackRun>;
  /** The earliest segment start over its tracks. */
  readonly origin: Instant;
  /** The longest track's span, measured from `origin`, in seconds. */
  readonly durationSec: number;
  /** Cumulative duration of the periods before it. */
  readonly startSec: number;
}

function invalid(rule: VodModelRule, message: string, context: Record<string, string | number> = {}): never {
  throw new ProtocolError(`VOD model: ${message}`, { rule, ...context });
}

const segmentSec = (s: VodSegment, track: VodTrack): number => s.durationTicks / track.timescale;
const endTicks = (s: VodSegment): number => s.startTicks + s.durationTicks;
const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

function checkTracks(tracks: readonly VodTrack[], p: number): void {
  const seen = new Set<TrackLetter>();
  for (const t of tracks) {
    if (seen.has(t.letter)) invalid('duplicate-track', `period ${p} has two "${t.letter}" tracks`, { period: p });
    seen.add(t.letter);
    if (KIND_OF[t.letter] !== t.kind) invalid('track-kind', `period ${p}: track "${t.letter}" is ${t.kind}`, { period: p });
    if (!Number.isSafeInteger(t.timescale) || t.timescale < 1) invalid('segment-timing', `period ${p}: track "${t.letter}" has timescale ${t.timescale}`, { period: p });
  }
}

/** Starts and durations are integers, each segment starts at or after the previous one's end, and is named by its start. */
function checkSegments(letter: TrackLetter, segments: readonly VodSegment[], p: number): void {
  let previous: VodSegment | undefined;
  for (const s of segments) {
    const ctx = { period: p, uri: s.uri };
    if (!isCount(s.startTicks) || !isCount(s.durationTicks) || s.durationTicks === 0 || !isCount(endTicks(s))) {
      invalid('segment-timing', `${s.uri} needs integer start >= 0 and duration > 0 ticks`, ctx);
    }
    if (!isCount(s.bytes) || !Number.isFinite(s.programDateTimeMs)) invalid('segment-timing', `${s.uri} has a bad size or wall-clock time`, ctx);
    // Times within a track must increase without overlap: a SegmentTimeline cannot go back
    // (23009-1 §5.3.9.6) and neither can an HLS timeline between two discontinuities.
    if (previous !== undefined && s.startTicks < endTicks(previous)) {
      invalid('segment-order', `${s.uri} starts at ${s.startTicks}, before ${previous.uri} ends at ${endTicks(previous)}`, ctx);
    }
    // The MPD addresses segments through the $RepresentationID$-$Time$ template only.
    if (s.uri !== segmentUri(letter, s.startTicks)) invalid('segment-name', `${s.uri} is not named ${segmentUri(letter, s.startTicks)}`, ctx);
    previous = s;
  }
}

/** Groups one period's segments by track; tracks without segments are left out. */
function periodRuns(tracks: readonly VodTrack[], segments: readonly VodSegment[], p: number): Map<TrackLetter, TrackRun> {
  checkTracks(tracks, p);
  const byLetter = new Map<TrackLetter, VodSegment[]>();
  for (const s of segments) {
    if (!tracks.some((t) => t.letter === s.letter)) invalid('unknown-track', `${s.uri} belongs to no "${s.letter}" track of period ${p}`, { period: p, uri: s.uri });
    const list = byLetter.get(s.letter);
    if (list === undefined) byLetter.set(s.letter, [s]);
    else list.push(s);
  }
  const runs = new Map<TrackLetter, TrackRun>();
  for (const letter of LETTERS) {
    const list = byLetter.get(letter);
    const track = tracks.find((t) => t.letter === letter);
    if (list === undefined || track === undefined) continue;
    checkSegments(letter, list, p);
    runs.set(letter, { track, segments: list });
  }
  return runs;
}

/** a < b, exactly: wall-clock ticks are near 2^47, so their quotients differ only past double precision. */
function isBefore(a: Instant, b: Instant): boolean {
  return BigInt(a.ticks) * BigInt(b.timescale) < BigInt(b.ticks) * BigInt(a.timescale);
}

/** (a − b) in seconds, from an exact numerator: the span is small, the instants are not. */
function secondsBetween(a: Instant, b: Instant): number {
  const numerator = BigInt(a.ticks) * BigInt(b.timescale) - BigInt(b.ticks) * BigInt(a.timescale);
  return Number(numerator) / (a.timescale * b.timescale);
}

/** Period origin is the earliest first segment over its tracks; its duration reaches the latest end. */
function placePeriod(runs: ReadonlyMap<TrackLetter, TrackRun>, startSec: number): Period {
  const firsts = [...runs.values()].map(({ track, segments }) => ({ ticks: segments[0].startTicks, timescale: track.timescale }));
  const origin = firsts.reduce((earliest, t) => (isBefore(t, earliest) ? t : earliest));
  let durationSec = 0;
  for (const { track, segments } of runs.values()) {
    const end = { ticks: endTicks(segments[segments.length - 1]), timescale: track.timescale };
    durationSec = Math.max(durationSec, secondsBetween(end, origin));
  }
  return { runs, origin, durationSec, startSec };
}

/** The periods that have segments, placed end to end from 0; throws for an invalid model. */
function layOut(rec: VodRecording): Period[] {
  const periods: Period[] = [];
  let startSec = 0;
  rec.periods.forEach((vp, p) => {
    const runs = periodRuns(vp.tracks, vp.segments, p);
    if (runs.size === 0) return; // an empty period is allowed and skipped (vod-model.ts)
    const placed = placePeriod(runs, startSec);
    periods.push(placed);
    startSec += placed.durationSec;
  });
  if (periods.length === 0) invalid('no-segments', 'the recording has no segments');
  return periods;
}

/** The largest value of `f` over every segment of the recording (a loop: no spread of a long list). */
function maxOverSegments(periods: readonly Period[], f: (s: VodSegment, track: VodTrack) => number): number {
  let max = -Infinity;
  for (const p of periods) for (const { track, segments } of p.runs.values()) for (const s of segments) max = Math.max(max, f(s, track));
  return max;
}

/** Wall-clock end of a segment; the latest is the MPD's publishTime, so the same model gives the same MPD. */
const wallClockEndMs = (s: VodSegment, track: VodTrack): number => s.programDateTimeMs + segmentSec(s, track) * MS_PER_SECOND;

/**
 * RFC 8216 §4.3.3.1: every EXTINF, rounded to the nearest integer, is at most the target.
 * Evaluated on the written (millisecond) EXTINF, like the serializer's own check. One target for
 * every media playlist of the recording, as the live playlists share one.
 */
function targetDurationSec(periods: readonly Period[]): number {
  return Math.max(1, maxOverSegments(periods, (s, track) => roundedExtinfSec(durationMs(segmentSec(s, track)))));
}

/** A segment's size (bytes) and duration (seconds), all the bit rates need. */
type Sized = { readonly bytes: number; readonly sec: number };

function sizedSegments(runs: readonly TrackRun[]): Sized[] {
  return runs.flatMap(({ track, segments }) => segments.map((s) => ({ bytes: s.bytes, sec: segmentSec(s, track) })));
}

function averageBitrate(segments: readonly Sized[]): number {
  const bytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  const sec = segments.reduce((sum, s) => sum + s.sec, 0);
  return sec > 0 ? (bytes * 8) / sec : 0;
}

/**
 * Peak segment bit rate (RFC 8216 §4.3.4.2 BANDWIDTH, as rfc8216bis defines it): the largest bit
 * rate of any contiguous set of segments lasting 0.5 to 1.5 × target, so that one short closing
 * segment (an IDR frame and little else) does not set the peak. Falls back to the average when no set
 * qualifies (a recording shorter than half the target).
 */
function peakBitrate(segments: readonly Sized[], targetSec: number): number {
  let peak = 0;
  for (let i = 0; i < segments.length; i++) {
    let bytes = 0;
    let sec = 0;
    for (let j = i; j < segments.length && sec + segments[j].sec <= PEAK_WINDOW_MAX * targetSec; j++) {
      bytes += segments[j].bytes;
      sec += segments[j].sec;
      if (sec >= PEAK_WINDOW_MIN * targetSec) peak = Math.max(peak, (bytes * 8) / sec);
    }
  }
  return peak > 0 ? peak : averageBitrate(segments);
}

/** A period's runs, video first. */
const runsOfPeriod = (p: Period): TrackRun[] => LETTERS.flatMap((l) => p.runs.get(l) ?? []);

/** A track's runs, in period order (periods without that track are left out). */
function runsOf(periods: readonly Period[], letter: TrackLetter): TrackRun[] {
  return periods.flatMap((p) => p.runs.get(letter) ?? []);
}

/**
 * One track's media playlist: EXT-X-MAP of its first period, then per later period
 * EXT-X-DISCONTINUITY (§4.3.2.3: timestamps and possibly the encoding change) followed by that
 * period's EXT-X-MAP (§4.3.2.5) and EXT-X-PROGRAM-DATE-TIME (the serializer writes it on every
 * segment, §4.3.2.6). PLAYLIST-TYPE VOD with ENDLIST: the playlist never changes (§4.3.3.5).
 */
function mediaPlaylist(runs: readonly TrackRun[], target: number): string {
  const segments: HlsSegmentEntry[] = [];
  runs.forEach(({ track, segments: list }, r) => {
    list.forEach((s, i) => {
      segments.push({
        sequence: segments.length,
        uri: s.uri,
        durationSec: segmentSec(s, track),
        discontinuity: r > 0 && i === 0,
        programDateTimeMs: s.programDateTimeMs,
        byteLength: s.bytes,
        ...(i === 0 ? { map: { uri: track.init } } : {}),
      });
    });
  });
  return serializeMediaPlaylist({
    version: minimumMediaPlaylistVersion({ map: true }), targetDurationSec: target, mediaSequence: 0, discontinuitySequence: 0,
    independentSegments: true, playlistType: 'VOD', segments, endList: true, map: { uri: runs[0].track.init },
  });
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

function summarize(periods: readonly Period[]): VodTracksSummary {
  const tracks = LETTERS.flatMap((l) => runsOf(periods, l).map((r) => r.track));
  const area = (t: VodTrack): number => (t.width ?? 0) * (t.height ?? 0);
  const largest = tracks.filter((t) => area(t) > 0).reduce<VodTrack | undefined>((m, t) => (m === undefined || area(t) > area(m) ? t : m), undefined);
  return { codecs: unique(tracks.map((t) => t.codecString)), ...(largest ? { width: largest.width, height: largest.height } : {}) };
}

function maxOf(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

/**
 * RFC 8216 §4.3.4.2: BANDWIDTH is the largest sum of peak segment bit rates over the renditions
 * played together (video + audio), AVERAGE-BANDWIDTH the same sum of averages; CODECS lists every
 * format of the variant, audio group included; RESOLUTION the largest picture; FRAME-RATE the
 * maximum. Audio-only: one variant on a.m3u8; video-only: no audio group.
 */
function multivariant(periods: readonly Period[], target: number, summary: VodTracksSummary): string {
  const video = runsOf(periods, 'v');
  const audio = runsOf(periods, 'a');
  const rates = [video, audio].filter((r) => r.length > 0).map(sizedSegments);
  const base = {
    bandwidth: Math.ceil(rates.reduce((sum, s) => sum + peakBitrate(s, target), 0)),
    averageBandwidth: Math.ceil(rates.reduce((sum, s) => sum + averageBitrate(s), 0)),
    codecs: summary.codecs.join(','),
  };
  if (video.length === 0) return serializeMultivariantPlaylist({ independentSegments: true, variants: [{ uri: vodMediaPlaylistName('a'), ...base }] });
  const rendition: HlsAudioRendition | undefined = audio.length === 0 ? undefined : {
    groupId: AUDIO_GROUP, name: 'main', uri: vodMediaPlaylistName('a'), default: true, autoselect: true,
    channels: maxOf(audio.map((r) => r.track.channels)),
  };
  const frameRate = maxOf(video.map((r) => r.track.frameRate));
  const variant: HlsVariant = {
    uri: vodMediaPlaylistName('v'),
    ...base,
    ...(summary.width !== undefined && summary.height !== undefined ? { resolution: { width: summary.width, height: summary.height } } : {}),
    ...(frameRate === undefined ? {} : { frameRate }),
    ...(rendition ? { audioGroup: AUDIO_GROUP } : {}),
  };
  return serializeMultivariantPlaylist({ independentSegments: true, ...(rendition ? { audio: [rendition] } : {}), variants: [variant] });
}

/**
 * 23009-1 §5.3.9.2: presentationTimeOffset is the media time that maps to the Period's start, so
 * each track's offset is the period origin in its own timescale, rounded down so that no segment
 * starts before its Period. Exact in BigInt: wall-clock ticks × a timescale exceed 2^53.
 */
function presentationTimeOffset(origin: Instant, timescale: number): number {
  return Number((BigInt(origin.ticks) * BigInt(timescale)) / BigInt(origin.timescale));
}

function representation(run: TrackRun, p: Period, target: number): DashRepresentation {
  const { track, segments } = run;
  const kind = track.kind === 'video'
    ? { width: track.width, height: track.height, frameRate: track.frameRate }
    : { audioSamplingRate: track.sampleRate, audioChannels: track.channels };
  return {
    id: track.letter,
    contentType: track.kind,
    mimeType: track.kind === 'video' ? 'video/mp4' : 'audio/mp4',
    codecs: track.codecString,
    // §5.3.5.2: delivered at this rate, a client that buffered minBufferTime plays without a stall.
    bandwidth: Math.max(1, Math.ceil(peakBitrate(sizedSegments([run]), target))),
    timescale: track.timescale,
    initialization: track.init,
    media: VOD_MEDIA_TEMPLATE,
    segments: segments.map((s) => ({ t: s.startTicks, d: s.durationTicks })),
    presentationTimeOffset: presentationTimeOffset(p.origin, track.timescale),
    ...kind,
  };
}


/**
 * The static MPD (23009-1 §5.3.1.2, DASH-IF IOP 4.6.4): mediaPresentationDuration, one Period per
 * recording period at the cumulative duration of those before it (§5.3.2.1: Period@start), each
 * track with its period's init segment and a SegmentTimeline; the live MPD's profile; no UTCTiming
 * (nothing in a static MPD depends on the clock). availabilityStartTime stays the epoch, as for
 * the live MPD (output time is wall-clock time since 1970), so every segment is available.
 */
function staticMpd(periods: readonly Period[], target: number, totalSec: number): string {
  const dashPeriods: DashPeriod[] = periods.map((p, i) => ({
    id: `p${i}`,
    startSec: p.startSec,
    representations: runsOfPeriod(p).map((run) => representation(run, p, target)),
  }));
  const mpd: LiveMpd = {
    type: 'static',
    profiles: DEFAULT_PROFILES,
    availabilityStartTimeMs: 0,
    publishTimeMs: maxOverSegments(periods, wallClockEndMs),
    // Dynamic-only values: not written for a static MPD.
    minimumUpdatePeriodSec: 0,
    timeShiftBufferDepthSec: 0,
    suggestedPresentationDelaySec: 0,
    minBufferTimeSec: target,
    maxSegmentDurationSec: maxOverSegments(periods, segmentSec),
    mediaPresentationDurationSec: totalSec,
    periods: dashPeriods,
  };
  return serializeMpd(mpd);
}

/**
 * The VOD manifests of a recording. Throws ProtocolError (context.rule: VodModelRule) when the
 * model has no segments, a segment of a track its period lacks, times that do not increase
 * within a track, or a segment not named by the DASH template.
 */
export function buildVodManifests(rec: VodRecording): VodManifests {
  const periods = layOut(rec);
  const target = targetDurationSec(periods);
  const durationSec = periods.reduce((sum, p) => sum + p.durationSec, 0);
  const tracks = summarize(periods);
  const mediaPlaylists = LETTERS.flatMap((letter) => {
    const runs = runsOf(periods, letter);
    return runs.length === 0 ? [] : [{ letter, name: vodMediaPlaylistName(letter), text: mediaPlaylist(runs, target) }];
  });
  return {
    multivariant: multivariant(periods, target, tracks),
    mediaPlaylists,
    mpd: staticMpd(periods, target, durationSec),
    durationSec,
    tracks,
  };
}
