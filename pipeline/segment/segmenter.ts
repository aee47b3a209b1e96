// Decides where segments start (keyframe-aligned for video, by time for audio-only) and the
// target duration the playlist declares once, so that every rounded EXTINF stays ≤
// EXT-X-TARGETDURATION whatever the encoder's keyframe interval (RFC 8216 §4.3.3.1; FIELD-NOTES 3).
import type { Sample } from '../ingest/media-types.js';

export interface SegmenterOptions {
  /** The configured target, e.g. 2 s: segments are at least about this long. */
  readonly targetDurationSec: number;
  /** The track whose samples decide the cuts (video when there is video). */
  readonly referenceTrackId: number;
  readonly referenceTimescale: number;
  /** True when the reference track is video: cuts only on keyframes, if at all possible. */
  readonly keyframeAligned: boolean;
}

/** A cut is taken at a keyframe once the segment is long enough; a segment that would outgrow
 *  the declared target (a GOP longer than it) is cut at the frame that keeps it valid. */
export type CutReason = 'first' | 'keyframe' | 'time' | 'forced';

export interface CutDecision {
  readonly cut: boolean;
  readonly reason?: CutReason;
  /** Duration of the segment this cut closes, in reference ticks. */
  readonly closedTicks?: number;
}

/** How much shorter than the target a keyframe-aligned segment may be (ms rounding of RTMP). */
const TARGET_TOLERANCE_SEC = 0.05;
/** A segment whose duration reaches declared + this is cut even off a keyframe: EXTINF is
 *  rounded (§4.3.3.1), so durations below declared + 0.5 s are still valid. */
const FORCED_CUT_MARGIN_SEC = 0.4;

export class Segmenter {
  private startDts: number | undefined;
  private declared: number | undefined;
  private cutAtNextKeyframe = false;

  constructor(private readonly opts: SegmenterOptions) {}

  /** EXT-X-TARGETDURATION, fixed once the first segment closes (undefined before). */
  get declaredTargetSec(): number | undefined {
    return this.declared;
  }

  /** Restores the target a predecessor declared (a successor continues the same playlist). */
  restoreTarget(targetSec: number): void {
    this.declared = targetSec;
  }

  /** Makes the next reference keyframe (or sample, for audio) start a segment (discontinuity). */
  cutSoon(): void {
    this.cutAtNextKeyframe = true;
  }

  /** Starts over after a discontinuity: the next sample opens a segment as at the start. */
  restart(): void {
    this.startDts = undefined;
  }

  /** Called for each reference-track sample before it is muxed. */
  decide(sample: Sample): CutDecision {
    if (sample.trackId !== this.opts.referenceTrackId) return { cut: false };
    const canStart = !this.opts.keyframeAligned || sample.keyframe;
    if (this.startDts === undefined) {
      if (!canStart) return { cut: false };
      this.startDts = sample.dts;
      this.cutAtNextKeyframe = false;
      return { cut: true, reason: 'first' };
    }
    const elapsedTicks = sample.dts - this.startDts;
    const elapsed = elapsedTicks / this.opts.referenceTimescale;
    const target = this.opts.targetDurationSec;
    let reason: CutReason | undefined;
    if (canStart && (this.cutAtNextKeyframe || elapsed >= target - TARGET_TOLERANCE_SEC)) {
      reason = this.opts.keyframeAligned ? 'keyframe' : 'time';
    } else if (this.declared !== undefined && elapsed >= this.declared + FORCED_CUT_MARGIN_SEC) {
      reason = 'forced';
    }
    if (!reason) return { cut: false };
    if (this.declared === undefined) {
      // The first segment shows the encoder's GOP: declare enough for it, never less than asked.
      this.declared = Math.max(Math.ceil(target), Math.ceil(elapsed - 1e-9));
    }
    this.startDts = sample.dts;
    this.cutAtNextKeyframe = false;
    return { cut: true, reason, closedTicks: elapsedTicks };
  }
}
