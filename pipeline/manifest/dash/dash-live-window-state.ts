// The serialisable state of a DASH live window, read back by a successor (ISO/IEC 23009-1 §5.4 MPD updates, §5.3.9.6).
import { ProtocolError } from '../../core/errors.js';
import type { DashSegmentTiming } from './mpd-model.js';
import { formatXsDateTime } from './mpd-time.js';
import { validateSegmentTimings } from './segment-timeline.js';
import { MAX_UNSIGNED_INT } from './mpd-validation.js';

export const DASH_TIMELINE_STATE_VERSION = 1;

export interface DashTrackState {
  /** Timeline key: 'v' / 'a', or one per Period and Representation when there are several Periods. */
  readonly id: string;
  readonly timescale: number;
  readonly segments: readonly DashSegmentTiming[];
}

/**
 * Everything a successor needs to continue the same MPD, as plain JSON values. The
 * availabilityStartTime is part of it because it may never move between updates (§5.4; moving it
 * is what breaks dash.js behind nginx-rtmp, FIELD-NOTES 11).
 */
export interface DashTimelineState {
  readonly version: typeof DASH_TIMELINE_STATE_VERSION;
  readonly availabilityStartTimeMs: number;
  readonly tracks: readonly DashTrackState[];
}

function invalid(reason: string): never {
  throw new ProtocolError(`invalid DASH timeline state: ${reason}`);
}

export function validateTimescale(id: string, timescale: unknown): number {
  if (typeof timescale !== 'number' || !Number.isSafeInteger(timescale) || timescale < 1 || timescale > MAX_UNSIGNED_INT) {
    throw new ProtocolError(`timeline ${id}: timescale must be an integer from 1 to 2^32-1, got ${String(timescale)}`);
  }
  return timescale;
}

function restoreTrack(value: unknown): DashTrackState {
  if (typeof value !== 'object' || value === null) invalid('a track is not an object');
  const { id, timescale, segments } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') invalid('a track id is not a non-empty string');
  if (!Array.isArray(segments)) invalid(`track ${id}: segments is not an array`);
  const copy = segments.map((s: unknown): DashSegmentTiming => {
    if (typeof s !== 'object' || s === null) invalid(`track ${id}: a segment is not an object`);
    const { t, d } = s as Record<string, unknown>;
    if (typeof t !== 'number' || typeof d !== 'number') invalid(`track ${id}: a segment lacks t or d`);
    return { t, d };
  });
  validateSegmentTimings(copy, `timeline ${id}`);
  return { id, timescale: validateTimescale(id, timescale), segments: copy };
}

/** Checks a state read back from storage (JSON from another process: trust nothing) and copies it. */
export function restoreDashTimelineState(value: unknown): DashTimelineState {
  if (typeof value !== 'object' || value === null) invalid('not an object');
  const { version, availabilityStartTimeMs, tracks } = value as Record<string, unknown>;
  if (version !== DASH_TIMELINE_STATE_VERSION) invalid(`version ${String(version)} is not ${DASH_TIMELINE_STATE_VERSION}`);
  if (typeof availabilityStartTimeMs !== 'number') invalid('availabilityStartTimeMs is not a number');
  formatXsDateTime(availabilityStartTimeMs);
  if (!Array.isArray(tracks)) invalid('tracks is not an array');
  const restored = tracks.map(restoreTrack);
  if (new Set(restored.map((t) => t.id)).size !== restored.length) invalid('a track id appears twice');
  return { version: DASH_TIMELINE_STATE_VERSION, availabilityStartTimeMs, tracks: restored };
}
