// A sliding-window rate over one-second buckets (bytes/s or frames/s), on an injected clock.

export class RateMeter {
  private readonly buckets: number[];
  private readonly stamps: number[];

  constructor(
    private readonly nowMs: () => number,
    private readonly windowSec = 5,
  ) {
    this.buckets = new Array<number>(windowSec + 1).fill(0);
    this.stamps = new Array<number>(windowSec + 1).fill(-1);
  }

  add(amount: number): void {
    const sec = Math.floor(this.nowMs() / 1000);
    const i = sec % this.buckets.length;
    if (this.stamps[i] !== sec) {
      this.stamps[i] = sec;
      this.buckets[i] = 0;
    }
    this.buckets[i] += amount;
  }

  /** Average per second over the last complete seconds of the window. */
  perSecond(): number {
    const now = Math.floor(this.nowMs() / 1000);
    let sum = 0;
    let oldest = now;
    for (let i = 0; i < this.buckets.length; i++) {
      const s = this.stamps[i];
      if (s >= now - this.windowSec && s < now) {
        sum += this.buckets[i];
        oldest = Math.min(oldest, s);
      }
    }
    const seconds = now - oldest;
    return seconds > 0 ? sum / seconds : 0;
  }
}

/** Bitrate over the last minutes, as the dashboard's chart draws it. */
export interface BitrateHistory {
  /** Seconds covered by each sample. */
  readonly intervalSec: number;
  /** Oldest first; one value per complete interval since the first byte (at most `samples`). */
  readonly kbps: number[];
}

/** Bytes summed per fixed interval of the clock (no timers), kept for the last `samples` intervals. */
export class RateHistory {
  private readonly sums: number[];
  private readonly stamps: number[];
  /** The interval of the first byte: only partly measured, so never reported. */
  private first = -1;

  constructor(
    private readonly nowMs: () => number,
    private readonly intervalSec = 5,
    samples = 60,
  ) {
    // One slot more than reported: the interval in progress.
    this.sums = new Array<number>(samples + 1).fill(0);
    this.stamps = new Array<number>(samples + 1).fill(-1);
  }

  add(bytes: number): void {
    const at = this.interval();
    if (this.first < 0) this.first = at;
    const i = at % this.sums.length;
    if (this.stamps[i] !== at) {
      this.stamps[i] = at;
      this.sums[i] = 0;
    }
    this.sums[i] += bytes;
  }

  /** Complete intervals from the oldest one kept to the last one; intervals without bytes are 0. */
  describe(): BitrateHistory {
    const now = this.interval();
    const first = now - (this.sums.length - 1);
    let oldest = now;
    for (const s of this.stamps) if (s >= 0 && s >= first && s < oldest && s !== this.first) oldest = s;
    const kbps: number[] = [];
    for (let at = oldest; at < now; at++) {
      const i = at % this.sums.length;
      kbps.push(this.stamps[i] === at ? Math.round((this.sums[i] * 8) / 1000 / this.intervalSec) : 0);
    }
    return { intervalSec: this.intervalSec, kbps };
  }

  private interval(): number {
    return Math.floor(this.nowMs() / (this.intervalSec * 1000));
  }
}
