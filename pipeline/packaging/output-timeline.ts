// One continuous output timeline for a stream across publisher reconnects and clock jumps: each
// new input timeline is shifted to continue where the output left off, and wall-clock time
// (EXT-X-PROGRAM-DATE-TIME) is anchored to media time.
import type { Sample } from '../ingest/media-types.js';

/** A jump of input time larger than this (either way) is treated as a discontinuity. */
export const MAX_TIMESTAMP_JUMP_SEC = 10;

export class OutputTimeline {
  /** Seconds added to input time; fixed per input timeline. */
  private offsetSec: number | undefined;
  /** Wall-clock ms at output time 0. */
  private anchorMs: number | undefined;
  /** The end of everything output so far, in output seconds. */
  private endSec = 0;
  private lastInputSec: number | undefined;

  /** The next sample starts a new input timeline. */
  discontinuity(): void {
    this.offsetSec = undefined;
    this.lastInputSec = undefined;
  }

  /** True when `sample` jumped too far from the previous one to be the same timeline. */
  isJump(sample: Sample, timescale: number): boolean {
    if (this.lastInputSec === undefined) return false;
    const t = sample.dts / timescale;
    return t < this.lastInputSec - MAX_TIMESTAMP_JUMP_SEC || t > this.lastInputSec + MAX_TIMESTAMP_JUMP_SEC;
  }

  map(sample: Sample, timescale: number, nowMs: number): Sample {
    const inputSec = sample.dts / timescale;
    if (this.offsetSec === undefined) {
      this.offsetSec = this.endSec - inputSec;
      // Re-anchor wall clock so this sample's output time maps to now; never earlier than the
      // previous anchor, so EXT-X-PROGRAM-DATE-TIME keeps increasing even if the clock steps back.
      this.anchorMs = Math.max(nowMs - this.endSec * 1000, this.anchorMs ?? -Infinity);
    }
    this.lastInputSec = Math.max(this.lastInputSec ?? inputSec, inputSec);
    const offsetTicks = Math.round(this.offsetSec * timescale);
    const out = offsetTicks === 0 ? sample : { ...sample, dts: sample.dts + offsetTicks, pts: sample.pts + offsetTicks };
    const end = (out.dts + out.duration) / timescale;
    if (end > this.endSec) this.endSec = end;
    return out;
  }

  wallClockMs(outputSec: number): number {
    return Math.round((this.anchorMs ?? 0) + outputSec * 1000);
  }
}
