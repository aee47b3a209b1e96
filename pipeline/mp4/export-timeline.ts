// The timeline of an exported recording: sample durations with the reconnect gaps taken out and
// each track's decode times made contiguous (ISO/IEC 14496-12 §8.6.1.2: stts has durations only,
// so a track's samples follow one another without holes), plus what the edit lists need.
import { LimitError } from '../core/errors.js';
import type { ParsedSample } from '../fmp4/fragment-reader.js';
import { MAX_U32 } from './mp4-constants.js';

export interface TimedFragment {
  /** tfdt of the fragment, in the track timescale. */
  readonly baseMediaDecodeTime: number;
  readonly samples: readonly ParsedSample[];
}

export interface TimedTrack {
  readonly timescale: number;
  /** Fragments with at least one sample, in decode order. */
  readonly fragments: readonly TimedFragment[];
}

export interface TrackTiming {
  /** stts sample deltas, one per sample in decode order, in ticks: never 0 where one was changed. */
  readonly durations: Uint32Array;
  /** ctts offsets, one per sample, shifted by the same amount so that mediaStartTicks ≥ 0. */
  readonly compositionOffsets: Int32Array;
  /** The sum of `durations`: the track's media duration (mdhd). */
  readonly mediaDurationTicks: number;
  /** elst media_time: the media's composition time of the track's first presented sample. */
  readonly mediaStartTicks: number;
  /** Seconds from movie time zero to the track's first presented sample (an empty edit). */
  readonly startDelaySec: number;
}

export interface MovieTiming {
  readonly tracks: TrackTiming[];
  /** Seconds of uncovered time (no track had media) taken out of the timeline. */
  readonly removedSec: number;
}

interface Span {
  readonly startSec: number;
  readonly endSec: number;
}

/**
 * Times every track on one output timeline. A fragment covers its decode interval moved by the
 * track's presentation delay (the first presented sample's time − the first decode time, the
 * B-frame reordering delay), so coverage is presentation time. The intervals, in seconds, that
 * no track covers are removed for all tracks alike (later samples move earlier by the total
 * removed before them), which keeps the tracks' relative timing. What is left between two
 * fragments of one track (a hole: the other track still had media there) is closed by
 * lengthening the sample before it; an overlap shortens that sample, to no less than 1 tick.
 */
export function timeMovie(tracks: readonly TimedTrack[]): MovieTiming {
  // Times relative to a whole second before every track's start: recordings carry wall-clock
  // decode times (~1.8e9 s), and small relative values keep the seconds exact enough to compare.
  const originSec = Math.min(...tracks.map((t) => Math.floor(t.fragments[0].baseMediaDecodeTime / t.timescale)));
  const starts = tracks.map((t) => t.fragments.map((f) => f.baseMediaDecodeTime - originSec * t.timescale));
  const delays = tracks.map((t) => presentationDelay(t.fragments[0].samples));
  const spans = tracks.flatMap((t, i) => t.fragments.map((f, j) => span(starts[i][j] + delays[i], sumDurations(f.samples), t.timescale)));
  const gaps = uncovered(spans);
  const removedBefore = removedBeforeFn(gaps);
  const timed = tracks.map((t, i) => timeTrack(t, starts[i], delays[i], removedBefore));
  const movieZeroSec = Math.min(...timed.map((t) => t.firstPresentationSec));
  return {
    tracks: timed.map(({ firstPresentationSec, ...rest }) => ({ ...rest, startDelaySec: firstPresentationSec - movieZeroSec })),
    removedSec: gaps.reduce((n, g) => n + (g.endSec - g.startSec), 0),
  };
}

/** The earliest presentation time of a fragment's samples relative to its first decode time. */
function presentationDelay(samples: readonly ParsedSample[]): number {
  let min = Infinity;
  let dts = 0;
  for (const s of samples) {
    min = Math.min(min, dts + s.compositionOffset);
    dts += s.duration;
  }
  return min;
}

function timeTrack(
  track: TimedTrack,
  starts: readonly number[],
  delay: number,
  removedBefore: (sec: number) => number,
): Omit<TrackTiming, 'startDelaySec'> & { firstPresentationSec: number } {
  const ts = track.timescale;
  const count = track.fragments.reduce((n, f) => n + f.samples.length, 0);
  const durations = new Uint32Array(count);
  const compositionOffsets = new Int32Array(count);
  // With negative offsets (trun v1) the first presented sample may come before the first decode
  // time; all offsets then move up until it is at 0, since elst media_time cannot be negative
  // (§8.6.6.3) other than −1 for an empty edit.
  const offsetShift = Math.max(0, -delay);
  // Each fragment's decode time minus the gaps before it: the key is its coverage start, which
  // is never inside a gap, so every tick of the fragment moves by the same amount.
  const target = (i: number): number => starts[i] - Math.round(removedBefore((starts[i] + delay) / ts) * ts);
  const firstStart = target(0);
  let end = firstStart;
  let k = 0;
  track.fragments.forEach((fragment, i) => {
    const delta = i === 0 ? 0 : target(i) - end;
    if (delta !== 0) {
      // A hole (delta > 0) or overlap (delta < 0) before this fragment: the previous sample
      // absorbs it, so this fragment's first sample lands on its own (gap-shifted) decode time.
      const before = durations[k - 1];
      const changed = Math.max(1, before + delta);
      if (changed > MAX_U32) throw new LimitError('a hole in one track is too long for one sample duration', { holeTicks: delta, timescale: ts });
      durations[k - 1] = changed;
      end += changed - before;
    }
    for (const s of fragment.samples) {
      durations[k] = s.duration;
      const offset = s.compositionOffset + offsetShift;
      if (offset > 0x7fff_ffff) throw new LimitError('composition offset does not fit ctts version 1', { offset: s.compositionOffset });
      compositionOffsets[k] = offset;
      end += s.duration;
      k++;
    }
  });
  return {
    durations,
    compositionOffsets,
    mediaDurationTicks: end - firstStart,
    mediaStartTicks: delay + offsetShift,
    firstPresentationSec: (firstStart + delay) / ts,
  };
}

function sumDurations(samples: readonly ParsedSample[]): number {
  let n = 0;
  for (const s of samples) n += s.duration;
  return n;
}

function span(startTicks: number, durationTicks: number, timescale: number): Span {
  return { startSec: startTicks / timescale, endSec: (startTicks + durationTicks) / timescale };
}

/** The intervals between the first start and the last end that no span covers, in order. */
export function uncovered(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.startSec - b.startSec);
  const gaps: Span[] = [];
  let reach = sorted[0]?.startSec ?? 0;
  for (const s of sorted) {
    if (s.startSec > reach) gaps.push({ startSec: reach, endSec: s.startSec });
    reach = Math.max(reach, s.endSec);
  }
  return gaps;
}

/** Seconds of gaps that end at or before a time; gaps are sorted and disjoint. */
function removedBeforeFn(gaps: readonly Span[]): (sec: number) => number {
  const prefix = [0];
  for (const g of gaps) prefix.push(prefix[prefix.length - 1] + (g.endSec - g.startSec));
  return (sec) => {
    let lo = 0;
    let hi = gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (gaps[mid].endSec <= sec) lo = mid + 1;
      else hi = mid;
    }
    return prefix[lo];
  };
}
