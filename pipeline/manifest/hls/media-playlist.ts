// The HLS media playlist model and its deterministic serializer (RFC 8216 §4.3).
import { ProtocolError } from '../../core/errors.js';
import { quoteString } from './attribute-list.js';
import { durationMs, formatExtinfDuration, formatProgramDateTime, roundedExtinfSec } from './hls-time.js';
import { minimumMediaPlaylistVersion } from './playlist-version.js';

export interface HlsSegmentEntry {
  /** Media sequence number (§3). */
  readonly sequence: number;
  /** Relative URI, e.g. "seg-000042.ts". */
  readonly uri: string;
  /** Exact duration; EXTINF is written with 3 decimals, e.g. 2.002. */
  readonly durationSec: number;
  /** EXT-X-DISCONTINUITY before it (timestamp jump, publisher reconnect), §4.3.2.3. */
  readonly discontinuity: boolean;
  /** Wall-clock of its first sample, written as EXT-X-PROGRAM-DATE-TIME (§4.3.2.6). */
  readonly programDateTimeMs: number;
  /** Size of the segment file; informational, not written (a whole file needs no BYTERANGE). */
  readonly byteLength?: number;
}

export interface MediaPlaylist {
  /** EXT-X-VERSION; at least minimumMediaPlaylistVersion() (3 for TS, 6 with EXT-X-MAP). */
  readonly version: number;
  /** EXT-X-TARGETDURATION: an integer, fixed for the life of the playlist (§4.3.3.1, §6.2.1). */
  readonly targetDurationSec: number;
  readonly mediaSequence: number;
  readonly discontinuitySequence: number;
  readonly independentSegments: boolean;
  readonly playlistType?: 'EVENT' | 'VOD';
  readonly segments: readonly HlsSegmentEntry[];
  readonly endList: boolean;
  /** EXT-X-MAP (fMP4 initialization section), §4.3.2.5. */
  readonly map?: { uri: string };
}

/** The media type every HLS playlist is served with (§4). */
export const HLS_PLAYLIST_CONTENT_TYPE = 'application/vnd.apple.mpegurl';

/** A segment URI must be one line that cannot be read as a tag or comment (§4.1). */
const SAFE_URI = /^[^#\s\p{Cc}][^\s\p{Cc}]*$/u;

function isNonNegativeInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
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
  const needed = minimumMediaPlaylistVersion(p);
  if (!Number.isSafeInteger(p.version) || p.version < needed) {
    throw new ProtocolError(`EXT-X-VERSION ${p.version} is below ${needed}, required by the features used (§7)`);
  }
  p.segments.forEach((s, i) => {
    if (s.sequence !== p.mediaSequence + i) {
      throw new ProtocolError(`segment ${s.uri} has sequence ${s.sequence}, expected ${p.mediaSequence + i}`);
    }
    validateSegment(s, target);
  });
}

/** One segment's own rules: a safe URI, a positive duration within the target (§4.3.3.1). */
export function validateSegment(s: Omit<HlsSegmentEntry, 'sequence' | 'discontinuity'>, targetSec: number): void {
  if (!SAFE_URI.test(s.uri)) throw new ProtocolError(`unsafe segment URI ${JSON.stringify(s.uri)}`);
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

/**
 * Writes the playlist. Tag order is fixed (golden files): header tags, then per segment
 * DISCONTINUITY, PROGRAM-DATE-TIME, EXTINF, URI, then ENDLIST. Every line ends with \n.
 * - EXT-X-DISCONTINUITY-SEQUENCE is always written, 0 included: §6.2.2 requires it as soon as
 *   segments are removed from a playlist that contains EXT-X-DISCONTINUITY, even while its value
 *   is still 0, and always writing it makes that rule impossible to miss. It sits before the
 *   first segment and before any EXT-X-DISCONTINUITY (§4.3.3.3).
 * - EXT-X-PROGRAM-DATE-TIME precedes every segment: a tag applies only to the next segment
 *   (§4.3.2.6), so writing it once would lose it when that segment slides out, and after each
 *   discontinuity clients need it again to place the new timeline; on every segment each one is
 *   self-describing and the wall clock never drifts from summed EXTINFs (~45 bytes a segment).
 */
export function serializeMediaPlaylist(p: MediaPlaylist): string {
  validateMediaPlaylist(p);
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${p.version}`,
    `#EXT-X-TARGETDURATION:${p.targetDurationSec}`,
    `#EXT-X-MEDIA-SEQUENCE:${p.mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${p.discontinuitySequence}`,
  ];
  if (p.playlistType !== undefined) lines.push(`#EXT-X-PLAYLIST-TYPE:${p.playlistType}`);
  if (p.independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  if (p.map !== undefined) lines.push(`#EXT-X-MAP:URI=${quoteString(p.map.uri)}`);
  for (const s of p.segments) {
    if (s.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${formatProgramDateTime(s.programDateTimeMs)}`);
    lines.push(`#EXTINF:${formatExtinfDuration(s.durationSec)},`);
    lines.push(s.uri);
  }
  if (p.endList) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}
