// Playlist Delta Updates judged against their full playlist, and merged as a client would (draft-pantos-hls-rfc8216bis §6.2.5.1, §6.3.7).
import type { ParsedMediaPlaylist, ParsedPart, ParsedSegment } from '../../pipeline/inspect/hls-playlist-parser.js';
import { fail } from './hls-check-error.js';

const partKey = (parts: readonly ParsedPart[]): string => JSON.stringify(parts.map((p) => [p.uri, p.durationMs, p.independent, p.gap]));
const segmentKey = (s: ParsedSegment): string =>
  JSON.stringify([s.sequence, s.uri, s.durationMs, s.programDateTimeMs, s.discontinuity, s.mapUri, partKey(s.parts)]);

/**
 * The delta must be the full playlist of the same moment with its first SKIPPED-SEGMENTS segments
 * replaced: same media and discontinuity sequence (§4.4.5.2), same other tags, the same segments
 * after them (effective EXT-X-MAP included), the same parts and hint. Skipped are exactly the
 * segments whose end lies more than CAN-SKIP-UNTIL before the end of the last segment. A delta
 * request may also be answered with the full playlist itself, when nothing lies beyond the boundary.
 */
export function checkDeltaPair(full: ParsedMediaPlaylist, delta: ParsedMediaPlaylist): void {
  const skipLine = delta.tags.find((t) => t.name === 'EXT-X-SKIP')?.line ?? 1;
  if (full.skippedSegments !== undefined) fail('delta-update', 1, 'the full playlist of the pair carries EXT-X-SKIP');
  const n = delta.skippedSegments ?? 0;
  const same = <T>(what: string, a: T, b: T): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) fail('delta-update', skipLine, `${what} differs: full ${JSON.stringify(a)}, delta ${JSON.stringify(b)}`);
  };
  same('EXT-X-MEDIA-SEQUENCE', full.mediaSequence, delta.mediaSequence);
  same('EXT-X-DISCONTINUITY-SEQUENCE', full.discontinuitySequence, delta.discontinuitySequence);
  same('EXT-X-TARGETDURATION', full.targetDurationSec, delta.targetDurationSec);
  same('EXT-X-PART-INF', full.partTargetSec, delta.partTargetSec);
  same('EXT-X-SERVER-CONTROL', { ...full.serverControl, line: 0 }, { ...delta.serverControl, line: 0 });
  same('EXT-X-INDEPENDENT-SEGMENTS', full.independentSegments, delta.independentSegments);
  same('EXT-X-ENDLIST', full.endList, delta.endList);
  same('the pending parts', partKey(full.pendingParts), partKey(delta.pendingParts));
  same('the pending discontinuity and map', [full.pendingDiscontinuity, full.pendingMapUri], [delta.pendingDiscontinuity, delta.pendingMapUri]);
  same('EXT-X-PRELOAD-HINT', full.preloadHints.map((h) => [h.type, h.uri]), delta.preloadHints.map((h) => [h.type, h.uri]));
  if (n > full.segments.length) fail('delta-update', skipLine, `SKIPPED-SEGMENTS=${n} but the full playlist has ${full.segments.length}`);
  same('the listed segments', full.segments.slice(n).map(segmentKey), delta.segments.map(segmentKey));
  const boundarySec = full.serverControl?.canSkipUntilSec;
  if (n > 0 && (boundarySec === undefined || full.endList)) fail('delta-update', skipLine, 'a delta update of a playlist without CAN-SKIP-UNTIL, or ended');
  if (boundarySec === undefined || full.endList) return;
  const boundaryMs = Math.round(boundarySec * 1000);
  const endDistance = (i: number): number => full.segments.slice(i + 1).reduce((sum, s) => sum + s.durationMs, 0);
  if (n > 0 && endDistance(n - 1) <= boundaryMs) fail('delta-update', skipLine, `skipped segment ${full.segments[n - 1].uri} ends within CAN-SKIP-UNTIL of the end`);
  if (n < full.segments.length && endDistance(n) > boundaryMs) fail('delta-update', skipLine, `segment ${full.segments[n].uri} ends beyond CAN-SKIP-UNTIL but was not skipped (§6.2.5.1)`);
}

/**
 * §6.3.7: what a client holding `previous` (a full playlist) makes of `delta`: the skipped
 * segments come from `previous` (without their parts), the rest from the delta, discontinuity
 * sequence numbers recounted from the delta's EXT-X-DISCONTINUITY-SEQUENCE. Fails when
 * `previous` lacks a skipped segment: the client would then have to reload without _HLS_skip.
 */
export function expandDeltaUpdate(previous: ParsedMediaPlaylist, delta: ParsedMediaPlaylist): ParsedSegment[] {
  const n = delta.skippedSegments ?? 0;
  const skipped = Array.from({ length: n }, (_, i) => {
    const sequence = delta.mediaSequence + i;
    const s = previous.segments.find((e) => e.sequence === sequence);
    if (s === undefined) fail('delta-update', 1, `the previous playlist lacks skipped segment ${sequence}`);
    return { ...s, parts: [] };
  });
  let dsn = delta.discontinuitySequence;
  return [...skipped, ...delta.segments].map((s) => {
    if (s.discontinuity) dsn += 1;
    return { ...s, discontinuitySequence: dsn };
  });
}
