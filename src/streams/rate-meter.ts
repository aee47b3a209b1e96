// Rates over time on an injected clock (no timers): a sliding-window rate over one-second slots
// (bytes/s or frames/s) and the bitrate history the dashboard draws, both over one ring of sums.

/** Sums per numbered time slot for the last `size` slots: a slot's place in the ring is reused,
 *  and its sum restarted, when a later slot lands there. */
class SlotSums {
  private readonly sums: number[];
  private readonly stamps: number[];

  constructor(readonly size: number) {
    this.sums = new Array<number>(size).fill(0);
    this.stamps = new Array<number>(size).fill(-1);
  }

  add(slot: number, amount: number): void {
    const i = slot % this.size;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.sums[i] = 0;
    }
    this.sums[i] += amount;
  }

  /** The sum of `slot`; undefined when nothing was added in it (or its place has been reused). */
  get(slot: number): number | undefined {
    const i = slot % this.size;
    return this.stamps[i] === slot ? this.sums[i] : undefined;
  }
}

export class RateMeter {
  private readonly slots: SlotSums;

  constructor(
    private readonly nowMs: () => number,
    private readonly windowSec = 5,
  ) {
    this.slots = new SlotSums(windowSec + 1);
  }

  add(amount: number): void {
    this.slots.add(this.second(), amount);
  }

  /** Average per second over the last complete seconds of the window. */
  perSecond(): number {
    const now = this.second();
    let sum = 0;
    let oldest = now;
    for (let s = now - this.windowSec; s < now; s++) {
      const v = this.slots.get(s);
      if (v === undefined) continue;
      sum += v;
      oldest = Math.min(oldest, s);
    }
    const seconds = now - oldest;
    return seconds > 0 ? sum / seconds : 0;
  }

  private second(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}

/** Bitrate over the last minutes, as the dashboard's chart draws it. */
export interface BitrateHistory {
  /** Seconds covered by each sample. */
  readonly intervalSec: number;
  /** Oldest first; one value per complete interval since the first byte (at most `samples`). */
  readonly kbps: number[];
}

/** Bytes summed per fixed interval of the clock, kept for the last `samples` intervals. */
export class RateHistory {
  private readonly slots: SlotSums;
  /** The interval of the first byte: only partly measured, so never reported. */
  private first = -1;

  constructor(
    private readonly nowMs: () => number,
    private readonly intervalSec = 5,
    samples = 60,
  ) {
    // One slot more than reported: the interval in progress.
    this.slots = new SlotSums(samples + 1);
  }

  add(bytes: number): void {
    const at = this.interval();
    if (this.first < 0) this.first = at;
    this.slots.add(at, bytes);
  }

  /** Complete intervals from the oldest one kept to the last one; intervals without bytes are 0. */
  describe(): BitrateHistory {
    const now = this.interval();
    let oldest = now - (this.slots.size - 1);
    while (oldest < now && (oldest === this.first || this.slots.get(oldest) === undefined)) oldest++;
    const kbps: number[] = [];
    for (let at = oldest; at < now; at++) kbps.push(Math.round(((this.slots.get(at) ?? 0) * 8) / 1000 / this.intervalSec));
    return { intervalSec: this.intervalSec, kbps };
  }

  private interval(): number {
    return Math.floor(this.nowMs() / (this.intervalSec * 1000));
  }
}
