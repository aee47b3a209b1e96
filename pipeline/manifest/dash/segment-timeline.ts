// SegmentTimeline S elements: @t, @d, @r run-length form and its expansion (ISO/IEC 23009-1 §5.3.9.6).
import { ProtocolError } from '../../core/errors.js';
import type { DashSegmentTiming } from './mpd-model.js';

/** One S element: @t only where the start does not follow the previous segment, @r for repeats. */
export interface TimelineEntry {
  t?: number;
  d: number;
  r?: number;
}

/** Checks starts and durations: non-negative safe integers, d > 0, oldest first, no overlap. */
export function validateSegmentTimings(segments: readonly DashSegmentTiming[], where = 'timeline'): void {
  let end = -1;
  for (const [i, s] of segments.entries()) {
    if (!Number.isSafeInteger(s.t) || s.t < 0 || !Number.isSafeInteger(s.d) || s.d <= 0) {
      throw new ProtocolError(`${where}: segment ${i} needs integer t >= 0 and d > 0, got t=${s.t} d=${s.d}`);
    }
    if (s.t < end) {
      throw new ProtocolError(`${where}: segment ${i} at t=${s.t} overlaps the previous one, which ends at ${end}`);
    }
    end = s.t + s.d;
    if (!Number.isSafeInteger(end)) throw new ProtocolError(`${where}: segment ${i} ends beyond 2^53 ticks`);
  }
}

/**
 * The S elements for a list of segments. The first S carries @t (a live window never starts at 0
 * for long), as does every S after a gap; a run of equal durations without a gap becomes one S
 * with @r = count − 1. Negative @r (repeat to the next @t or Period end) is never written.
 */
export function compressTimeline(segments: readonly DashSegmentTiming[]): TimelineEntry[] {
  validateSegmentTimings(segments);
  const out: TimelineEntry[] = [];
  let run: TimelineEntry | undefined;
  let end = 0;
  for (const s of segments) {
    if (run !== undefined && s.t === end && s.d === run.d) {
      run.r = (run.r ?? 0) + 1;
    } else {
      run = out.length === 0 || s.t !== end ? { t: s.t, d: s.d } : { d: s.d };
      out.push(run);
    }
    end = s.t + s.d;
  }
  return out;
}

/** The segments that S elements describe (§5.3.9.6.2); the inverse of compressTimeline. */
export function expandTimeline(entries: readonly TimelineEntry[]): DashSegmentTiming[] {
  const out: DashSegmentTiming[] = [];
  let time = 0;
  for (const [i, e] of entries.entries()) {
    const repeat = e.r ?? 0;
    if (!Number.isSafeInteger(repeat) || repeat < 0) {
      throw new ProtocolError(`S element ${i}: @r must be a non-negative integer here, got ${repeat}`);
    }
    if (e.t !== undefined) time = e.t;
    for (let k = 0; k <= repeat; k++) {
      out.push({ t: time, d: e.d });
      time += e.d;
    }
  }
  validateSegmentTimings(out, 'expanded timeline');
  return out;
}
