// The serialisable state of a low-latency HLS window, from which a successor continues the playlist (rfc8216bis §6.2.1, §6.2.2).
import { ProtocolError } from '../../core/errors.js';
import { restoreLiveWindowState, type LiveWindowState } from './live-window-state.js';
import type { HlsPartEntry } from './media-playlist.js';
import { isSafeUri, validatePart } from './media-playlist-validation.js';

/** Plain JSON; arrays indexed like `window.segments` hold what the segment-only window does not. */
export interface LlLiveWindowState {
  /** Complete segments, sequence numbers, discontinuities, ended flag. */
  readonly window: LiveWindowState;
  /** EXT-X-PART-INF:PART-TARGET; like the target duration, it never changes within a playlist. */
  readonly partTargetSec: number;
  /** The EXT-X-MAP for segments started from now on. */
  readonly mapUri: string;
  /** EXT-X-MAP of each segment in the window. */
  readonly segmentMapUris: readonly string[];
  /** All parts of each segment in the window, listed or not (removed segments report theirs). */
  readonly segmentParts: readonly (readonly HlsPartEntry[])[];
  /** Segments numbered below this list no parts any more: parts leave in order and never return. */
  readonly partsFromSequence: number;
  /** Parts of the segment in progress. */
  readonly pendingParts: readonly HlsPartEntry[];
  /** EXT-X-PRELOAD-HINT:TYPE=PART URI, if any. */
  readonly preloadHintUri?: string;
}

function invalid(reason: string): never {
  throw new ProtocolError(`invalid low-latency window state: ${reason}`);
}

function restoreParts(v: unknown, partTargetSec: number): HlsPartEntry[] {
  if (!Array.isArray(v)) invalid('a part list is not an array');
  return v.map((e: unknown) => {
    if (typeof e !== 'object' || e === null) invalid('a part is not an object');
    const { uri, durationSec, independent } = e as Record<string, unknown>;
    if (typeof uri !== 'string' || typeof durationSec !== 'number' || typeof independent !== 'boolean') {
      invalid('a part lacks uri, durationSec or independent');
    }
    const part: HlsPartEntry = { uri, durationSec, independent };
    validatePart(part, partTargetSec);
    return part;
  });
}

/**
 * Checks a state read back from storage (JSON from another process: trust nothing) and returns
 * a fresh copy. Throws ProtocolError if it is malformed or was made for other targets.
 */
export function restoreLlLiveWindowState(value: unknown, targetDurationSec: number, partTargetSec: number): LlLiveWindowState {
  if (typeof value !== 'object' || value === null) invalid('not an object');
  const s = value as Record<string, unknown>;
  if (s.partTargetSec !== partTargetSec) {
    invalid(`part target ${String(s.partTargetSec)} s differs from ${partTargetSec} s`);
  }
  const window = restoreLiveWindowState(s.window, targetDurationSec);
  const { mapUri, partsFromSequence, preloadHintUri } = s;
  if (typeof mapUri !== 'string' || !isSafeUri(mapUri)) invalid('mapUri is not a safe URI');
  if (typeof partsFromSequence !== 'number' || !Number.isSafeInteger(partsFromSequence) || partsFromSequence < 0) {
    invalid('partsFromSequence is not a non-negative integer');
  }
  if (preloadHintUri !== undefined && (typeof preloadHintUri !== 'string' || !isSafeUri(preloadHintUri))) {
    invalid('preloadHintUri is not a safe URI');
  }
  const n = window.segments.length;
  const maps = s.segmentMapUris;
  if (!Array.isArray(maps) || maps.length !== n || !maps.every((m) => typeof m === 'string' && isSafeUri(m))) {
    invalid('segmentMapUris must hold one safe URI per segment');
  }
  if (!Array.isArray(s.segmentParts) || s.segmentParts.length !== n) invalid('segmentParts must hold one list per segment');
  const segmentParts = s.segmentParts.map((p: unknown) => restoreParts(p, partTargetSec));
  const pendingParts = restoreParts(s.pendingParts, partTargetSec);
  if (pendingParts.length > 0 && window.ended) invalid('an ended playlist has parts in progress');
  const uris = [...window.segments.map((e) => e.uri), ...segmentParts.flat().map((p) => p.uri), ...pendingParts.map((p) => p.uri)];
  if (new Set(uris).size !== uris.length) invalid('a URI appears twice');
  return {
    window,
    partTargetSec,
    mapUri,
    segmentMapUris: [...(maps as string[])],
    segmentParts,
    partsFromSequence,
    pendingParts,
    ...(preloadHintUri === undefined ? {} : { preloadHintUri: preloadHintUri as string }),
  };
}
