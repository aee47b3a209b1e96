// Where a low-latency media playlist ends: the newest full segment and the newest part, read
// from its text (HLS 2nd edition §6.2.5.2 decides blocking reloads by these numbers).

export interface PlaylistEdge {
  /** Media sequence number of the newest complete segment (−1 when there is none). */
  readonly lastSegmentMsn: number;
  /** The newest part: its segment's msn and its index within that segment (undefined without parts). */
  readonly lastPart?: { readonly msn: number; readonly index: number };
  readonly partTargetSec?: number;
  readonly targetDurationSec: number;
  readonly ended: boolean;
}

export function playlistEdge(text: string): PlaylistEdge {
  let msn = 0;
  let segments = 0;
  let skipped = 0;
  let partsSinceSegment = 0;
  let target = 0;
  let partTarget: number | undefined;
  let ended = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) msn = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-TARGETDURATION:')) target = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-PART-INF:')) partTarget = Number(/PART-TARGET=([\d.]+)/.exec(line)?.[1]);
    else if (line.startsWith('#EXT-X-SKIP:')) skipped = Number(/SKIPPED-SEGMENTS=(\d+)/.exec(line)?.[1] ?? 0);
    else if (line.startsWith('#EXT-X-PART:')) partsSinceSegment++;
    else if (line === '#EXT-X-ENDLIST') ended = true;
    else if (line !== '' && !line.startsWith('#')) {
      segments++;
      partsSinceSegment = 0;
    }
  }
  const lastSegmentMsn = msn + skipped + segments - 1;
  // Parts after the last segment belong to the segment in progress; without them, the newest
  // listed part is the last one of the newest complete segment (its index is not needed then).
  const lastPart = partsSinceSegment > 0 ? { msn: lastSegmentMsn + 1, index: partsSinceSegment - 1 } : undefined;
  return { lastSegmentMsn, lastPart, partTargetSec: partTarget, targetDurationSec: target, ended };
}

/** Whether the playlist holds segment `msn` (and part `part` of it, when given) or later. */
export function playlistReaches(edge: PlaylistEdge, msn: number, part: number | undefined): boolean {
  if (edge.ended) return true;
  if (part === undefined) return edge.lastSegmentMsn >= msn;
  if (edge.lastSegmentMsn >= msn) return true; // segment complete: all its parts exist
  const lp = edge.lastPart;
  return lp !== undefined && (lp.msn > msn || (lp.msn === msn && lp.index >= part));
}
