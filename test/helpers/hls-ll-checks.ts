// Low-latency HLS rules on each playlist version and across versions (draft-pantos-hls-rfc8216bis §4.4.3.7-§4.4.5.3, §6.2.2).
import type { HlsTag, ParsedMediaPlaylist, ParsedPart } from '../../pipeline/inspect/hls-playlist-parser.js';
import { fail } from './hls-check-error.js';

/** §4.4.3.8 and §6.2.2 multiples, and §4.4.4.9's 85 % floor, as the written values compare. */
const PART_HOLD_BACK_MIN = 2;
const HOLD_BACK_MIN = 3;
const SKIP_BOUNDARY_MIN = 6;
const PART_RETENTION = 3;
const PART_MIN_PERCENT = 85;

const ms = (sec: number): number => Math.round(sec * 1000);
const tagsNamed = (p: ParsedMediaPlaylist, name: string): HlsTag[] => p.tags.filter((t) => t.name === name);

/** Each part with its parent's media sequence number and its Part Index. */
export interface LocatedPart extends ParsedPart {
  readonly msn: number;
  readonly index: number;
}

/** Every part in document order; those after the last segment belong to the next sequence number. */
export function locatedParts(p: ParsedMediaPlaylist): LocatedPart[] {
  const pendingMsn = p.mediaSequence + (p.skippedSegments ?? 0) + p.segments.length;
  return [
    ...p.segments.flatMap((s) => s.parts.map((part, index) => ({ ...part, msn: s.sequence, index }))),
    ...p.pendingParts.map((part, index) => ({ ...part, msn: pendingMsn, index })),
  ];
}

function checkServerControl(p: ParsedMediaPlaylist, targetMs: number, partTargetMs: number | undefined): void {
  const tags = tagsNamed(p, 'EXT-X-SERVER-CONTROL');
  if (tags.length > 1) fail('server-control', tags[1].line, 'more than one EXT-X-SERVER-CONTROL');
  const c = p.serverControl;
  const line = c?.line ?? 1;
  if (partTargetMs !== undefined) {
    if (c?.partHoldBackSec === undefined) fail('server-control', line, 'EXT-X-PART-INF needs PART-HOLD-BACK (§4.4.3.8)');
    if (ms(c.partHoldBackSec) < PART_HOLD_BACK_MIN * partTargetMs) fail('server-control', line, `PART-HOLD-BACK ${c.partHoldBackSec} < 2 × PART-TARGET (§4.4.3.8)`);
  }
  if (c?.holdBackSec !== undefined && ms(c.holdBackSec) < HOLD_BACK_MIN * targetMs) fail('server-control', line, `HOLD-BACK ${c.holdBackSec} < 3 × target (§4.4.3.8)`);
  if (c?.canSkipUntilSec !== undefined && ms(c.canSkipUntilSec) < SKIP_BOUNDARY_MIN * targetMs) fail('server-control', line, `CAN-SKIP-UNTIL ${c.canSkipUntilSec} < 6 × target (§4.4.3.8)`);
  if (c?.canSkipDateRanges === true && c.canSkipUntilSec === undefined) fail('server-control', line, 'CAN-SKIP-DATERANGES needs CAN-SKIP-UNTIL');
}

/** §4.4.4.9: parts come before the parent's EXTINF, and its DISCONTINUITY, MAP and DATE before its first part. */
function checkPartPositions(p: ParsedMediaPlaylist): void {
  const parents = [...p.segments.map((s) => s.tags), p.trailingTags];
  for (const tags of parents) {
    const firstPart = tags.find((t) => t.name === 'EXT-X-PART');
    if (firstPart === undefined) continue;
    const late = tags.find((t) => t.line > firstPart.line && ['EXT-X-DISCONTINUITY', 'EXT-X-MAP', 'EXT-X-PROGRAM-DATE-TIME', 'EXT-X-KEY'].includes(t.name));
    if (late) fail('part-position', late.line, `#${late.name} must precede the first EXT-X-PART of its segment (§4.4.4.9)`);
    const extinf = tags.find((t) => t.name === 'EXTINF');
    const after = tags.find((t) => t.name === 'EXT-X-PART' && extinf !== undefined && t.line > extinf.line);
    if (after) fail('part-position', after.line, 'EXT-X-PART after its parent segment\'s EXTINF');
  }
}

/** §4.4.4.9: ≤ PART-TARGET always; ≥ 85 % unless INDEPENDENT, GAP, before a GAP, or the last of its
 *  parent (a pending segment's last part may be its last: it is judged once another follows). */
function checkPartDurations(parents: readonly (readonly ParsedPart[])[], partTargetMs: number): void {
  for (const parts of parents) {
    parts.forEach((part, i) => {
      if (part.durationMs > partTargetMs) fail('part-duration', part.line, `part ${part.uri} lasts ${part.durationSec} s, above PART-TARGET (§4.4.4.9)`);
      const next = parts[i + 1];
      const exempt = part.independent || part.gap || next === undefined || next.gap;
      if (!exempt && part.durationMs * 100 < PART_MIN_PERCENT * partTargetMs) {
        fail('part-duration', part.line, `part ${part.uri} lasts ${part.durationSec} s, under 85 % of PART-TARGET without being exempt (§4.4.4.9)`);
      }
    });
  }
}

/** The rules that hold for any single version of a low-latency playlist. */
export function checkLowLatencyVersion(p: ParsedMediaPlaylist): void {
  const targetMs = (p.targetDurationSec ?? 0) * 1000;
  const parts = locatedParts(p);
  const partInfs = tagsNamed(p, 'EXT-X-PART-INF');
  if (partInfs.length > 1) fail('part-inf', partInfs[1].line, 'more than one EXT-X-PART-INF');
  if (parts.length > 0 && p.partTargetSec === undefined) fail('part-inf', parts[0].line, 'EXT-X-PART without EXT-X-PART-INF (§4.4.3.7)');
  const partTargetMs = p.partTargetSec === undefined ? undefined : ms(p.partTargetSec);
  if (partTargetMs !== undefined && (partTargetMs <= 0 || partTargetMs > targetMs)) fail('part-inf', partInfs[0].line, `PART-TARGET ${p.partTargetSec} must be positive and at most the target duration`);
  checkServerControl(p, targetMs, partTargetMs);
  checkPartPositions(p);
  const parents = [...p.segments.map((s) => s.parts), p.pendingParts];
  checkPartDurations(parents, partTargetMs ?? 0);
  for (const s of p.segments) {
    const sum = s.parts.reduce((total, part) => total + part.durationMs, 0);
    if (s.parts.length > 0 && Math.abs(sum - s.durationMs) > s.parts.length + 1) fail('part-sum', s.uriLine, `the parts of ${s.uri} add up to ${sum} ms, its EXTINF says ${s.durationMs} ms (§3.2)`);
  }
  if (p.independentSegments) {
    const dependent = parents.find((list) => list.length > 0 && !list[0].independent);
    if (dependent) fail('part-independent', dependent[0].line, `part ${dependent[0].uri} starts a segment of an EXT-X-INDEPENDENT-SEGMENTS playlist without INDEPENDENT=YES`);
  }
  const uris = new Set(p.segments.map((s) => s.uri));
  for (const part of parts) {
    if (uris.has(part.uri)) fail('unique-uri', part.line, `URI ${part.uri} is listed twice`);
    uris.add(part.uri);
  }
  // §6.2.2, per parent segment: none listed once its end is 3 × target or more before the end.
  let distanceMs = p.pendingParts.reduce((total, part) => total + part.durationMs, 0);
  for (const s of [...p.segments].reverse()) {
    if (s.parts.length > 0 && distanceMs >= PART_RETENTION * targetMs) fail('part-retention', s.parts[0].line, `segment ${s.uri} ends ${distanceMs} ms before the end but still lists parts (§6.2.2)`);
    distanceMs += s.durationMs;
  }
  const hints = p.preloadHints;
  if (hints.length > 0 && p.endList) fail('preload-hint', hints[0].line, 'EXT-X-PRELOAD-HINT with EXT-X-ENDLIST (§4.4.5.3)');
  for (const type of new Set(hints.map((h) => h.type))) {
    const same = hints.filter((h) => h.type === type);
    if (same.length > 1) fail('preload-hint', same[1].line, `more than one EXT-X-PRELOAD-HINT of TYPE ${type}`);
  }
  const hinted = hints.find((h) => h.type === 'PART' && uris.has(h.uri));
  if (hinted) fail('preload-hint', hinted.line, `EXT-X-PRELOAD-HINT names ${hinted.uri}, already listed`);
  const skips = tagsNamed(p, 'EXT-X-SKIP');
  if (skips.length > 1) fail('skip', skips[1].line, 'more than one EXT-X-SKIP (§4.4.5.2)');
  if (skips.length === 1) {
    const first = p.segments[0];
    // Header-like tags (the EXT-X-MAP in effect, EXT-X-KEY) may precede it; the segment's own tags may not.
    const own = first?.tags.filter((t) => t.name !== 'EXT-X-MAP' && t.name !== 'EXT-X-KEY') ?? [];
    if (first !== undefined && Math.min(first.uriLine, ...own.map((t) => t.line)) < skips[0].line) fail('skip', skips[0].line, 'EXT-X-SKIP after a segment');
    if (p.serverControl?.canSkipUntilSec === undefined || p.endList) fail('skip', skips[0].line, 'EXT-X-SKIP needs CAN-SKIP-UNTIL and no EXT-X-ENDLIST (§6.2.5.1)');
  }
}

/** Remembers every part listed, to hold later versions to what earlier ones said. */
export class PartHistory {
  private readonly byUri = new Map<string, LocatedPart>();
  private readonly byKey = new Map<string, string>();
  private readonly retired = new Set<string>();
  private previous: LocatedPart[] = [];

  /** Checks a version against the history; throws on a broken rule, records nothing. */
  check(p: ParsedMediaPlaylist): void {
    const parts = locatedParts(p);
    for (const part of parts) {
      const known = this.byUri.get(part.uri);
      const holder = this.byKey.get(`${part.msn}.${part.index}`);
      if (this.retired.has(part.uri)) fail('part-order', part.line, `part ${part.uri} was removed and is listed again (§6.2.2)`);
      if (holder !== undefined && holder !== part.uri) fail('part-stable', part.line, `part ${part.index} of segment ${part.msn} was ${holder}, now ${part.uri}`);
      if (known === undefined) continue;
      const changed = (['msn', 'index', 'durationMs', 'independent'] as const).find((k) => known[k] !== part[k]);
      if (changed) fail('part-stable', part.line, `part ${part.uri} changed its ${changed} from ${String(known[changed])} to ${String(part[changed])}`);
    }
    const now = new Set(parts.map((part) => part.uri));
    const kept = this.previous.filter((part) => now.has(part.uri));
    const suffix = this.previous.slice(this.previous.length - kept.length);
    if (kept.some((part, i) => suffix[i].uri !== part.uri || parts[i]?.uri !== part.uri)) {
      fail('part-order', kept[0].line, 'parts were removed out of playlist order, or new parts were inserted before listed ones (§6.2.2)');
    }
    const complete = new Set(p.segments.map((s) => s.sequence));
    const vanished = this.previous.find((part) => !now.has(part.uri) && part.msn >= p.mediaSequence && !complete.has(part.msn));
    if (vanished) fail('part-order', 1, `part ${vanished.uri} left before its segment ${vanished.msn} was complete`);
    const hint = p.preloadHints.find((h) => h.type === 'PART' && (this.byUri.has(h.uri) || this.retired.has(h.uri)));
    if (hint) fail('preload-hint', hint.line, `EXT-X-PRELOAD-HINT names ${hint.uri}, a part listed before`);
  }

  commit(p: ParsedMediaPlaylist): void {
    const parts = locatedParts(p);
    const now = new Set(parts.map((part) => part.uri));
    for (const part of this.previous) {
      if (!now.has(part.uri)) this.retired.add(part.uri);
    }
    for (const part of parts) {
      this.byUri.set(part.uri, part);
      this.byKey.set(`${part.msn}.${part.index}`, part.uri);
    }
    this.previous = parts;
  }
}
