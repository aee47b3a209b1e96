// CMAF for one stream (ISO/IEC 23000-19): one track per file, fragments (CMAF chunks) of about
// the part target, grouped into keyframe-aligned segments. Every chunk is muxed once and serves
// three outputs: LL-HLS parts, and (concatenated) HLS-fMP4 and DASH segments. No I/O.
import { encodeFragment, type FragmentSample } from '../fmp4/fragment.js';
import { encodeInitSegment } from '../fmp4/init-segment.js';
import type { Sample, TrackInfo } from '../ingest/media-types.js';
import { SampleInterleaver } from '../segment/sample-interleaver.js';
import { Segmenter } from '../segment/segmenter.js';
import { crc32Mpeg2 } from '../mpegts/crc32-mpeg2.js';
import { OutputTimeline } from './output-timeline.js';

export interface CmafPackagerOptions {
  readonly targetDurationSec: number;
  /** Target duration of a part (CMAF chunk), e.g. 0.5 s; parts never exceed it. */
  readonly partTargetSec: number;
  /** The first media sequence number. */
  readonly firstSequence: number;
}

/** 'v' for video, 'a' for audio: DASH RepresentationIDs and file-name prefixes. */
export type TrackLetter = 'v' | 'a';

export type CmafEvent =
  | { readonly type: 'init'; readonly track: TrackInfo; readonly letter: TrackLetter; readonly uri: string; readonly data: Uint8Array }
  | {
      readonly type: 'part';
      readonly track: TrackInfo;
      readonly letter: TrackLetter;
      readonly msn: number;
      readonly index: number;
      readonly uri: string;
      /** The segment this part belongs to: its bytes are the segment's parts in index order. */
      readonly segmentUri: string;
      readonly durationSec: number;
      readonly independent: boolean;
      /** Part 0 of a segment that follows a discontinuity (EXT-X-DISCONTINUITY goes before it). */
      readonly discontinuity: boolean;
      readonly data: Uint8Array[];
    }
  | {
      readonly type: 'segment';
      readonly track: TrackInfo;
      readonly letter: TrackLetter;
      readonly msn: number;
      readonly uri: string;
      /** Start (tfdt of its first sample) and duration, in the track's timescale. */
      readonly startTicks: number;
      readonly durationTicks: number;
      readonly programDateTimeMs: number;
      readonly discontinuity: boolean;
      /** Its chunks' bytes, the same views the parts were written from. */
      readonly data: Uint8Array[];
      readonly byteLength: number;
    };

interface Cut {
  readonly timeSec: number;
  readonly segment: boolean;
  /** The segment it starts follows a discontinuity. */
  readonly discontinuity: boolean;
}

/** Per-track state of the part and segment being built. */
interface TrackState {
  readonly track: TrackInfo;
  readonly letter: TrackLetter;
  /** Start tick of the open segment (undefined before the first one opens). */
  segStart?: number;
  msn: number;
  partIndex: number;
  partStart: number;
  partSamples: FragmentSample[];
  /** The newest sample: its duration is known when the next one arrives. */
  held?: Sample;
  lastInterval: number;
  segmentChunks: Uint8Array[];
  segmentBytes: number;
  fragmentSequence: number;
  discontinuity: boolean;
  /** Cuts decided by the reference track, to apply at this track's first sample at or after them. */
  pending: Cut[];
}

/** How close to the part target a part may end early, so that one frame more would overshoot. */
const PART_SLACK = 1e-6;

export function trackLetter(track: TrackInfo): TrackLetter {
  return track.kind === 'video' ? 'v' : 'a';
}

export class CmafPackager {
  private states = new Map<number, TrackState>();
  private refId = 0;
  private segmenter: Segmenter | undefined;
  private readonly interleaver = new SampleInterleaver();
  private readonly timeline = new OutputTimeline({ epochOrigin: true });
  private nextMsn: number;
  private pendingDiscontinuity = false;
  /** The reference track's part limit: the part target less one frame of the other tracks,
   *  whose parts end at their first frame at or after the reference cut, up to a frame later. */
  private refPartLimitSec: number;

  constructor(private readonly opts: CmafPackagerOptions) {
    this.nextMsn = opts.firstSequence;
    this.refPartLimitSec = opts.partTargetSec;
  }

  /** The target duration the segmenter declared (after the first segment). */
  get declaredTargetSec(): number | undefined {
    return this.segmenter?.declaredTargetSec;
  }

  setTracks(tracks: readonly TrackInfo[], nowMs: number): CmafEvent[] {
    const out = this.flush(nowMs);
    if (this.states.size > 0) this.discontinuity();
    const declared = this.segmenter?.declaredTargetSec;
    const ref = tracks.find((t) => t.kind === 'video') ?? tracks[0];
    this.refId = ref.id;
    const otherFrameSec = Math.max(0, ...tracks.filter((t) => t !== ref && t.kind === 'audio').map((t) => (t.kind === 'audio' ? t.samplesPerFrame / t.timescale : 0)));
    this.refPartLimitSec = this.opts.partTargetSec - otherFrameSec;
    this.segmenter = new Segmenter({ targetDurationSec: this.opts.targetDurationSec, referenceTrackId: ref.id, referenceTimescale: ref.timescale, keyframeAligned: ref.kind === 'video' });
    if (declared !== undefined) this.segmenter.restoreTarget(declared);
    this.interleaver.setTracks(new Map(tracks.map((t) => [t.id, t.timescale])));
    this.states = new Map();
    for (const track of tracks) {
      const data = encodeInitSegment(track);
      const letter = trackLetter(track);
      // Named by content: a changed configuration gets a new name, never a rewrite of a cached one.
      const uri = `init-${letter}-${crc32Mpeg2(data).toString(16).padStart(8, '0')}.mp4`;
      out.push({ type: 'init', track, letter, uri, data });
      this.states.set(track.id, {
        track, letter, msn: 0, partIndex: 0, partStart: 0, partSamples: [], lastInterval: 0,
        segmentChunks: [], segmentBytes: 0, fragmentSequence: 1, discontinuity: false, pending: [],
      });
    }
    return out;
  }

  discontinuity(): void {
    this.pendingDiscontinuity = true;
    this.timeline.discontinuity();
    this.segmenter?.restart();
  }

  push(sample: Sample, nowMs: number): CmafEvent[] {
    const out: CmafEvent[] = [];
    for (const s of this.interleaver.push(sample)) this.place(s, nowMs, out);
    return out;
  }

  /** Publishes everything received: open parts and segments are closed. */
  flush(nowMs: number): CmafEvent[] {
    const out: CmafEvent[] = [];
    for (const s of this.interleaver.flush()) this.place(s, nowMs, out);
    for (const st of this.states.values()) {
      if (st.segStart === undefined) continue;
      const end = st.held ? st.held.dts + (st.held.duration || st.lastInterval) : st.partStart;
      this.closePart(st, end, out);
      this.closeSegment(st, end, out);
      st.pending = [];
    }
    this.segmenter?.restart();
    return out;
  }

  private place(input: Sample, nowMs: number, out: CmafEvent[]): void {
    const st = this.states.get(input.trackId);
    if (!st || !this.segmenter) return;
    if (input.trackId === this.refId && this.timeline.isJump(input, st.track.timescale)) this.discontinuity();
    const sample = this.timeline.map(input, st.track.timescale, nowMs);
    const ts = st.track.timescale;
    if (sample.trackId === this.refId) {
      const decision = this.segmenter.decide(sample);
      let cut: Cut | undefined;
      if (decision.cut) {
        cut = { timeSec: sample.dts / ts, segment: true, discontinuity: this.pendingDiscontinuity };
        this.pendingDiscontinuity = false;
      } else if (st.segStart !== undefined && this.partFull(st, sample)) {
        cut = { timeSec: sample.dts / ts, segment: false, discontinuity: false };
      }
      if (cut) {
        this.applyCut(st, sample.dts, cut, out);
        for (const other of this.states.values()) if (other !== st) other.pending.push(cut);
      }
    } else {
      let cut: Cut | undefined;
      while (st.pending.length > 0 && sample.dts / ts >= st.pending[0].timeSec - PART_SLACK) {
        const next = st.pending.shift() as Cut;
        cut = { timeSec: next.timeSec, segment: next.segment || (cut?.segment ?? false), discontinuity: next.discontinuity || (cut?.discontinuity ?? false) };
      }
      if (cut) this.applyCut(st, sample.dts, cut, out);
    }
    if (st.segStart === undefined) return; // before the first keyframe: not decodable alone
    this.hold(st, sample);
  }

  /** True when one more frame would take the open part past the part target. */
  private partFull(st: TrackState, sample: Sample): boolean {
    const interval = st.held ? sample.dts - st.held.dts : 0;
    return (sample.dts - st.partStart + interval) / st.track.timescale > this.refPartLimitSec + PART_SLACK;
  }

  private applyCut(st: TrackState, atDts: number, cut: Cut, out: CmafEvent[]): void {
    if (st.segStart !== undefined) {
      this.closePart(st, atDts, out);
      if (cut.segment) this.closeSegment(st, atDts, out);
    }
    if (cut.segment || st.segStart === undefined) {
      if (!cut.segment) return;
      // The reference track opens segment numbers; other tracks take the same number.
      if (st.track.id === this.refId) st.msn = this.nextMsn++;
      else st.msn = this.states.get(this.refId)?.msn ?? this.nextMsn - 1;
      st.segStart = atDts;
      st.partIndex = 0;
      st.discontinuity = cut.discontinuity;
    }
    st.partStart = atDts;
  }

  private hold(st: TrackState, sample: Sample): void {
    if (st.held) {
      st.lastInterval = sample.dts - st.held.dts;
      st.partSamples.push(toFragmentSample(st.held, st.lastInterval));
    }
    st.held = sample;
  }

  private closePart(st: TrackState, endDts: number, out: CmafEvent[]): void {
    if (st.held) {
      const d = endDts - st.held.dts;
      st.partSamples.push(toFragmentSample(st.held, d > 0 ? d : st.held.duration || st.lastInterval || 1));
      st.held = undefined;
    }
    if (st.partSamples.length === 0) return;
    const samples = st.partSamples;
    st.partSamples = [];
    const data = encodeFragment(st.track, st.fragmentSequence++, samples);
    const segUri = segmentUri(st.letter, st.segStart ?? 0);
    const uri = `${segUri.slice(0, -'.m4s'.length)}.${st.partIndex}.m4s`;
    const durationSec = samples.reduce((n, s) => n + s.duration, 0) / st.track.timescale;
    const discontinuity = st.partIndex === 0 && st.discontinuity;
    out.push({ type: 'part', track: st.track, letter: st.letter, msn: st.msn, index: st.partIndex, uri, segmentUri: segUri, durationSec, independent: samples[0].keyframe, discontinuity, data });
    st.partIndex++;
    for (const d of data) {
      st.segmentChunks.push(d);
      st.segmentBytes += d.length;
    }
  }

  private closeSegment(st: TrackState, endDts: number, out: CmafEvent[]): void {
    if (st.segStart === undefined || st.segmentChunks.length === 0) return;
    const startTicks = st.segStart;
    out.push({
      type: 'segment',
      track: st.track,
      letter: st.letter,
      msn: st.msn,
      uri: segmentUri(st.letter, startTicks),
      startTicks,
      durationTicks: endDts - startTicks,
      programDateTimeMs: this.timeline.wallClockMs(startTicks / st.track.timescale),
      discontinuity: st.discontinuity,
      data: st.segmentChunks,
      byteLength: st.segmentBytes,
    });
    st.segmentChunks = [];
    st.segmentBytes = 0;
    st.segStart = undefined;
  }
}

/** DASH media template `$RepresentationID$-$Time$.m4s`: named by the segment's start tick. */
export function segmentUri(letter: TrackLetter, startTicks: number): string {
  return `${letter}-${startTicks}.m4s`;
}

function toFragmentSample(s: Sample, duration: number): FragmentSample {
  return { dts: s.dts, pts: s.pts, duration, keyframe: s.keyframe, data: s.data };
}
