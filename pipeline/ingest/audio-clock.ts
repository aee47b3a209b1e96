// Exact audio timestamps: RTMP gives whole milliseconds, but audio frames last a fractional
// number of them (1024 samples at 44.1 kHz = 23.22 ms). Counting samples keeps timestamps exact;
// a jump forward of more than half a frame (a gap) or far backward (a new timeline)
// resynchronises it, while a small step back (encoder jitter) never makes time go backwards.

/** A step back larger than this is a new timeline rather than jitter. */
const MAX_BACKWARD_JITTER_SEC = 1;

export class AudioClock {
  private nextDts: number | undefined;

  reset(): void {
    this.nextDts = undefined;
  }

  /** The frame's decode time in `timescale` ticks, given its RTMP time and its duration. */
  next(timestampMs: number, timescale: number, duration: number): number {
    const fromMs = Math.round((timestampMs * timescale) / 1000);
    const expected = this.nextDts;
    let dts = fromMs;
    if (expected !== undefined) {
      const drift = fromMs - expected;
      const jitterBack = drift < 0 && -drift <= MAX_BACKWARD_JITTER_SEC * timescale;
      if (Math.abs(drift) <= duration / 2 || jitterBack) dts = expected;
    }
    this.nextDts = dts + duration;
    return dts;
  }
}
