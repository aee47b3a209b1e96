// The rules a media playlist model must satisfy before it is written (RFC 8216 §4.3; rfc8216bis §4.4.3-§4.4.5).
import { ProtocolError } from '../../core/errors.js';
import { durationMs, formatExtinfDuration, MS_PER_SECOND, roundedExtinfSec } from './hls-time.js';
import {
  HOLD_BACK_TARGET_MULTIPLE,
  PART_HOLD_BACK_MIN_PART_TARGETS,
  SKIP_BOUNDARY_TARGET_MULTIPLE,
} from './low-latency-tags.js';
import type { HlsPartEntry, HlsSegmentEntry, MediaPlaylist } from './media-playlist.js';
import { minimumMediaPlaylistVersion } from './playlist-version.js';

/** A URI must be one line that cannot be read as a tag or comment (§4.1). */
const SAFE_URI = /^[^#\s\p{Cc}][^\s\p{Cc}]*$/u;

export function isSafeUri(uri: string): boolean {
  return SAFE_URI.test(uri);
}

function isNonNegativeInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** One segment's own rules: a safe URI, a positive duration within the target (§4.3.3.1). */
export function validateSegment(s: Omit<HlsSegmentEntry, 'sequence' | 'discontinuity'>, targetSec: number): void {
  if (!isSafeUri(s.uri)) throw new ProtocolError(`unsafe segment URI ${JSON.stringify(s.uri)}`);
  const ms = durationMs(s.durationSec);
  if (!Number.isFinite(s.durationSec) || ms <= 0) {
    throw new ProtocolError(`segment ${s.uri} has a non-positive duration ${s.durationSec}`);
  }
  const rounded = roundedExtinfSec(ms);
  if (rounded > targetSec) {
    throw new ProtocolError(
      `segment ${s.uri}: EXTINF ${formatExtinfDuration(s.durationSec)} rounds to ${rounded} s, ` +
        `above EXT-X-TARGETDURATION ${targetSec} (RFC 8216 §4.3.3.1)`,
      { uri: s.uri, durationSec: s.durationSec, targetDurationSec: targetSec },
    );
  }
  if (!Number.isFinite(s.programDateTimeMs)) {
    throw new ProtocolError(`segment ${s.uri} has no valid programDateTimeMs`);
  }
  if (s.byteLength !== undefined && !(Number.isSafeInteger(s.byteLength) && s.byteLength >= 0)) {
    throw new ProtocolError(`segment ${s.uri} has an invalid byteLength ${s.byteLength}`);
  }
}

/** One part's own rules: a safe URI, a positive duration of at most PART-TARGET as written (rfc8216bis §4.4.4.9). */
export function validatePart(part: HlsPartEntry, partTargetSec: number): void {
  if (!isSafeUri(part.uri)) throw new ProtocolError(`unsafe part URI ${JSON.stringify(part.uri)}`);
  const ms = durationMs(part.durationSec);
  if (!Number.isFinite(part.durationSec) || ms <= 0) {
    throw new ProtocolError(`part ${part.uri} has a non-positive duration ${part.durationSec}`);
  }
  if (ms > durationMs(partTargetSec)) {
    throw new ProtocolError(
      `part ${part.uri}: DURATION ${formatExtinfDuration(part.durationSec)} exceeds PART-TARGET ` +
        `${formatExtinfDuration(partTargetSec)} (rfc8216bis §4.4.4.9)`,
      { uri: part.uri, durationSec: part.durationSec, partTargetSec },
    );
  }
  if (typeof part.independent !== 'boolean') throw new ProtocolError(`part ${part.uri} lacks the independent flag`);
}

/** The written sums of a parent's parts and its EXTINF may differ by the rounding of each value. */
export function partsMatchSegment(parts: readonly HlsPartEntry[], segmentDurationSec: number): boolean {
  const sumMs = parts.reduce((sum, part) => sum + durationMs(part.durationSec), 0);
  return Math.abs(sumMs - durationMs(segmentDurationSec)) <= parts.length + 1;
}

/** Checks the model against the rules the written text must satisfy; throws ProtocolError. */
export function validateMediaPlaylist(p: MediaPlaylist): void {
  const target = p.targetDurationSec;
  if (!Number.isSafeInteger(target) || target < 1) {
    throw new ProtocolError(`EXT-X-TARGETDURATION must be a positive integer, got ${target}`);
  }
  if (!isNonNegativeInteger(p.mediaSequence) || !isNonNegativeInteger(p.discontinuitySequence)) {
    throw new ProtocolError('media and discontinuity sequence numbers must be non-negative integers');
  }
  const usesMap = p.map !== undefined || p.pendingMap !== undefined || p.segments.some((s) => s.map !== undefined);
  const needed = minimumMediaPlaylistVersion({ map: usesMap ? true : undefined, skippedSegments: p.skippedSegments });
  if (!Number.isSafeInteger(p.version) || p.version < needed) {
    throw new ProtocolError(`EXT-X-VERSION ${p.version} is below ${needed}, required by the features used (§7)`);
  }
  const skipped = p.skippedSegments ?? 0;
  p.segments.forEach((s, i) => {
    if (s.sequence !== p.mediaSequence + skipped + i) {
      throw new ProtocolError(`segment ${s.uri} has sequence ${s.sequence}, expected ${p.mediaSequence + skipped + i}`);
    }
    validateSegment(s, target);
  });
  for (const map of [p.map, p.pendingMap, ...p.segments.map((s) => s.map)]) {
    if (map !== undefined && !isSafeUri(map.uri)) throw new ProtocolError(`unsafe EXT-X-MAP URI ${JSON.stringify(map.uri)}`);
  }
  validateLowLatency(p);
}

const atLeast = (valueSec: number | undefined, minimumMs: number): boolean =>
  valueSec === undefined || (Number.isFinite(valueSec) && durationMs(valueSec) >= minimumMs);

/** The low-latency rules (rfc8216bis §4.4.3.7, §4.4.3.8, §4.4.4.9, §4.4.5.2, §4.4.5.3). */
function validateLowLatency(p: MediaPlaylist): void {
  const targetMs = p.targetDurationSec * MS_PER_SECOND;
  const pending = p.pendingParts ?? [];
  const allParts = [...p.segments.flatMap((s) => s.parts ?? []), ...pending];
  if (p.partTargetSec !== undefined) {
    const ms = durationMs(p.partTargetSec);
    if (!Number.isFinite(p.partTargetSec) || ms <= 0 || ms > targetMs) {
      throw new ProtocolError(`PART-TARGET ${p.partTargetSec} must be positive and at most the target duration`);
    }
    const holdBack = p.serverControl?.partHoldBackSec;
    if (holdBack === undefined || !atLeast(holdBack, PART_HOLD_BACK_MIN_PART_TARGETS * ms)) {
      throw new ProtocolError(`PART-HOLD-BACK ${holdBack} must be given and at least 2 × PART-TARGET (§4.4.3.8)`);
    }
  } else if (allParts.length > 0 || p.serverControl?.partHoldBackSec !== undefined) {
    throw new ProtocolError('parts and PART-HOLD-BACK need EXT-X-PART-INF (§4.4.3.7)');
  }
  const c = p.serverControl;
  if (!atLeast(c?.holdBackSec, HOLD_BACK_TARGET_MULTIPLE * targetMs)) {
    throw new ProtocolError(`HOLD-BACK ${c?.holdBackSec} is below 3 × target duration (§4.4.3.8)`);
  }
  if (!atLeast(c?.canSkipUntilSec, SKIP_BOUNDARY_TARGET_MULTIPLE * targetMs)) {
    throw new ProtocolError(`CAN-SKIP-UNTIL ${c?.canSkipUntilSec} is below 6 × target duration (§4.4.3.8)`);
  }
  const uris = new Set(p.segments.map((s) => s.uri));
  for (const part of allParts) {
    validatePart(part, p.partTargetSec ?? 0);
    if (uris.has(part.uri)) throw new ProtocolError(`URI ${part.uri} is listed twice`);
    uris.add(part.uri);
  }
  const parents: (readonly HlsPartEntry[])[] = [...p.segments.map((s) => s.parts ?? []), pending];
  if (p.independentSegments && parents.some((parts) => parts.length > 0 && !parts[0].independent)) {
    throw new ProtocolError('with EXT-X-INDEPENDENT-SEGMENTS the first part of every segment must be INDEPENDENT=YES');
  }
  for (const s of p.segments) {
    if (s.parts !== undefined && s.parts.length > 0 && !partsMatchSegment(s.parts, s.durationSec)) {
      throw new ProtocolError(`the parts of ${s.uri} do not add up to its duration ${s.durationSec} (§3.2: same samples)`);
    }
  }
  if (p.preloadHint !== undefined) {
    if (p.endList) throw new ProtocolError('EXT-X-PRELOAD-HINT must not appear with EXT-X-ENDLIST (§4.4.5.3)');
    if (!isSafeUri(p.preloadHint.uri) || uris.has(p.preloadHint.uri)) {
      throw new ProtocolError(`EXT-X-PRELOAD-HINT ${p.preloadHint.uri} must name a resource not yet listed`);
    }
  }
  if (pending.length > 0 && p.endList) throw new ProtocolError('parts of an unfinished segment cannot precede EXT-X-ENDLIST');
  if (p.skippedSegments !== undefined) {
    if (!isNonNegativeInteger(p.skippedSegments)) throw new ProtocolError(`SKIPPED-SEGMENTS ${p.skippedSegments} is not a count`);
    if (c?.canSkipUntilSec === undefined || p.endList) {
      throw new ProtocolError('EXT-X-SKIP needs CAN-SKIP-UNTIL and no EXT-X-ENDLIST (§6.2.5.1)');
    }
  }
}
