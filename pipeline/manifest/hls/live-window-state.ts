// The serialisable state of a live HLS window, from which a successor continues the playlist.
import { ProtocolError } from '../../core/errors.js';
import type { HlsSegmentEntry } from './media-playlist.js';
import { validateSegment } from './media-playlist.js';

/**
 * Everything a successor process needs to continue the same playlist: plain JSON values only.
 * The target duration is part of it because it may never change (RFC 8216 §6.2.1 allows no
 * change to a playlist except appending, removing from the front, incrementing the sequence
 * tags and adding EXT-X-ENDLIST).
 */
export interface LiveWindowState {
  readonly targetDurationSec: number;
  /** The segments in the window, oldest first, with consecutive sequence numbers. */
  readonly segments: readonly HlsSegmentEntry[];
  /** Media sequence number the next added segment gets. */
  readonly nextSequence: number;
  /** EXT-X-DISCONTINUITY-SEQUENCE: discontinuities that have slid out of the window. */
  readonly discontinuitySequence: number;
  /** markDiscontinuity() was called and no segment has been added since. */
  readonly pendingDiscontinuity: boolean;
  /** end() was called: EXT-X-ENDLIST is written and nothing more may be added. */
  readonly ended: boolean;
}

function invalid(reason: string): never {
  throw new ProtocolError(`invalid live window state: ${reason}`);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function restoreEntry(v: unknown, targetSec: number): HlsSegmentEntry {
  if (typeof v !== 'object' || v === null) invalid('a segment is not an object');
  const e = v as Record<string, unknown>;
  const { sequence, uri, durationSec, discontinuity, programDateTimeMs, byteLength } = e;
  if (!isCount(sequence)) invalid('segment sequence is not a non-negative integer');
  if (typeof uri !== 'string' || typeof durationSec !== 'number' || typeof programDateTimeMs !== 'number') {
    invalid(`segment ${sequence} lacks uri, durationSec or programDateTimeMs`);
  }
  if (typeof discontinuity !== 'boolean') invalid(`segment ${sequence} lacks the discontinuity flag`);
  if (byteLength !== undefined && !isCount(byteLength)) invalid(`segment ${sequence} has a bad byteLength`);
  const entry: HlsSegmentEntry = { sequence, uri, durationSec, discontinuity, programDateTimeMs };
  validateSegment(entry, targetSec);
  return byteLength === undefined ? entry : { ...entry, byteLength };
}

/**
 * Checks a state read back from storage (JSON from another process: trust nothing) and returns
 * a fresh copy. Throws ProtocolError if it is malformed or was made for another target duration.
 */
export function restoreLiveWindowState(value: unknown, targetDurationSec: number): LiveWindowState {
  if (typeof value !== 'object' || value === null) invalid('not an object');
  const s = value as Record<string, unknown>;
  if (s.targetDurationSec !== targetDurationSec) {
    invalid(`target duration ${String(s.targetDurationSec)} s differs from ${targetDurationSec} s; ` +
      'EXT-X-TARGETDURATION cannot change within a playlist (RFC 8216 §6.2.1)');
  }
  const { nextSequence, discontinuitySequence, pendingDiscontinuity, ended } = s;
  if (!isCount(nextSequence) || !isCount(discontinuitySequence)) invalid('sequence numbers are not integers');
  if (typeof pendingDiscontinuity !== 'boolean' || typeof ended !== 'boolean') invalid('flags are not booleans');
  if (!Array.isArray(s.segments)) invalid('segments is not an array');
  const segments = s.segments.map((e: unknown) => restoreEntry(e, targetDurationSec));
  const first = nextSequence - segments.length;
  segments.forEach((e, i) => {
    if (e.sequence !== first + i) invalid(`segment ${e.uri} has sequence ${e.sequence}, expected ${first + i}`);
    const prev = segments[i - 1];
    if (prev !== undefined && Math.round(e.programDateTimeMs) <= Math.round(prev.programDateTimeMs)) {
      invalid(`segment ${e.uri} does not start after ${prev.uri}`);
    }
  });
  if (new Set(segments.map((e) => e.uri)).size !== segments.length) invalid('a segment URI appears twice');
  return { targetDurationSec, segments, nextSequence, discontinuitySequence, pendingDiscontinuity, ended };
}
