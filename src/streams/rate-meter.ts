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
