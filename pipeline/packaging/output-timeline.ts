// One output timeline for a stream across publisher reconnects and clock jumps, anchored once to
// the wall clock: output time ≈ wall-clock time since the stream started. A new input timeline
// continues at the later of where the output left off and the wall-clock time now, so an outage
// becomes a gap of its real length. That keeps EXT-X-PROGRAM-DATE-TIME and DASH's fixed
// availabilityStartTime true for every segment, before and after a reconnect.
import type { Sample } from '../ingest/media-types.js';

/** A jump of input time larger than this (either way) is treated as a discontinuity. */
export const MAX_TIMESTAMP_JUMP_SEC = 10;

export class OutputTimeline {
  /** With `epochOrigin`, output time 0 is the Unix epoch: output seconds are wall-clock seconds,
   *  so media times and names stay unique across restarts and DASH's availabilityStartTime can be
   *  1970-01-01T00:00:00Z for ever. Without it, output time starts at 0 with the first sample. */
  constructor(private readonly opts: { readonly epochOrigin?: boolean } = {}) {
    if (opts.epochOrigin) this.anchorMs = 0;
  }

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
      this.anchorMs ??= nowMs;
      // Never before the end of what was output (time only moves forward, even if the wall
      // clock steps back), and not before now on the wall clock (an outage is a real gap).
      const startSec = Math.max(this.endSec, (nowMs - this.anchorMs) / 1000);
      this.offsetSec = startSec - inputSec;
    }
    this.lastInputSec = Math.max(this.lastInputSec ?? inputSec, inputSec);
    const offsetTicks = Math.round(this.offsetSec * timescale);
    const out = offsetTicks === 0 ? sample : { ...sample, dts: sample.dts + offsetTicks, pts: sample.pts + offsetTicks };
    const end = (out.dts + out.duration) / timescale;
    if (end > this.endSec) this.endSec = end;
    return out;
  }

  /** Wall-clock ms at output time 0 (DASH availabilityStartTime); undefined before any sample. */
  get anchor(): number | undefined {
    return this.anchorMs;
  }

  wallClockMs(outputSec: number): number {
    return Math.round((this.anchorMs ?? 0) + outputSec * 1000);
  }
}
