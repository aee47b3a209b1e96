// The HLS media playlist model and its deterministic serializer (RFC 8216 §4.3; rfc8216bis §4.4.3-§4.4.5).
import { quoteString } from './attribute-list.js';
import { formatExtinfDuration, formatProgramDateTime } from './hls-time.js';
import { partLine, preloadHintLine, serverControlLine, skipLine } from './low-latency-tags.js';
import { validateMediaPlaylist } from './media-playlist-validation.js';

export { validateMediaPlaylist, validateSegment, validatePart } from './media-playlist-validation.js';

/** A Partial Segment (rfc8216bis §3.2, §4.4.4.9): written as EXT-X-PART before its parent's EXTINF. */
export interface HlsPartEntry {
  /** Relative URI, e.g. "seg-000042.3.m4s". */
  readonly uri: string;
  /** Exact duration; DURATION is written with 3 decimals and must not exceed PART-TARGET. */
  readonly durationSec: number;
  /** INDEPENDENT=YES: the part starts with (or, for audio, is made of) independent frames. */
  readonly independent: boolean;
}

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
  /** Its parts, listed before its EXTINF: kept only near the live edge (rfc8216bis §6.2.2). */
  readonly parts?: readonly HlsPartEntry[];
  /** The EXT-X-MAP this segment uses, when it differs from the previous segment's (an EXT-X-MAP
   *  tag is then written before it, §4.3.2.5); absent means "as before". On a segment with
   *  `discontinuity` it is written even when unchanged: a VOD playlist restates the period's init
   *  section after each EXT-X-DISCONTINUITY, for players that reset their demuxer there. */
  readonly map?: { uri: string };
}

/** EXT-X-SERVER-CONTROL (rfc8216bis §4.4.3.8); durations in seconds. */
export interface HlsServerControl {
  /** CAN-BLOCK-RELOAD=YES: blocking playlist reload with _HLS_msn/_HLS_part (§6.2.5.2). */
  readonly canBlockReload: boolean;
  /** PART-HOLD-BACK: required with EXT-X-PART-INF, at least 2 × PART-TARGET (3 × recommended). */
  readonly partHoldBackSec?: number;
  /** HOLD-BACK: at least 3 × target duration. */
  readonly holdBackSec?: number;
  /** CAN-SKIP-UNTIL, the Skip Boundary of delta updates: at least 6 × target duration. */
  readonly canSkipUntilSec?: number;
}

export interface MediaPlaylist {
  /** EXT-X-VERSION; at least minimumMediaPlaylistVersion() (3 for TS, 6 with EXT-X-MAP, 9 with EXT-X-SKIP). */
  readonly version: number;
  /** EXT-X-TARGETDURATION: an integer, fixed for the life of the playlist (§4.3.3.1, §6.2.1). */
  readonly targetDurationSec: number;
  /** EXT-X-MEDIA-SEQUENCE: the first segment's number, skipped ones included in a delta update. */
  readonly mediaSequence: number;
  readonly discontinuitySequence: number;
  readonly independentSegments: boolean;
  readonly playlistType?: 'EVENT' | 'VOD';
  /** The segments written; in a delta update, those after the skipped ones. */
  readonly segments: readonly HlsSegmentEntry[];
  readonly endList: boolean;
  /** EXT-X-MAP (fMP4 initialization section) in effect for the first listed segment, §4.3.2.5. */
  readonly map?: { uri: string };
  /** EXT-X-PART-INF:PART-TARGET, required when any part is listed (rfc8216bis §4.4.3.7). */
  readonly partTargetSec?: number;
  readonly serverControl?: HlsServerControl;
  /** EXT-X-PRELOAD-HINT for the next part, written last (rfc8216bis §4.4.5.3). */
  readonly preloadHint?: { type: 'PART'; uri: string };
  /** Parts of the segment still being written, listed after the last full segment. */
  readonly pendingParts?: readonly HlsPartEntry[];
  /** The segment in progress starts with EXT-X-DISCONTINUITY (written before its first part). */
  readonly pendingDiscontinuity?: boolean;
  /** The segment in progress uses a new EXT-X-MAP (written before its first part). */
  readonly pendingMap?: { uri: string };
  /** EXT-X-SKIP:SKIPPED-SEGMENTS in a delta update (rfc8216bis §4.4.5.2, §6.2.5.1). */
  readonly skippedSegments?: number;
}

/** The media type every HLS playlist is served with (§4). */
export const HLS_PLAYLIST_CONTENT_TYPE = 'application/vnd.apple.mpegurl';

function writeParts(lines: string[], parts: readonly HlsPartEntry[] | undefined): void {
  for (const part of parts ?? []) lines.push(partLine(part));
}

/**
 * Writes the playlist. Tag order is fixed (golden files): header tags (EXT-X-SERVER-CONTROL and
 * EXT-X-PART-INF after the target duration), EXT-X-SKIP, then per segment DISCONTINUITY, MAP (when
 * it changes, or when given after a discontinuity), PROGRAM-DATE-TIME, PARTs, EXTINF, URI; then the pending parts, PRELOAD-HINT and
 * ENDLIST. Every line ends with \n.
 * - EXT-X-DISCONTINUITY-SEQUENCE is always written, 0 included: §6.2.2 requires it as soon as
 *   segments are removed from a playlist that contains EXT-X-DISCONTINUITY, even while its value
 *   is still 0, and always writing it makes that rule impossible to miss. It sits before the
 *   first segment and before any EXT-X-DISCONTINUITY (§4.3.3.3).
 * - EXT-X-PROGRAM-DATE-TIME precedes every segment: a tag applies only to the next segment
 *   (§4.3.2.6), so writing it once would lose it when that segment slides out, and after each
 *   discontinuity clients need it again to place the new timeline; on every segment each one is
 *   self-describing and the wall clock never drifts from summed EXTINFs (~45 bytes a segment).
 * - Tags that apply to a parent segment precede its first EXT-X-PART (rfc8216bis §4.4.4.9).
 */
export function serializeMediaPlaylist(p: MediaPlaylist): string {
  validateMediaPlaylist(p);
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${p.version}`, `#EXT-X-TARGETDURATION:${p.targetDurationSec}`];
  if (p.serverControl !== undefined) lines.push(serverControlLine(p.serverControl));
  if (p.partTargetSec !== undefined) lines.push(`#EXT-X-PART-INF:PART-TARGET=${formatExtinfDuration(p.partTargetSec)}`);
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${p.mediaSequence}`, `#EXT-X-DISCONTINUITY-SEQUENCE:${p.discontinuitySequence}`);
  if (p.playlistType !== undefined) lines.push(`#EXT-X-PLAYLIST-TYPE:${p.playlistType}`);
  if (p.independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  let mapUri = p.map?.uri;
  if (mapUri !== undefined) lines.push(`#EXT-X-MAP:URI=${quoteString(mapUri)}`);
  if (p.skippedSegments !== undefined) lines.push(skipLine(p.skippedSegments));
  const writeMap = (map: { uri: string } | undefined, afterDiscontinuity = false): void => {
    if (map === undefined || (map.uri === mapUri && !afterDiscontinuity)) return;
    mapUri = map.uri;
    lines.push(`#EXT-X-MAP:URI=${quoteString(mapUri)}`);
  };
  for (const s of p.segments) {
    if (s.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    writeMap(s.map, s.discontinuity);
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${formatProgramDateTime(s.programDateTimeMs)}`);
    writeParts(lines, s.parts);
    lines.push(`#EXTINF:${formatExtinfDuration(s.durationSec)},`);
    lines.push(s.uri);
  }
  if ((p.pendingParts?.length ?? 0) > 0) {
    if (p.pendingDiscontinuity === true) lines.push('#EXT-X-DISCONTINUITY');
    writeMap(p.pendingMap);
    writeParts(lines, p.pendingParts);
  }
  if (p.preloadHint !== undefined) lines.push(preloadHintLine(p.preloadHint));
  if (p.endList) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}
