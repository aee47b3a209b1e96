// Blocking playlist reload: when a request carrying _HLS_msn / _HLS_part can be answered (draft-pantos-hls-rfc8216bis §6.2.5.2).

/** `ready`: answer now; `wait`: hold the request until the playlist changes (and answer 503 after
 *  3 × target, §6.2.5.2); `bad-request`: answer 400 at once. */
export type BlockingReloadStatus = 'ready' | 'wait' | 'bad-request';

export interface BlockingReloadRequest {
  /** _HLS_msn, already parsed as a decimal integer. */
  readonly msn?: number;
  /** _HLS_part. */
  readonly part?: number;
}

/** What the decision needs to know about the playlist as it is now. */
export interface BlockingReloadView {
  readonly ended: boolean;
  readonly partTargetSec: number;
  /** Media sequence number of the last complete segment; undefined while there is none. */
  readonly lastSegmentMsn: number | undefined;
  /** The newest part present: its parent's media sequence number and its index (-1: no part). */
  readonly edge: { readonly msn: number; readonly part: number };
  /** How many parts the complete segment `msn` has, when known. */
  partCount(msn: number): number | undefined;
}

/** §6.2.5.2: an _HLS_msn more than this beyond the last segment gets 400. */
export const ADVANCE_MSN_LIMIT = 2;
const ADVANCE_PARTS = 3;

/** §6.2.5.2: the Advance Part Limit is 3 / PART-TARGET below one second, 3 otherwise. */
export function advancePartLimit(partTargetSec: number): number {
  return partTargetSec < 1 ? ADVANCE_PARTS / partTargetSec : ADVANCE_PARTS;
}

const isCount = (n: number | undefined): boolean => n === undefined || (Number.isSafeInteger(n) && n >= 0);

/**
 * §6.2.5.2: with _HLS_msn=M alone, answer once segment M (or a later one) is complete; with
 * _HLS_part=N too, once part N of M or a later part is present, a Part Index beyond the last
 * part of a complete parent meaning part 0 of the next. _HLS_part without _HLS_msn, an M more
 * than two beyond the last segment, or a part further ahead than the Advance Part Limit: 400.
 * Directives are ignored once the playlist has EXT-X-ENDLIST.
 */
export function blockingReloadStatus(view: BlockingReloadView, req: BlockingReloadRequest): BlockingReloadStatus {
  if (view.ended) return 'ready';
  if (!isCount(req.msn) || !isCount(req.part)) return 'bad-request';
  if (req.msn === undefined) return req.part === undefined ? 'ready' : 'bad-request';
  const lastMsn = view.lastSegmentMsn ?? -1;
  if (req.msn > lastMsn + ADVANCE_MSN_LIMIT) return 'bad-request';
  if (req.part === undefined) return req.msn <= lastMsn ? 'ready' : 'wait';
  // Parts still to come before the requested one, at the least.
  const ahead = req.msn === view.edge.msn ? req.part - view.edge.part : req.msn > view.edge.msn ? req.part + 1 : 0;
  if (ahead > advancePartLimit(view.partTargetSec)) return 'bad-request';
  return partPresent(view, req.msn, req.part) ? 'ready' : 'wait';
}

function partPresent(view: BlockingReloadView, msn: number, part: number): boolean {
  const complete = view.lastSegmentMsn !== undefined && msn <= view.lastSegmentMsn;
  const count = complete ? view.partCount(msn) : undefined;
  if (count !== undefined && part >= count) return partPresent(view, msn + 1, 0);
  if (msn < view.edge.msn) return true;
  return msn === view.edge.msn && part <= view.edge.part;
}
