// The live window of each Representation's SegmentTimeline within timeShiftBufferDepth (ISO/IEC 23009-1 §5.3.9.6, §5.3.1.2 Table 3).
import { ProtocolError } from '../../core/errors.js';
import type { DashSegmentTiming } from './mpd-model.js';
import { durationMs, formatXsDateTime, MS_PER_SECOND } from './mpd-time.js';
import { validateSegmentTimings } from './segment-timeline.js';
import {
  DASH_TIMELINE_STATE_VERSION,
  restoreDashTimelineState,
  validateTimescale,
  type DashTimelineState,
} from './dash-live-window-state.js';

export type { DashTimelineState, DashTrackState } from './dash-live-window-state.js';

export interface DashTimelineOptions {
  /** Wall clock of media time 0, fixed for the life of the stream. */
  readonly availabilityStartTimeMs: number;
  /** Timescale per timeline key, e.g. { v: 90000, a: 48000 }; more can be added later. */
  readonly timescales: Readonly<Record<string, number>>;
}

/** A segment that left the window: keep its file downloadable a while longer, then delete it. */
export interface RemovedSegment {
  readonly repId: string;
  readonly t: number;
  readonly d: number;
}

interface Track {
  readonly timescale: number;
  segments: DashSegmentTiming[];
}

const end = (s: DashSegmentTiming): number => s.t + s.d;

/**
 * Segment timings per timeline key ('v', 'a'; or one key per Period and Representation), oldest
 * first. All keys share one media clock (times continue across reconnects), so the window is cut
 * against the newest end of any key, in seconds: a track that stops (audio dropped mid-stream)
 * slides out like the rest instead of lingering. Exact: comparisons are made in integers.
 */
export class DashTimeline {
  readonly availabilityStartTimeMs: number;
  private readonly tracks = new Map<string, Track>();

  constructor(opts: DashTimelineOptions) {
    formatXsDateTime(opts.availabilityStartTimeMs);
    this.availabilityStartTimeMs = opts.availabilityStartTimeMs;
    for (const [id, timescale] of Object.entries(opts.timescales)) this.addRepresentation(id, timescale);
  }

  /** A successor's timeline from state() of its predecessor (JSON round trip allowed). */
  static restore(state: unknown): DashTimeline {
    const s = restoreDashTimelineState(state);
    const timeline = new DashTimeline({ availabilityStartTimeMs: s.availabilityStartTimeMs, timescales: {} });
    for (const t of s.tracks) {
      timeline.tracks.set(t.id, { timescale: t.timescale, segments: t.segments.map(({ t: start, d }) => ({ t: start, d })) });
    }
    return timeline;
  }

  /** Declares a timeline key; repeating it with the same timescale is a no-op. */
  addRepresentation(repId: string, timescale: number): void {
    validateTimescale(repId, timescale);
    const existing = this.tracks.get(repId);
    if (existing !== undefined && existing.timescale !== timescale) {
      throw new ProtocolError(`timeline ${repId} has timescale ${existing.timescale}, not ${timescale}`);
    }
    if (repId === '') throw new ProtocolError('a timeline key is empty');
    if (existing === undefined) this.tracks.set(repId, { timescale, segments: [] });
  }

  /**
   * Appends a segment. It must start at or after the end of the newest one (a later start is a
   * real gap). Adding the newest segment again is a no-op returning false, so a successor can
   * replay at-least-once input.
   */
  add(repId: string, timing: DashSegmentTiming): boolean {
    const track = this.track(repId);
    const segment = { t: timing.t, d: timing.d };
    const last = track.segments[track.segments.length - 1];
    if (last !== undefined && last.t === segment.t && last.d === segment.d) return false;
    validateSegmentTimings(last === undefined ? [segment] : [last, segment], `timeline ${repId}`);
    track.segments.push(segment);
    return true;
  }

  /** Drops segments that ended more than keepSec (ms precision) before the newest end; returns them. */
  trim(keepSec: number): RemovedSegment[] {
    const keepMs = BigInt(durationMs(keepSec));
    const newest = this.newest();
    if (newest === undefined) return [];
    const removed: RemovedSegment[] = [];
    const newestEnd = BigInt(newest.end);
    const newestScale = BigInt(newest.timescale);
    for (const [repId, track] of this.tracks) {
      const scale = BigInt(track.timescale);
      // end / scale < newestEnd / newestScale − keepMs / 1000, multiplied out by 1000 · scale · newestScale.
      const limit = BigInt(MS_PER_SECOND) * newestEnd * scale - keepMs * scale * newestScale;
      const gone = track.segments.findIndex((s) => BigInt(MS_PER_SECOND) * BigInt(end(s)) * newestScale >= limit);
      const count = gone < 0 ? track.segments.length : gone;
      for (const s of track.segments.splice(0, count)) removed.push({ repId, t: s.t, d: s.d });
    }
    return removed;
  }

  segments(repId: string): readonly DashSegmentTiming[] {
    return this.track(repId).segments;
  }

  timescale(repId: string): number {
    return this.track(repId).timescale;
  }

  representationIds(): string[] {
    return [...this.tracks.keys()];
  }

  /** The newest segment end of any key, in seconds; undefined while empty. */
  newestEndSec(): number | undefined {
    const n = this.newest();
    return n === undefined ? undefined : n.end / n.timescale;
  }

  /** The longest segment in the window, in seconds (0 while empty). */
  longestSegmentSec(): number {
    let longest = 0;
    for (const t of this.tracks.values()) for (const s of t.segments) longest = Math.max(longest, s.d / t.timescale);
    return longest;
  }

  /** Plain JSON values; DashTimeline.restore() continues from them. */
  state(): DashTimelineState {
    const tracks = [...this.tracks].map(([id, t]) => ({ id, timescale: t.timescale, segments: t.segments.map((s) => ({ ...s })) }));
    return { version: DASH_TIMELINE_STATE_VERSION, availabilityStartTimeMs: this.availabilityStartTimeMs, tracks };
  }

  private track(repId: string): Track {
    const track = this.tracks.get(repId);
    if (track === undefined) throw new ProtocolError(`unknown timeline ${repId}; declare it with addRepresentation()`);
    return track;
  }

  /** The key whose newest segment ends last, compared exactly (a/b > c/d ⇔ a·d > c·b). */
  private newest(): { end: number; timescale: number } | undefined {
    let best: { end: number; timescale: number } | undefined;
    for (const t of this.tracks.values()) {
      const last = t.segments[t.segments.length - 1];
      if (last === undefined) continue;
      const e = end(last);
      if (best === undefined || BigInt(e) * BigInt(best.timescale) > BigInt(best.end) * BigInt(t.timescale)) {
        best = { end: e, timescale: t.timescale };
      }
    }
    return best;
  }
}
