// Segment availability: from the keyframe that closes a segment being sent (the load generator's
// clock) to the segment being listed in the playlist (the watcher's), and whether each playlist
// advanced on time (no wait for a new segment longer than 1.5 × the target duration).
import type { KeyframeSend } from './worker-messages.js';
import type { WatchResult } from './segment-watch.js';

/** A new segment later than this (× target duration) means the playlist fell behind. */
export const ON_TIME_FACTOR = 1.5;

export interface StreamAvailability {
  /** Latency of each segment matched to its closing keyframe, in ms (an estimate within the
   *  watcher's poll uncertainty, so a value can be slightly negative). */
  readonly latenciesMs: readonly number[];
  /** Segments seen that no keyframe could be matched to (e.g. closed by the end of the stream). */
  readonly unmatched: number;
  readonly segmentsSeen: number;
  /** Longest time without a new segment: between two, or from the last to the end of the watch. */
  readonly maxGapSec: number;
  readonly onTime: boolean;
  readonly targetDurationSec?: number;
}

/**
 * The keyframe that closes a segment starts the next one. With EXT-X-PROGRAM-DATE-TIME (stamped
 * by the server from the arrival of the stream's first frame, then media time) the segment's end
 * is a wall-clock time close to that keyframe's send time, so the nearest keyframe sent before
 * the segment was seen is its closing keyframe. Without PROGRAM-DATE-TIME the end is counted from
 * the first keyframe with the EXTINF durations.
 */
export function analyseStream(watch: WatchResult, keyframes: readonly KeyframeSend[], watchEndMs: number): StreamAvailability {
  const target = watch.targetDurationSec;
  const latenciesMs: number[] = [];
  let unmatched = 0;
  const intervalMs = keyframes.length > 1 ? (keyframes[keyframes.length - 1][1] - keyframes[0][1]) / (keyframes.length - 1) : 2000;
  let cumulativeEndMs = keyframes.length > 0 ? keyframes[0][1] : 0;
  for (const seg of watch.segments) {
    cumulativeEndMs += seg.durationSec * 1000;
    const expectedEnd = seg.programDateTimeMs !== undefined ? seg.programDateTimeMs + seg.durationSec * 1000 : cumulativeEndMs;
    let best: KeyframeSend | undefined;
    for (const k of keyframes) {
      if (k[1] > seg.seenAtMs + seg.uncertaintyMs) break;
      if (!best || Math.abs(k[1] - expectedEnd) < Math.abs(best[1] - expectedEnd)) best = k;
    }
    if (best && Math.abs(best[1] - expectedEnd) < intervalMs / 2) latenciesMs.push(seg.seenAtMs - best[1]);
    else unmatched++;
  }
  let maxGapMs = 0;
  for (let i = 1; i < watch.segments.length; i++) maxGapMs = Math.max(maxGapMs, watch.segments[i].seenAtMs - watch.segments[i - 1].seenAtMs);
  const last = watch.segments[watch.segments.length - 1];
  if (last) maxGapMs = Math.max(maxGapMs, watchEndMs - last.seenAtMs);
  const onTime = target !== undefined && watch.segments.length > 0 && maxGapMs <= ON_TIME_FACTOR * target * 1000;
  const r = { latenciesMs, unmatched, segmentsSeen: watch.segments.length, maxGapSec: maxGapMs / 1000, onTime };
  return target === undefined ? r : { ...r, targetDurationSec: target };
}
