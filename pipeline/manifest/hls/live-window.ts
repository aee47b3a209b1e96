// The sliding window of a live HLS media playlist (RFC 8216 §6.2.1, §6.2.2).
import { ProtocolError } from '../../core/errors.js';
import { restoreLiveWindowState, type LiveWindowState } from './live-window-state.js';
import { validateSegment, type HlsSegmentEntry, type MediaPlaylist } from './media-playlist.js';
import { durationMs, liveWindowMinimumMs } from './hls-time.js';
import { minimumMediaPlaylistVersion } from './playlist-version.js';

export type { LiveWindowState } from './live-window-state.js';

/** Onramp's default window floor: with 2 s segments, 3 × target alone would leave only three
 *  segments, and clients start three target durations from the end (§6.3.3). */
export const DEFAULT_MIN_SEGMENTS = 6;

export interface LiveWindowOptions {
  /** EXT-X-TARGETDURATION: a positive integer, fixed for the life of the playlist. */
  readonly targetDurationSec: number;
  /** The window keeps at least this many segments (default 6). */
  readonly minSegments?: number;
  /** Write EXT-X-INDEPENDENT-SEGMENTS (default true: the segmenter cuts at keyframes). */
  readonly independentSegments?: boolean;
  /** EXT-X-MAP for fMP4 segments; raises EXT-X-VERSION to 6 (§7). */
  readonly map?: { uri: string };
  /** Media sequence number of the first segment of a new playlist (default 0); ignored when a
   *  state is given. */
  readonly firstSequence?: number;
}

export interface NewSegment {
  readonly uri: string;
  readonly durationSec: number;
  readonly programDateTimeMs: number;
  readonly byteLength?: number;
}

export interface AddResult {
  readonly added: HlsSegmentEntry;
  /** Segments that slid out, oldest first; keep them downloadable for a while (§6.2.2). */
  readonly removed: HlsSegmentEntry[];
}

/**
 * Keeps at least `minSegments` segments AND at least 3 × target duration of content, whichever
 * is more. The oldest segment is removed only while both minimums still hold after its removal
 * (§6.2.2: "MUST NOT remove a Media Segment ... if the duration of the Playlist file minus the
 * duration of the Media Segment is less than three times the target duration"). When a segment
 * carrying EXT-X-DISCONTINUITY slides out, the discontinuity sequence is incremented so that the
 * discontinuity sequence numbers of the remaining segments are unchanged (§6.2.2, §4.3.3.3).
 */
export class LiveWindow {
  private readonly targetSec: number;
  private readonly minSegments: number;
  private readonly independentSegments: boolean;
  private readonly map: { uri: string } | undefined;
  private segments: HlsSegmentEntry[] = [];
  private nextSequence = 0;
  private discontinuitySequence = 0;
  private pendingDiscontinuity = false;
  private ended = false;
  private windowMs = 0;

  constructor(opts: LiveWindowOptions, state?: LiveWindowState) {
    const { targetDurationSec, minSegments = DEFAULT_MIN_SEGMENTS } = opts;
    if (!Number.isSafeInteger(targetDurationSec) || targetDurationSec < 1) {
      throw new ProtocolError(`EXT-X-TARGETDURATION must be a positive integer, got ${targetDurationSec}`);
    }
    if (!Number.isSafeInteger(minSegments) || minSegments < 1) {
      throw new ProtocolError(`minSegments must be a positive integer, got ${minSegments}`);
    }
    this.targetSec = targetDurationSec;
    this.minSegments = minSegments;
    this.independentSegments = opts.independentSegments ?? true;
    this.map = opts.map === undefined ? undefined : { uri: opts.map.uri };
    const { firstSequence = 0 } = opts;
    if (!Number.isSafeInteger(firstSequence) || firstSequence < 0) {
      throw new ProtocolError(`firstSequence must be a non-negative integer, got ${firstSequence}`);
    }
    this.nextSequence = firstSequence;
    if (state !== undefined) {
      const s = restoreLiveWindowState(state, targetDurationSec);
      this.segments = [...s.segments];
      this.nextSequence = s.nextSequence;
      this.discontinuitySequence = s.discontinuitySequence;
      this.pendingDiscontinuity = s.pendingDiscontinuity;
      this.ended = s.ended;
      this.windowMs = this.segments.reduce((sum, e) => sum + durationMs(e.durationSec), 0);
    }
  }

  /** Appends a segment, then slides out the oldest ones the minimums no longer need. */
  add(segment: NewSegment): AddResult {
    if (this.ended) throw new ProtocolError(`cannot add ${segment.uri}: the playlist has ended (EXT-X-ENDLIST)`);
    validateSegment(segment, this.targetSec);
    const last = this.segments.at(-1);
    // Compared as written (whole ms): EXT-X-PROGRAM-DATE-TIME must increase from segment to segment.
    if (last !== undefined && Math.round(segment.programDateTimeMs) <= Math.round(last.programDateTimeMs)) {
      throw new ProtocolError(`segment ${segment.uri}: programDateTimeMs must increase`, {
        previousMs: last.programDateTimeMs,
        programDateTimeMs: segment.programDateTimeMs,
      });
    }
    if (this.segments.some((e) => e.uri === segment.uri)) {
      throw new ProtocolError(`segment URI ${segment.uri} is already in the playlist`);
    }
    const added: HlsSegmentEntry = {
      sequence: this.nextSequence,
      uri: segment.uri,
      durationSec: segment.durationSec,
      discontinuity: this.pendingDiscontinuity,
      programDateTimeMs: segment.programDateTimeMs,
      ...(segment.byteLength === undefined ? {} : { byteLength: segment.byteLength }),
    };
    this.segments.push(added);
    this.windowMs += durationMs(added.durationSec);
    this.nextSequence += 1;
    this.pendingDiscontinuity = false;
    return { added, removed: this.slide() };
  }

  /** The next added segment carries EXT-X-DISCONTINUITY. A no-op on an empty window: there is
   *  nothing yet for the next segment to be discontinuous with. */
  markDiscontinuity(): void {
    if (this.ended) throw new ProtocolError('cannot mark a discontinuity: the playlist has ended');
    if (this.segments.length > 0) this.pendingDiscontinuity = true;
  }

  /** Writes EXT-X-ENDLIST from now on; idempotent. Removes nothing. */
  end(): void {
    this.ended = true;
    this.pendingDiscontinuity = false;
  }

  playlist(): MediaPlaylist {
    const base = {
      version: minimumMediaPlaylistVersion({ map: this.map }),
      targetDurationSec: this.targetSec,
      mediaSequence: this.segments[0]?.sequence ?? this.nextSequence,
      discontinuitySequence: this.discontinuitySequence,
      independentSegments: this.independentSegments,
      segments: [...this.segments],
      endList: this.ended,
    };
    return this.map === undefined ? base : { ...base, map: { uri: this.map.uri } };
  }

  /** The segments listed now: the window's own array, to read at once and not keep (playlist() and state() copy). */
  get segmentsNow(): readonly HlsSegmentEntry[] {
    return this.segments;
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  /** The media sequence number the next segment added gets. */
  get upcomingSequence(): number {
    return this.nextSequence;
  }

  /** Whether the next segment added carries EXT-X-DISCONTINUITY. */
  get discontinuityPending(): boolean {
    return this.pendingDiscontinuity;
  }

  state(): LiveWindowState {
    return {
      targetDurationSec: this.targetSec,
      segments: this.segments.map((e) => ({ ...e })),
      nextSequence: this.nextSequence,
      discontinuitySequence: this.discontinuitySequence,
      pendingDiscontinuity: this.pendingDiscontinuity,
      ended: this.ended,
    };
  }

  private slide(): HlsSegmentEntry[] {
    const removed: HlsSegmentEntry[] = [];
    const minimumMs = liveWindowMinimumMs(this.targetSec);
    for (;;) {
      const oldest = this.segments[0];
      const oldestMs = durationMs(oldest.durationSec);
      if (this.segments.length - 1 < this.minSegments || this.windowMs - oldestMs < minimumMs) break;
      this.segments.shift();
      this.windowMs -= oldestMs;
      if (oldest.discontinuity) this.discontinuitySequence += 1;
      removed.push(oldest);
    }
    return removed;
  }
}
