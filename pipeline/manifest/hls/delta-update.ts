// Playlist Delta Updates: which segments EXT-X-SKIP replaces (draft-pantos-hls-rfc8216bis §4.4.5.2, §6.2.5.1).
import { durationMs } from './hls-time.js';
import type { MediaPlaylist } from './media-playlist.js';
import { minimumMediaPlaylistVersion } from './playlist-version.js';

/**
 * §6.2.5.1: a delta update replaces the Media Segments "further from the end of the last (Parent)
 * Media Segment in the Playlist than the Skip Boundary". Onramp measures a segment's distance
 * from its end (its nearest point), so a segment is skipped only when all of it lies beyond the
 * boundary: a client that holds a playlist no older than half the boundary (§6.3.7) then has
 * every skipped segment. Returns how many leading segments are skipped; durations in written ms.
 */
export function skippedSegmentCount(segmentMs: readonly number[], skipBoundaryMs: number): number {
  let distanceMs = 0; // from the end of segment i to the end of the last segment
  for (let i = segmentMs.length - 1; i >= 0; i -= 1) {
    if (distanceMs > skipBoundaryMs) return i + 1;
    distanceMs += segmentMs[i];
  }
  return 0;
}

/** The EXT-X-MAP in effect for segment `index` (segment maps apply until the next one). */
export function mapInEffect(p: MediaPlaylist, index: number): { uri: string } | undefined {
  let map = p.map;
  for (const s of p.segments.slice(0, index + 1)) map = s.map ?? map;
  return map === undefined ? undefined : { uri: map.uri };
}

/**
 * The delta update of a full playlist: the skipped segments and all their tags are replaced by
 * EXT-X-SKIP; EXT-X-MEDIA-SEQUENCE and EXT-X-DISCONTINUITY-SEQUENCE stay those of the full
 * playlist (§4.4.5.2), every other tag stays, and the header EXT-X-MAP becomes the one in effect
 * for the first listed segment. EXT-X-VERSION rises to 9 (§8). A playlist without CAN-SKIP-UNTIL,
 * an ended one (§6.2.5.1: the server MUST then ignore _HLS_skip) or one with nothing beyond the
 * boundary is returned unchanged: a full playlist is the complete answer to any playlist request.
 */
export function toDeltaUpdate(full: MediaPlaylist): MediaPlaylist {
  const boundarySec = full.serverControl?.canSkipUntilSec;
  if (boundarySec === undefined || full.endList || full.skippedSegments !== undefined) return full;
  const skipped = skippedSegmentCount(full.segments.map((s) => durationMs(s.durationSec)), durationMs(boundarySec));
  if (skipped === 0) return full;
  const map = mapInEffect(full, skipped);
  const version = Math.max(full.version, minimumMediaPlaylistVersion({ map, skippedSegments: skipped }));
  const delta: MediaPlaylist = { ...full, version, skippedSegments: skipped, segments: full.segments.slice(skipped) };
  return map === undefined ? delta : { ...delta, map };
}
