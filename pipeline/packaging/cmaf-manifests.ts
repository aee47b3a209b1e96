// The manifests over one stream's CMAF tracks: a low-latency HLS media playlist per track (parts,
// preload hint, delta form), the multivariant playlist that groups them, and the live DASH MPD
// with a SegmentTimeline per track. Fed by CmafPackager events; no I/O.
import { serializeMpd } from '../manifest/dash/mpd-serializer.js';
import type { DashRepresentation, LiveMpd } from '../manifest/dash/mpd-model.js';
import { LlLiveWindow } from '../manifest/hls/ll-live-window.js';
import { toDeltaUpdate } from '../manifest/hls/delta-update.js';
import { serializeMediaPlaylist } from '../manifest/hls/media-playlist.js';
import { serializeMultivariantPlaylist } from '../manifest/hls/multivariant-playlist.js';
import type { TrackInfo } from '../ingest/media-types.js';
import { fmp4CodecString } from '../fmp4/codec-string.js';
import type { CmafEvent, TrackLetter } from './cmaf-packager.js';

export interface CmafManifestOptions {
  readonly partTargetSec: number;
  readonly windowSegments: number;
  /** The URL of the server's clock for DASH's UTCTiming. */
  readonly utcTimingUrl: string;
}

/** File names of the manifests (in the stream's folder). */
export const LL_MULTIVARIANT = 'll.m3u8';
export const DASH_MANIFEST = 'index.mpd';
export const llPlaylistName = (letter: TrackLetter): string => `ll-${letter}.m3u8`;
/** Segments a low-latency playlist keeps at least (12 × 2 s leaves room to skip 6 × target). */
const LL_MIN_SEGMENTS = 12;

interface TrackManifest {
  readonly track: TrackInfo;
  readonly letter: TrackLetter;
  initUri: string;
  window?: LlLiveWindow;
  /** Segment timings by URI, for the DASH timeline (only those still in the HLS window). */
  readonly timings: Map<string, { t: number; d: number; bytes: number }>;
  /** The part files of each segment, deleted with it. */
  readonly parts: Map<string, string[]>;
  /** A new init segment, announced (EXT-X-MAP) before the next segment's first part. */
  pendingMap?: string;
  /** Events that arrived before the target duration was known (the first segment's parts). */
  readonly early: CmafEvent[];
  discontinuityNext: boolean;
}

/** A new version of a media playlist. Its texts are rendered on first call (from a snapshot taken
 *  when the version was made), so a version nobody reads costs no serialization. */
export interface PlaylistVersion {
  readonly name: string;
  readonly full: () => string;
  /** The delta update (§6.2.5.1), or the full text while nothing can be skipped. */
  readonly delta: () => string;
}

export interface ManifestChanges {
  /** Media playlists that changed, by file name. */
  readonly playlists: PlaylistVersion[];
  /** Files that left every manifest: delete them after the retention time. */
  readonly removed: string[];
}

export class CmafManifests {
  private readonly tracks = new Map<TrackLetter, TrackManifest>();
  private targetSec: number | undefined;
  private ended = false;

  constructor(private readonly opts: CmafManifestOptions) {}

  /** Starts (or restarts, after a configuration change) the manifests for these tracks. */
  onInit(e: Extract<CmafEvent, { type: 'init' }>): void {
    const existing = this.tracks.get(e.letter);
    if (existing) {
      existing.initUri = e.uri;
      existing.pendingMap = e.uri;
      existing.discontinuityNext = true;
      return;
    }
    this.tracks.set(e.letter, { track: e.track, letter: e.letter, initUri: e.uri, timings: new Map(), parts: new Map(), early: [], discontinuityNext: false });
  }

  /** Applies a part or segment; `declaredTargetSec` is the segmenter's target once known. */
  apply(e: CmafEvent, declaredTargetSec: number | undefined): ManifestChanges {
    if (e.type === 'init') {
      this.onInit(e);
      return { playlists: [], removed: [] };
    }
    const tm = this.tracks.get(e.letter);
    if (!tm) return { playlists: [], removed: [] };
    if (!tm.window) {
      if (declaredTargetSec === undefined) {
        tm.early.push(e);
        return { playlists: [], removed: [] };
      }
      this.targetSec ??= declaredTargetSec;
      tm.window = new LlLiveWindow({
        targetDurationSec: this.targetSec,
        partTargetSec: this.opts.partTargetSec,
        // Long enough that delta updates can skip (CAN-SKIP-UNTIL is 6 × target).
        minSegments: Math.max(LL_MIN_SEGMENTS, this.opts.windowSegments),
        mapUri: tm.initUri,
        firstSequence: firstMsn(tm.early, e),
      });
      const removed: string[] = [];
      for (const early of tm.early.splice(0)) removed.push(...this.applyTo(tm, early));
      removed.push(...this.applyTo(tm, e));
      return { playlists: [this.render(tm)], removed };
    }
    const removed = this.applyTo(tm, e);
    return { playlists: [this.render(tm)], removed };
  }

  end(): ManifestChanges {
    this.ended = true;
    const playlists: ManifestChanges['playlists'] = [];
    for (const tm of this.tracks.values()) {
      if (!tm.window) continue;
      tm.window.setPreloadHint(undefined);
      tm.window.end();
      playlists.push(this.render(tm));
    }
    return { playlists, removed: [] };
  }

  /** The low-latency multivariant playlist, once every track has a playlist. */
  multivariant(): string | undefined {
    const video = this.tracks.get('v');
    const audio = this.tracks.get('a');
    if ((video && !video.window) || (audio && !audio.window) || (!video && !audio)) return undefined;
    const bw = (tm: TrackManifest | undefined): number => (tm ? bandwidth(tm) : 0);
    if (video && video.track.kind === 'video') {
      const v = video.track;
      return serializeMultivariantPlaylist({
        independentSegments: true,
        audio: audio ? [{ groupId: 'aud', name: 'main', uri: llPlaylistName('a'), default: true, autoselect: true, channels: audio.track.kind === 'audio' ? audio.track.channels : undefined }] : undefined,
        variants: [
          {
            uri: llPlaylistName('v'),
            bandwidth: bw(video) + bw(audio),
            codecs: [fmp4CodecString(v), audio ? fmp4CodecString(audio.track) : undefined].filter(Boolean).join(','),
            resolution: { width: v.width, height: v.height },
            frameRate: v.frameRate,
            audioGroup: audio ? 'aud' : undefined,
          },
        ],
      });
    }
    const a = audio as TrackManifest;
    return serializeMultivariantPlaylist({ independentSegments: true, variants: [{ uri: llPlaylistName('a'), bandwidth: bw(a), codecs: fmp4CodecString(a.track) }] });
  }

  /** The DASH MPD now (dynamic while live, static once ended). */
  mpd(nowMs: number): string | undefined {
    if (this.targetSec === undefined) return undefined;
    const reps: DashRepresentation[] = [];
    let earliest = Infinity;
    let latest = 0;
    for (const tm of this.tracks.values()) {
      const segments = [...tm.timings.values()].map(({ t, d }) => ({ t, d }));
      if (segments.length === 0) continue;
      const ts = tm.track.timescale;
      earliest = Math.min(earliest, segments[0].t / ts);
      latest = Math.max(latest, (segments[segments.length - 1].t + segments[segments.length - 1].d) / ts);
      const t = tm.track;
      reps.push({
        id: tm.letter,
        contentType: t.kind,
        mimeType: t.kind === 'video' ? 'video/mp4' : 'audio/mp4',
        codecs: fmp4CodecString(t),
        bandwidth: Math.max(1, bandwidth(tm)),
        timescale: ts,
        initialization: tm.initUri,
        media: '$RepresentationID$-$Time$.m4s',
        segments,
        ...(t.kind === 'video' ? { width: t.width, height: t.height, frameRate: t.frameRate } : { audioSamplingRate: t.sampleRate, audioChannels: t.channels }),
      });
    }
    if (reps.length === 0) return undefined;
    const target = this.targetSec;
    const mpd: LiveMpd = {
      type: this.ended ? 'static' : 'dynamic',
      // Output time is wall-clock time since the Unix epoch (CmafPackager), so the availability
      // start never moves, not even across restarts (FIELD-NOTES pain point 11).
      availabilityStartTimeMs: 0,
      publishTimeMs: nowMs,
      minimumUpdatePeriodSec: target,
      timeShiftBufferDepthSec: Math.max(latest - earliest, target * 3),
      suggestedPresentationDelaySec: target * 3,
      minBufferTimeSec: target,
      maxSegmentDurationSec: target + 0.5,
      utcTimingUrl: this.opts.utcTimingUrl,
      ...(this.ended ? { mediaPresentationDurationSec: latest } : {}),
      periods: [{ id: 'p0', startSec: 0, representations: reps }],
    };
    return serializeMpd(mpd);
  }

  /** Edge of a track's playlist, for tests and metrics. */
  edge(letter: TrackLetter): { msn: number; part: number } | undefined {
    return this.tracks.get(letter)?.window?.edge();
  }

  private applyTo(tm: TrackManifest, e: CmafEvent): string[] {
    const w = tm.window as LlLiveWindow;
    if (e.type === 'part') {
      // §4.4.4.9: a discontinuity and a new EXT-X-MAP come before the segment's first part.
      if (e.index === 0 && tm.pendingMap !== undefined) {
        w.setMap(tm.pendingMap);
        tm.pendingMap = undefined;
      }
      if (e.index === 0 && (e.discontinuity || tm.discontinuityNext)) {
        w.markDiscontinuity();
        tm.discontinuityNext = false;
      }
      w.addPart({ uri: e.uri, durationSec: e.durationSec, independent: e.independent });
      w.setPreloadHint(nextPartUri(e.uri));
      const segUri = e.uri.replace(/\.\d+\.m4s$/, '.m4s');
      const list = tm.parts.get(segUri) ?? [];
      list.push(e.uri);
      tm.parts.set(segUri, list);
      return [];
    }
    if (e.type !== 'segment') return [];
    const durationSec = e.durationTicks / tm.track.timescale;
    const { removed } = w.completeSegment({ uri: e.uri, durationSec, programDateTimeMs: e.programDateTimeMs, byteLength: e.byteLength });
    tm.timings.set(e.uri, { t: e.startTicks, d: e.durationTicks, bytes: e.byteLength });
    // The next part is the next segment's first, which starts where this one ends.
    w.setPreloadHint(`${e.letter}-${e.startTicks + e.durationTicks}.0.m4s`);
    const gone: string[] = [];
    for (const r of removed) {
      tm.timings.delete(r.uri);
      gone.push(r.uri, ...(tm.parts.get(r.uri) ?? []));
      tm.parts.delete(r.uri);
    }
    return gone;
  }

  private render(tm: TrackManifest): PlaylistVersion {
    const model = (tm.window as LlLiveWindow).playlist();
    const full = once(() => serializeMediaPlaylist(model));
    const delta = once(() => {
      const update = toDeltaUpdate(model);
      return update === model ? full() : serializeMediaPlaylist(update);
    });
    return { name: llPlaylistName(tm.letter), full, delta };
  }
}

/** A function that computes its value on the first call and returns it from then on. */
function once(compute: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= compute());
}

/** The next part of the same segment: "v-123.4.m4s" → "v-123.5.m4s". */
function nextPartUri(uri: string): string {
  return uri.replace(/\.(\d+)\.m4s$/, (_, i: string) => `.${Number(i) + 1}.m4s`);
}

function bandwidth(tm: TrackManifest): number {
  let bytes = 0;
  let ticks = 0;
  for (const t of tm.timings.values()) {
    bytes += t.bytes;
    ticks += t.d;
  }
  return ticks > 0 ? Math.round((bytes * 8 * tm.track.timescale) / ticks) : 0;
}

function firstMsn(early: readonly CmafEvent[], e: CmafEvent): number {
  const first = early[0] ?? e;
  return first.type === 'init' ? 0 : first.msn;
}
