// The live window of a low-latency HLS media playlist: parts, preload hint, delta updates (draft-pantos-hls-rfc8216bis §4.4.3.7-§4.4.5.3, §6.2.2, §6.2.5).
import { ProtocolError } from '../../core/errors.js';
import { blockingReloadStatus, type BlockingReloadRequest, type BlockingReloadStatus } from './blocking-reload.js';
import { toDeltaUpdate } from './delta-update.js';
import { durationMs } from './hls-time.js';
import { LiveWindow } from './live-window.js';
import { restoreLlLiveWindowState, type LlLiveWindowState } from './ll-live-window-state.js';
import { defaultServerControl, firstSegmentListingParts } from './low-latency-tags.js';
import type { HlsPartEntry, HlsSegmentEntry, MediaPlaylist } from './media-playlist.js';
import { isSafeUri, partsMatchSegment, validatePart } from './media-playlist-validation.js';
import { minimumMediaPlaylistVersion } from './playlist-version.js';

export type { LlLiveWindowState } from './ll-live-window-state.js';

/** Default window floor: delta updates skip only segments that end more than CAN-SKIP-UNTIL
 *  (6 × target) before the last one, so the window must be longer than that to make them useful. */
export const LL_DEFAULT_MIN_SEGMENTS = 12;

export interface LlLiveWindowOptions {
  /** EXT-X-TARGETDURATION: a positive integer, fixed for the life of the playlist. */
  readonly targetDurationSec: number;
  /** EXT-X-PART-INF:PART-TARGET: every part lasts at most this long; at most the target. */
  readonly partTargetSec: number;
  /** The window keeps at least this many complete segments (default 12) and 3 × target. */
  readonly minSegments?: number;
  /** EXT-X-MAP of the first segments (the fMP4 initialization section). */
  readonly mapUri: string;
  /** Media sequence number of the first segment of a new playlist (default 0); ignored with a state. */
  readonly firstSequence?: number;
}

export interface NewPart {
  readonly uri: string;
  readonly durationSec: number;
  readonly independent: boolean;
}

export interface NewLlSegment {
  readonly uri: string;
  readonly durationSec: number;
  readonly programDateTimeMs: number;
  readonly byteLength?: number;
}

/**
 * A LiveWindow of complete segments plus what low latency adds: each segment's parts, the parts
 * of the segment in progress, the EXT-X-MAP of each segment and the preload hint. Parts are listed
 * only for segments ending less than 3 × target before the end of the playlist (§6.2.2), and
 * once a segment stops listing them it never lists them again. Discontinuities and map changes
 * apply to the next segment started; they cannot be set once its first part is listed.
 */
export class LlLiveWindow {
  private readonly window: LiveWindow;
  private readonly targetSec: number;
  private readonly partTargetSec: number;
  private mapUri: string;
  private segmentMapUris: string[] = [];
  private segmentParts: HlsPartEntry[][] = [];
  private partsFromSequence: number;
  private pending: HlsPartEntry[] = [];
  private hint: string | undefined;

  constructor(opts: LlLiveWindowOptions, state?: LlLiveWindowState) {
    const { targetDurationSec, partTargetSec, minSegments = LL_DEFAULT_MIN_SEGMENTS, firstSequence = 0 } = opts;
    this.window = new LiveWindow({ targetDurationSec, minSegments, firstSequence }, state?.window);
    const partMs = durationMs(partTargetSec);
    if (!Number.isFinite(partTargetSec) || partMs <= 0 || partMs > targetDurationSec * 1000) {
      throw new ProtocolError(`PART-TARGET must be positive and at most the target duration, got ${partTargetSec}`);
    }
    if (!isSafeUri(opts.mapUri)) throw new ProtocolError(`unsafe EXT-X-MAP URI ${JSON.stringify(opts.mapUri)}`);
    this.targetSec = targetDurationSec;
    this.partTargetSec = partTargetSec;
    this.mapUri = opts.mapUri;
    this.partsFromSequence = firstSequence;
    if (state !== undefined) {
      const s = restoreLlLiveWindowState(state, targetDurationSec, partTargetSec);
      this.mapUri = s.mapUri;
      this.segmentMapUris = [...s.segmentMapUris];
      this.segmentParts = s.segmentParts.map((p) => [...p]);
      this.partsFromSequence = s.partsFromSequence;
      this.pending = [...s.pendingParts];
      this.hint = s.preloadHintUri;
    }
  }

  /** Lists a part of the segment in progress; the first part of a segment must be independent. */
  addPart(part: NewPart): void {
    this.assertLive(`add part ${part.uri}`);
    const entry: HlsPartEntry = { uri: part.uri, durationSec: part.durationSec, independent: part.independent };
    validatePart(entry, this.partTargetSec);
    if (this.pending.length === 0 && !entry.independent) {
      throw new ProtocolError(`part ${part.uri} starts a segment, so it must be independent (EXT-X-INDEPENDENT-SEGMENTS)`);
    }
    this.assertNewUri(entry.uri);
    this.pending.push(entry);
    if (this.hint === entry.uri) this.hint = undefined;
    this.retireParts();
  }

  /** Closes the segment whose parts were added (their durations must add up to its own). */
  completeSegment(segment: NewLlSegment): { removed: HlsSegmentEntry[] } {
    this.assertLive(`complete segment ${segment.uri}`);
    if (this.pending.length > 0 && !partsMatchSegment(this.pending, segment.durationSec)) {
      throw new ProtocolError(`segment ${segment.uri} lasts ${segment.durationSec} s but its parts add up to ` +
        `${this.pending.reduce((sum, p) => sum + p.durationSec, 0)} s (rfc8216bis §3.2: the same samples)`);
    }
    if (this.pending.some((p) => p.uri === segment.uri) || this.hint === segment.uri) {
      throw new ProtocolError(`segment URI ${segment.uri} is already used by a part or the preload hint`);
    }
    const { removed } = this.window.add(segment);
    this.segmentParts.push(this.pending);
    this.segmentMapUris.push(this.mapUri);
    this.pending = [];
    const removedParts = this.segmentParts.splice(0, removed.length);
    this.segmentMapUris.splice(0, removed.length);
    this.retireParts();
    return { removed: removed.map((e, i) => (removedParts[i].length > 0 ? { ...e, parts: removedParts[i] } : e)) };
  }

  /** Segments started from now on use this initialization section (EXT-X-MAP, §4.3.2.5). */
  setMap(uri: string): void {
    this.assertLive('change EXT-X-MAP');
    this.assertBetweenSegments('EXT-X-MAP');
    if (!isSafeUri(uri)) throw new ProtocolError(`unsafe EXT-X-MAP URI ${JSON.stringify(uri)}`);
    this.mapUri = uri;
  }

  /** The next segment started carries EXT-X-DISCONTINUITY. A no-op while no segment is complete:
   *  the first segment follows nothing it could be discontinuous with. */
  markDiscontinuity(): void {
    if (this.segmentParts.length === 0) return;
    this.assertBetweenSegments('EXT-X-DISCONTINUITY');
    this.window.markDiscontinuity();
  }

  /** Writes EXT-X-ENDLIST from now on and drops the preload hint (§4.4.5.3); idempotent. */
  end(): void {
    if (this.pending.length > 0) throw new ProtocolError('complete the segment in progress before ending the playlist');
    this.hint = undefined;
    this.window.end();
  }

  /** EXT-X-PRELOAD-HINT:TYPE=PART for the next part, or none. */
  setPreloadHint(uri: string | undefined): void {
    if (uri === undefined) {
      this.hint = undefined;
      return;
    }
    this.assertLive(`hint ${uri}`);
    if (!isSafeUri(uri)) throw new ProtocolError(`unsafe preload hint URI ${JSON.stringify(uri)}`);
    this.assertNewUri(uri);
    this.hint = uri;
  }

  /** The full playlist, or with skip=true its delta update (§6.2.5.1), which is the full playlist
   *  itself while no segment lies beyond the Skip Boundary or once the playlist has ended. */
  playlist(opts: { skip?: boolean } = {}): MediaPlaylist {
    const base = this.window.playlist();
    const maps = this.segmentMapUris;
    const segments = base.segments.map((s, i): HlsSegmentEntry => {
      const parts = s.sequence >= this.partsFromSequence ? this.segmentParts[i] : [];
      const map = i > 0 && maps[i] !== maps[i - 1] ? { map: { uri: maps[i] } } : {};
      return { ...s, ...(parts.length > 0 ? { parts: [...parts] } : {}), ...map };
    });
    const lastMap = maps.at(-1);
    const pending = this.pending.length === 0 ? {} : {
      pendingParts: [...this.pending],
      ...(this.window.discontinuityPending ? { pendingDiscontinuity: true } : {}),
      ...(lastMap !== undefined && lastMap !== this.mapUri ? { pendingMap: { uri: this.mapUri } } : {}),
    };
    const full: MediaPlaylist = {
      ...base,
      version: minimumMediaPlaylistVersion({ map: true }),
      independentSegments: true,
      segments,
      map: { uri: maps[0] ?? this.mapUri },
      partTargetSec: this.partTargetSec,
      serverControl: defaultServerControl(this.targetSec, this.partTargetSec),
      ...pending,
      ...(this.hint === undefined ? {} : { preloadHint: { type: 'PART' as const, uri: this.hint } }),
    };
    return opts.skip === true ? toDeltaUpdate(full) : full;
  }

  /** The newest part present, as EXT-X-RENDITION-REPORT states it (LAST-MSN, LAST-PART): the
   *  segment in progress and its last part, else the last complete segment and its last part;
   *  part is -1 when that segment has no part (or nothing exists yet: msn is then the next one). */
  edge(): { msn: number; part: number } {
    const next = this.nextSequence();
    if (this.pending.length > 0) return { msn: next, part: this.pending.length - 1 };
    const last = this.segmentParts.at(-1);
    return last === undefined ? { msn: next, part: -1 } : { msn: next - 1, part: last.length - 1 };
  }

  /** Whether a request with _HLS_msn / _HLS_part can be answered now (§6.2.5.2). */
  reloadStatus(request: BlockingReloadRequest): BlockingReloadStatus {
    const next = this.nextSequence();
    const first = next - this.segmentParts.length;
    return blockingReloadStatus({
      ended: this.window.hasEnded,
      partTargetSec: this.partTargetSec,
      lastSegmentMsn: this.segmentParts.length > 0 ? next - 1 : undefined,
      edge: this.edge(),
      partCount: (msn) => this.segmentParts[msn - first]?.length,
    }, request);
  }

  state(): LlLiveWindowState {
    return {
      window: this.window.state(),
      partTargetSec: this.partTargetSec,
      mapUri: this.mapUri,
      segmentMapUris: [...this.segmentMapUris],
      segmentParts: this.segmentParts.map((parts) => parts.map((p) => ({ ...p }))),
      partsFromSequence: this.partsFromSequence,
      pendingParts: this.pending.map((p) => ({ ...p })),
      ...(this.hint === undefined ? {} : { preloadHintUri: this.hint }),
    };
  }

  private nextSequence(): number {
    return this.window.upcomingSequence;
  }

  /** §6.2.2: parts of segments ending 3 × target or more before the end stop being listed, for good. */
  private retireParts(): void {
    const segments = this.window.segmentsNow;
    const pendingMs = this.pending.reduce((sum, p) => sum + durationMs(p.durationSec), 0);
    const first = firstSegmentListingParts(segments.map((s) => durationMs(s.durationSec)), pendingMs, this.targetSec);
    const sequence = segments[first]?.sequence ?? this.nextSequence();
    this.partsFromSequence = Math.max(this.partsFromSequence, sequence);
  }

  private assertLive(action: string): void {
    if (this.window.hasEnded) throw new ProtocolError(`cannot ${action}: the playlist has ended (EXT-X-ENDLIST)`);
  }

  private assertBetweenSegments(tag: string): void {
    if (this.pending.length > 0) {
      throw new ProtocolError(`${tag} must precede the first part of its segment (rfc8216bis §4.4.4.9): ` +
        'call this before the first addPart() of the segment it applies to, or after completeSegment()');
    }
  }

  private assertNewUri(uri: string): void {
    const used = (parts: readonly HlsPartEntry[]): boolean => parts.some((p) => p.uri === uri);
    if (used(this.pending) || this.segmentParts.some(used) || this.window.segmentsNow.some((s) => s.uri === uri)) {
      throw new ProtocolError(`URI ${uri} is already in the playlist`);
    }
  }
}
