// Low-latency HLS tag lines and their numeric rules (draft-pantos-hls-rfc8216bis §4.4.3.8, §4.4.4.9, §4.4.5.2, §4.4.5.3).
import { quoteString } from './attribute-list.js';
import { durationMs, formatExtinfDuration, MS_PER_SECOND } from './hls-time.js';
import type { HlsPartEntry, HlsServerControl } from './media-playlist.js';

/** §4.4.3.8: PART-HOLD-BACK MUST be at least twice the Part Target Duration. */
export const PART_HOLD_BACK_MIN_PART_TARGETS = 2;
/** §4.4.3.8: PART-HOLD-BACK SHOULD be at least three times the Part Target Duration; Onramp's default. */
export const PART_HOLD_BACK_PART_TARGETS = 3;
/** §4.4.3.8: HOLD-BACK MUST be at least three times the Target Duration (also its implied value). */
export const HOLD_BACK_TARGET_MULTIPLE = 3;
/** §4.4.3.8: the Skip Boundary (CAN-SKIP-UNTIL) MUST be at least six times the Target Duration. */
export const SKIP_BOUNDARY_TARGET_MULTIPLE = 6;
/** §4.4.4.9: a part MUST last at least 85% of PART-TARGET unless it is INDEPENDENT=YES, GAP=YES,
 *  followed by a gap, or the last part of its parent segment. Checked by the test checker only:
 *  whether a part is the last of its segment is known only once the segment completes. */
export const PART_MIN_DURATION_FRACTION = 0.85;
/** §6.2.2: EXT-X-PART tags SHOULD be removed once more than three Target Durations from the end. */
export const PART_RETENTION_TARGET_MULTIPLE = 3;

/** Onramp's server control: blocking reload, PART-HOLD-BACK = 3 × PART-TARGET, HOLD-BACK = 3 ×
 *  target, CAN-SKIP-UNTIL = 6 × target (the minimum Skip Boundary). Values are exact multiples of
 *  the written (millisecond) part target, so the written multiples are exact too. */
export function defaultServerControl(targetDurationSec: number, partTargetSec: number): HlsServerControl {
  return {
    canBlockReload: true,
    partHoldBackSec: (PART_HOLD_BACK_PART_TARGETS * durationMs(partTargetSec)) / MS_PER_SECOND,
    holdBackSec: HOLD_BACK_TARGET_MULTIPLE * targetDurationSec,
    canSkipUntilSec: SKIP_BOUNDARY_TARGET_MULTIPLE * targetDurationSec,
  };
}

/** #EXT-X-SERVER-CONTROL with attributes in a fixed order; CAN-BLOCK-RELOAD is written only as YES. */
export function serverControlLine(c: HlsServerControl): string {
  const attrs: string[] = [];
  if (c.canBlockReload) attrs.push('CAN-BLOCK-RELOAD=YES');
  if (c.canSkipUntilSec !== undefined) attrs.push(`CAN-SKIP-UNTIL=${formatExtinfDuration(c.canSkipUntilSec)}`);
  if (c.holdBackSec !== undefined) attrs.push(`HOLD-BACK=${formatExtinfDuration(c.holdBackSec)}`);
  if (c.partHoldBackSec !== undefined) attrs.push(`PART-HOLD-BACK=${formatExtinfDuration(c.partHoldBackSec)}`);
  return `#EXT-X-SERVER-CONTROL:${attrs.join(',')}`;
}

/** #EXT-X-PART:DURATION=…,URI="…"[,INDEPENDENT=YES]. */
export function partLine(part: HlsPartEntry): string {
  const independent = part.independent ? ',INDEPENDENT=YES' : '';
  return `#EXT-X-PART:DURATION=${formatExtinfDuration(part.durationSec)},URI=${quoteString(part.uri)}${independent}`;
}

export function preloadHintLine(hint: { type: 'PART'; uri: string }): string {
  return `#EXT-X-PRELOAD-HINT:TYPE=${hint.type},URI=${quoteString(hint.uri)}`;
}

export function skipLine(skippedSegments: number): string {
  return `#EXT-X-SKIP:SKIPPED-SEGMENTS=${skippedSegments}`;
}

/**
 * §6.2.2 applied per parent segment: the index of the first segment whose parts are still
 * listed. A segment keeps its parts while its end lies less than 3 × target before the end of
 * the playlist (the parts of the segment in progress included), so the segments covering the
 * last three target durations always keep theirs. Durations are the written milliseconds.
 */
export function firstSegmentListingParts(segmentMs: readonly number[], pendingMs: number, targetDurationSec: number): number {
  const limitMs = PART_RETENTION_TARGET_MULTIPLE * targetDurationSec * MS_PER_SECOND;
  let distanceMs = pendingMs; // from the end of segment i to the end of the playlist
  for (let i = segmentMs.length - 1; i >= 0; i -= 1) {
    if (distanceMs >= limitMs) return i + 1;
    distanceMs += segmentMs[i];
  }
  return 0;
}
