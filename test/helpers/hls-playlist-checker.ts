// Enforces RFC 8216 and rfc8216bis (low-latency) rules on each version of one live HLS media playlist, across versions, and on delta updates.
import { isPipelineError } from '../../pipeline/core/errors.js';
import {
  attributeOf,
  parseMediaPlaylist,
  type HlsSyntaxRule,
  type HlsTag,
  type ParsedMediaPlaylist,
  type ParsedSegment,
} from '../../pipeline/inspect/hls-playlist-parser.js';

import { fail, type HlsCheckRule } from './hls-check-error.js';
import { checkDeltaPair } from './hls-delta-update.js';
import { checkLowLatencyVersion, PartHistory } from './hls-ll-checks.js';

export { HlsPlaylistCheckError, type HlsCheckRule } from './hls-check-error.js';
export { expandDeltaUpdate } from './hls-delta-update.js';

export interface HlsPlaylistCheckerOptions {
  /** Longest wait, in seconds, for a version with a new segment while live. Default 1.5 × the
   *  target (§6.2.1); add the polling interval when versions are observed by polling. */
  readonly maxPublishIntervalSec?: number;
}

/** §6.2.1: a live playlist gets a new segment no later than 1.5 × target after the last. */
export const PUBLISH_INTERVAL_TARGET_MULTIPLE = 1.5;
const LIVE_WINDOW_TARGET_MULTIPLE = 3;

const count = (p: ParsedMediaPlaylist, name: string): HlsTag[] => p.tags.filter((t) => t.name === name);
const lastSequence = (p: ParsedMediaPlaylist): number => p.mediaSequence + p.segments.length - 1;
const totalMs = (p: ParsedMediaPlaylist): number => p.segments.reduce((sum, s) => sum + s.durationMs, 0);
const startLine = (s: ParsedSegment): number => Math.min(s.uriLine, ...s.tags.map((t) => t.line));

/** §7: the lowest EXT-X-VERSION the features used in the playlist need. */
function requiredVersion(p: ParsedMediaPlaylist): number {
  let v = 1;
  const tags = (name: string): HlsTag[] => count(p, name);
  if (tags('EXT-X-KEY').some((t) => attributeOf(t, 'IV'))) v = Math.max(v, 2);
  if (tags('EXTINF').some((t) => (t.value ?? '').split(',')[0].includes('.'))) v = Math.max(v, 3);
  if (tags('EXT-X-BYTERANGE').length > 0 || p.iFramesOnly) v = Math.max(v, 4);
  const keyV5 = (t: HlsTag): boolean =>
    attributeOf(t, 'METHOD')?.value === 'SAMPLE-AES' || !!attributeOf(t, 'KEYFORMAT') || !!attributeOf(t, 'KEYFORMATVERSIONS');
  if (tags('EXT-X-KEY').some(keyV5)) v = Math.max(v, 5);
  if (tags('EXT-X-MAP').length > 0) v = Math.max(v, p.iFramesOnly ? 5 : 6);
  // rfc8216bis §8: EXT-X-SKIP needs 9, and 10 when it also replaces EXT-X-DATERANGE tags.
  if (p.skippedSegments !== undefined) v = Math.max(v, p.skipsDateRanges ? 10 : 9);
  return v;
}

function parsePlaylist(text: string): ParsedMediaPlaylist {
  try {
    return parseMediaPlaylist(text);
  } catch (err) {
    if (!isPipelineError(err)) throw err;
    fail((err.context.rule as HlsSyntaxRule | undefined) ?? 'tag-value', Number(err.context.line ?? 1), err.message);
  }
}

/** Checks a delta update (rfc8216bis §6.2.5.1) against the full playlist of the same moment:
 *  each on its own, then the pair. A full playlist is accepted as the answer when nothing can be skipped. */
export function checkDeltaUpdate(fullText: string, deltaText: string): void {
  const full = parsePlaylist(fullText);
  const delta = parsePlaylist(deltaText);
  checkSingleVersion(full);
  checkSingleVersion(delta);
  checkDeltaPair(full, delta);
}

/** Rules that hold for any single version. */
function checkSingleVersion(p: ParsedMediaPlaylist): number {
  const targets = count(p, 'EXT-X-TARGETDURATION');
  if (targets.length !== 1) fail('target-duration', targets[1]?.line ?? 1, `${targets.length} EXT-X-TARGETDURATION tags, exactly one required (§4.3.3.1)`);
  const target = p.targetDurationSec ?? 0;
  const versions = count(p, 'EXT-X-VERSION');
  if (versions.length > 1) fail('version', versions[1].line, 'more than one EXT-X-VERSION (§4.3.1.2)');
  const needed = requiredVersion(p);
  if ((p.version ?? 1) < needed) fail('version', versions[0]?.line ?? 1, `EXT-X-VERSION ${p.version ?? 1} but the features used need ${needed} (§7)`);
  const firstSegmentLine = p.segments.length > 0 ? startLine(p.segments[0]) : Infinity;
  const firstDiscontinuity = count(p, 'EXT-X-DISCONTINUITY')[0]?.line ?? Infinity;
  for (const [name, rule, before] of [
    ['EXT-X-MEDIA-SEQUENCE', 'media-sequence', firstSegmentLine],
    ['EXT-X-DISCONTINUITY-SEQUENCE', 'discontinuity-sequence', Math.min(firstSegmentLine, firstDiscontinuity)],
  ] as const) {
    const found = count(p, name);
    if (found.length > 1) fail(rule, found[1].line, `more than one ${name} (§4.3.3)`);
    if (found.length === 1 && found[0].line > before) fail(rule, found[0].line, `${name} must precede the first segment${rule === 'discontinuity-sequence' ? ' and any EXT-X-DISCONTINUITY' : ''} (§4.3.3)`);
  }
  const uris = new Set<string>();
  let lastDate = -Infinity;
  for (const s of p.segments) {
    const extinfLine = s.tags.find((t) => t.name === 'EXTINF')?.line ?? s.uriLine;
    if (Math.round(s.durationSec) > target) fail('extinf-target', extinfLine, `EXTINF ${s.durationSec} rounds to ${Math.round(s.durationSec)} > EXT-X-TARGETDURATION ${target} (§4.3.3.1)`);
    if (uris.has(s.uri)) fail('unique-uri', s.uriLine, `segment URI ${s.uri} appears twice`);
    uris.add(s.uri);
    if (s.programDateTimeMs !== undefined) {
      const line = s.tags.find((t) => t.name === 'EXT-X-PROGRAM-DATE-TIME')?.line ?? s.uriLine;
      if (s.programDateTimeMs <= lastDate) fail('program-date-time', line, `EXT-X-PROGRAM-DATE-TIME of ${s.uri} does not increase`);
      lastDate = s.programDateTimeMs;
    }
  }
  if (p.playlistType === 'VOD' && !p.endList) fail('playlist-type', 1, 'a VOD playlist cannot change, so it must end with EXT-X-ENDLIST (§4.3.3.5, §6.2.1)');
  checkLowLatencyVersion(p);
  return target;
}

interface KnownSegment {
  readonly sequence: number;
  readonly durationMs: number;
  readonly programDateTimeMs?: number;
  readonly discontinuity: boolean;
  readonly discontinuitySequence: number;
}

/**
 * Checks every version of one media playlist. Feed it each text fetched (or produced), with the
 * time it was seen. Identical text is not a new version: `versionsSeen` counts distinct ones.
 * Versions may be skipped (polling): rules across versions then allow for what was missed.
 *
 * Window rule enforced: a playlist may start short, but once its content reaches 3 × target it
 * must stay at or above that, and after the first removal of a segment (a rising
 * EXT-X-MEDIA-SEQUENCE) it must hold 3 × target, because §6.2.2 forbids removing a segment when
 * the rest would be shorter than that.
 */
export class HlsPlaylistChecker {
  private prev: { text: string; p: ParsedMediaPlaylist } | undefined;
  private readonly byUri = new Map<string, KnownSegment>();
  private readonly uriBySequence = new Map<number, string>();
  private maxSequence = -1;
  private firstMediaSequence = 0;
  private windowReached = false;
  private lastNewSegmentAtMs: number | undefined;
  private distinctVersions = 0;
  private readonly parts = new PartHistory();

  constructor(private readonly options: HlsPlaylistCheckerOptions = {}) {}

  get versionsSeen(): number {
    return this.distinctVersions;
  }

  /** Throws HlsPlaylistCheckError naming the rule and line; state is kept only on success. */
  check(text: string, atMs?: number): void {
    if (this.prev !== undefined && text === this.prev.text) {
      if (atMs !== undefined && this.lastNewSegmentAtMs !== undefined) this.checkFreshness(atMs);
      return;
    }
    if (this.prev?.p.endList) fail('endlist-final', 1, 'the playlist changed after EXT-X-ENDLIST (§6.2.1)');
    const p = parsePlaylist(text);
    if (p.skippedSegments !== undefined) fail('skip', p.tags.find((t) => t.name === 'EXT-X-SKIP')?.line ?? 1, 'a delta update is checked with its full playlist: use checkDelta(full, delta)');
    checkSingleVersion(p);
    if (this.prev !== undefined) this.checkTransition(this.prev.p, p);
    this.parts.check(p);
    this.checkWindow(p);
    const hasNew = lastSequence(p) > this.maxSequence && p.segments.length > 0;
    if (atMs !== undefined && this.lastNewSegmentAtMs !== undefined && this.prev !== undefined && !p.endList) {
      if (hasNew) this.checkInterval(atMs, p.targetDurationSec ?? 0, p.segments[p.segments.length - 1].uriLine);
      else this.checkInterval(atMs, p.targetDurationSec ?? 0, 1);
    }
    this.commit(text, p, atMs, hasNew);
  }

  /** Fails if the playlist is live and no new segment has appeared for too long (§6.2.1). */
  checkFreshness(nowMs: number): void {
    const p = this.prev?.p;
    if (p === undefined || this.lastNewSegmentAtMs === undefined) fail('publish-interval', 1, 'no version checked with a time yet');
    if (!p.endList) this.checkInterval(nowMs, p.targetDurationSec ?? 0, 1);
  }

  private checkInterval(nowMs: number, targetSec: number, line: number): void {
    const limitSec = this.options.maxPublishIntervalSec ?? PUBLISH_INTERVAL_TARGET_MULTIPLE * targetSec;
    const waitedMs = nowMs - (this.lastNewSegmentAtMs ?? nowMs);
    if (waitedMs > limitSec * 1000) fail('publish-interval', line, `no new segment for ${waitedMs} ms while live, limit ${limitSec * 1000} ms (§6.2.1)`);
  }

  /** Checks the full playlist as the next version, then the delta update served at the same moment. */
  checkDelta(fullText: string, deltaText: string, atMs?: number): void {
    this.check(fullText, atMs);
    checkDeltaUpdate(fullText, deltaText);
  }

  private checkTransition(prev: ParsedMediaPlaylist, p: ParsedMediaPlaylist): void {
    const targetLine = count(p, 'EXT-X-TARGETDURATION')[0].line;
    if (p.targetDurationSec !== prev.targetDurationSec) fail('target-duration-stable', targetLine, `EXT-X-TARGETDURATION changed from ${prev.targetDurationSec} to ${p.targetDurationSec}`);
    const msLine = count(p, 'EXT-X-MEDIA-SEQUENCE')[0]?.line ?? 1;
    if (p.mediaSequence < prev.mediaSequence) fail('media-sequence-monotonic', msLine, `EXT-X-MEDIA-SEQUENCE went from ${prev.mediaSequence} to ${p.mediaSequence}`);
    if (lastSequence(p) < lastSequence(prev)) fail('segment-removal-order', 1, `last segment went from ${lastSequence(prev)} back to ${lastSequence(p)}: segments removed from the end`);
    if (p.playlistType !== prev.playlistType) fail('playlist-type', 1, `EXT-X-PLAYLIST-TYPE changed from ${prev.playlistType} to ${p.playlistType}`);
    if (p.playlistType === 'EVENT' && p.mediaSequence !== prev.mediaSequence) fail('playlist-type', msLine, 'segments removed from an EVENT playlist (§4.3.3.5)');
    const dsnLine = count(p, 'EXT-X-DISCONTINUITY-SEQUENCE')[0]?.line ?? 1;
    const delta = p.discontinuitySequence - prev.discontinuitySequence;
    if (delta < 0) fail('discontinuity-sequence-monotonic', dsnLine, `EXT-X-DISCONTINUITY-SEQUENCE went from ${prev.discontinuitySequence} to ${p.discontinuitySequence}`);
    const gone = prev.segments.filter((s) => s.sequence < p.mediaSequence && s.discontinuity).length;
    const unseen = Math.max(0, p.mediaSequence - (lastSequence(prev) + 1));
    if (delta < gone || delta > gone + unseen) {
      fail('discontinuity-sequence-accounting', dsnLine, `EXT-X-DISCONTINUITY-SEQUENCE rose by ${delta} but ${gone} discontinuities slid out${unseen > 0 ? ` (plus up to ${unseen} from unseen segments)` : ''} (§6.2.2)`);
    }
  }

  private checkWindow(p: ParsedMediaPlaylist): void {
    for (const s of p.segments) {
      const known = this.byUri.get(s.uri);
      const holder = this.uriBySequence.get(s.sequence);
      if (holder !== undefined && holder !== s.uri) fail('segment-stable', s.uriLine, `sequence ${s.sequence} was ${holder}, now ${s.uri}`);
      // A sequence number seen before is in uriBySequence (MEDIA-SEQUENCE never decreases), so
      // an insertion among published segments is caught by the holder check above.
      if (known === undefined) continue;
      const changed = (['sequence', 'durationMs', 'programDateTimeMs', 'discontinuity'] as const).find((k) => known[k] !== s[k]);
      if (changed) fail('segment-stable', s.uriLine, `segment ${s.uri} changed its ${changed} from ${String(known[changed])} to ${String(s[changed])}`);
      if (known.discontinuitySequence !== s.discontinuitySequence) fail('discontinuity-sequence-accounting', s.uriLine, `segment ${s.uri} moved from discontinuity sequence ${known.discontinuitySequence} to ${s.discontinuitySequence} (§6.2.2)`);
    }
    const removedSince = this.prev !== undefined && p.mediaSequence > this.firstMediaSequence;
    const dsnTag = count(p, 'EXT-X-DISCONTINUITY-SEQUENCE').length > 0;
    const disc = count(p, 'EXT-X-DISCONTINUITY')[0];
    if (removedSince && disc && !dsnTag) fail('discontinuity-sequence', disc.line, 'segments were removed from a playlist with EXT-X-DISCONTINUITY, so it needs EXT-X-DISCONTINUITY-SEQUENCE (§6.2.2)');
    const minimumMs = LIVE_WINDOW_TARGET_MULTIPLE * (p.targetDurationSec ?? 0) * 1000;
    if (totalMs(p) < minimumMs && (this.windowReached || removedSince)) {
      fail('live-window-minimum', 1, `playlist holds ${totalMs(p)} ms, below 3 × target = ${minimumMs} ms, after ${this.windowReached ? 'reaching it' : 'removing segments'} (§6.2.2)`);
    }
  }

  private commit(text: string, p: ParsedMediaPlaylist, atMs: number | undefined, hasNew: boolean): void {
    if (this.prev === undefined) this.firstMediaSequence = p.mediaSequence;
    for (const s of p.segments) {
      const { sequence, durationMs, programDateTimeMs, discontinuity, discontinuitySequence } = s;
      this.byUri.set(s.uri, { sequence, durationMs, programDateTimeMs, discontinuity, discontinuitySequence });
      this.uriBySequence.set(sequence, s.uri);
    }
    this.maxSequence = Math.max(this.maxSequence, lastSequence(p));
    if (totalMs(p) >= LIVE_WINDOW_TARGET_MULTIPLE * (p.targetDurationSec ?? 0) * 1000) this.windowReached = true;
    if (atMs !== undefined && (hasNew || this.lastNewSegmentAtMs === undefined)) this.lastNewSegmentAtMs = atMs;
    this.parts.commit(p);
    this.prev = { text, p };
    this.distinctVersions += 1;
  }
}
