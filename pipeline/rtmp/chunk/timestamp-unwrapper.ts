// Unwraps RTMP's 32-bit millisecond timestamps (RTMP 1.0 §5.3.1.3, "serial number arithmetic").

/** 2^32: RTMP timestamps are carried modulo this. */
export const TIMESTAMP_MODULUS = 0x100000000;
/** 2^31: a step larger than this, in either direction, is taken to cross a wrap. */
export const TIMESTAMP_HALF_RANGE = 0x80000000;

/** Adds a delta to a wire timestamp modulo 2^32 (§5.3.1.2.2: deltas are unsigned). */
export function addTimestampDelta(wireMs: number, deltaMs: number): number {
  return (wireMs + deltaMs) % TIMESTAMP_MODULUS;
}

/**
 * Maps wire timestamps (ms mod 2^32) to unwrapped milliseconds. Each value is placed at the
 * unwrapped position nearest to the previous one: a backwards step of more than 2^31 is a
 * forward wrap, a forward step of more than 2^31 is a late value from before the last wrap.
 * Small backwards steps (an encoder restarting its clock) pass through unchanged.
 */
export class TimestampUnwrapper {
  private last = -1;

  /** The last unwrapped value, or -1 before the first. */
  get lastMs(): number {
    return this.last;
  }

  unwrap(wireMs: number): number {
    if (this.last < 0) {
      this.last = wireMs;
      return wireMs;
    }
    let step = wireMs - (this.last % TIMESTAMP_MODULUS);
    if (step < -TIMESTAMP_HALF_RANGE) step += TIMESTAMP_MODULUS;
    else if (step > TIMESTAMP_HALF_RANGE) step -= TIMESTAMP_MODULUS;
    const next = this.last + step;
    // Before the first wrap there is no earlier epoch to step back into.
    this.last = next < 0 ? wireMs : next;
    return this.last;
  }
}
