// The rules the HLS playlist checker enforces (RFC 8216; rfc8216bis) and the error naming the one broken.
import type { HlsSyntaxRule } from '../../pipeline/inspect/hls-playlist-parser.js';

/** Rules this checker names in its errors (syntax rules come from the parser). */
export type HlsCheckRule =
  | HlsSyntaxRule
  | 'extinf-target' // §4.3.3.1: every EXTINF rounded to the nearest integer ≤ EXT-X-TARGETDURATION
  | 'target-duration-stable' // §6.2.1: the target never changes between versions
  | 'media-sequence-monotonic' // §6.2.2: EXT-X-MEDIA-SEQUENCE never decreases
  | 'segment-stable' // §6.2.1: a segment keeps its URI, sequence, duration, date and discontinuity
  | 'segment-removal-order' // §6.2.2: segments leave from the front only
  | 'unique-uri' // Onramp: one URI names one segment or part
  | 'discontinuity-sequence-monotonic' // §6.2.2: EXT-X-DISCONTINUITY-SEQUENCE never decreases
  | 'discontinuity-sequence-accounting' // §6.2.2: +1 per EXT-X-DISCONTINUITY that slid out
  | 'live-window-minimum' // §6.2.2: never below 3 × target once reached or once removing
  | 'endlist-final' // §6.2.1 / §4.3.3.4: no change after EXT-X-ENDLIST
  | 'publish-interval' // §6.2.1: a new segment within 1.5 × target while live
  | 'part-inf' // bis §4.4.3.7: EXT-X-PART needs one EXT-X-PART-INF; PART-TARGET ≤ target
  | 'part-duration' // bis §4.4.4.9: DURATION ≤ PART-TARGET, and ≥ 85% of it unless exempt
  | 'part-sum' // bis §3.2: a parent segment's parts add up to its EXTINF
  | 'part-independent' // EXT-X-INDEPENDENT-SEGMENTS: each segment's first part is INDEPENDENT=YES
  | 'part-position' // bis §4.4.4.9: parts precede their parent's EXTINF, after its DISCONTINUITY/MAP/DATE
  | 'part-retention' // bis §6.2.2: no parts on segments ending 3 × target or more before the end
  | 'part-stable' // a part keeps its URI, parent, index, duration and independence across versions
  | 'part-order' // bis §6.2.2: parts leave in playlist order, only with their parent complete, never to return
  | 'server-control' // bis §4.4.3.8: one tag; PART-HOLD-BACK ≥ 2 × PART-TARGET, HOLD-BACK ≥ 3 ×, CAN-SKIP-UNTIL ≥ 6 × target
  | 'preload-hint' // bis §4.4.5.3: none with ENDLIST, one per TYPE, naming a part never listed
  | 'skip' // bis §4.4.5.2: one EXT-X-SKIP before the first segment, with CAN-SKIP-UNTIL; checked only in pairs
  | 'delta-update'; // bis §6.2.5.1: a delta update is its full playlist with the segments beyond the Skip Boundary replaced

export class HlsPlaylistCheckError extends Error {
  readonly rule: HlsCheckRule;
  readonly line: number;

  constructor(rule: HlsCheckRule, line: number, detail: string) {
    super(`HLS rule [${rule}] broken at line ${line}: ${detail}`);
    this.name = 'HlsPlaylistCheckError';
    this.rule = rule;
    this.line = line;
  }
}

export function fail(rule: HlsCheckRule, line: number, detail: string): never {
  throw new HlsPlaylistCheckError(rule, line, detail);
}
