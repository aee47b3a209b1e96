// The program clock reference schedule (ISO/IEC 13818-1 §2.4.2.2, §2.4.3.5, §2.7.2): which PCR
// each PES on the PCR_PID carries, and the PCR-only packets that keep PCRs ≤ 100 ms apart.
import { MPEG_CLOCK_HZ, PCR_MAX_INTERVAL } from './ts-constants.js';

/**
 * PCR = DTS − 100 ms. A PCR names the time the packet carrying it arrives at the decoder, and an
 * access unit must have arrived completely by its DTS (T-STD, §2.4.2). Every access unit is sent
 * before the next PCR, which is at most 100 ms later (§2.7.2), so a 100 ms lead is the smallest
 * one for which each access unit arrives by its DTS. PCR = DTS (lead 0) makes every frame late in
 * the T-STD model, though HLS players that ignore the PCR accept it. ffmpeg (max_delay 0.7 s) and
 * nginx-rtmp (63000 ticks, which is 700 ms at 90 kHz, not 63 ms) lead by more, but shift every
 * PTS/DTS forward to keep the PCR positive; Onramp writes the caller's timestamps unchanged and
 * instead floors the PCR at 0 while the DTS is non-negative, so a stream starting at 0 never wraps.
 */
export const PCR_DELAY = MPEG_CLOCK_HZ / 10;
/** A forward jump beyond this (longer than any HLS segment) is a new time base, not a gap to fill. */
export const PCR_MAX_FILLED_GAP = 10 * MPEG_CLOCK_HZ;
/** A backward step within this (audio written slightly ahead of video) repeats the last PCR;
 *  a larger one is a new time base (the publisher restarted its clock). */
export const PCR_MAX_BACKSTEP = MPEG_CLOCK_HZ;

export interface PcrPlan {
  /** PCR bases for adaptation-field-only packets on the PCR_PID, sent before the sample. */
  readonly fills: readonly number[];
  /** The PCR base for the sample's first packet (PCR_PID samples only). */
  readonly pcr?: number;
  /** The PCR starts a new system time base: set discontinuity_indicator (§2.4.3.5). */
  readonly discontinuity: boolean;
}

const NOTHING: PcrPlan = { fills: [], discontinuity: false };

/** The PCR base (90 kHz, unbounded) that goes with a decode time. */
export function pcrForDts(dts90k: number): number {
  const pcr = dts90k - PCR_DELAY;
  return dts90k >= 0 && pcr < 0 ? 0 : pcr;
}

export class PcrClock {
  /** The last PCR base written, or undefined before the first (and after a restore). */
  private last: number | undefined;

  /** Plans the PCRs for a sample with decode time `dts90k`, on the PCR_PID or another PID. */
  plan(dts90k: number, onPcrPid: boolean): PcrPlan {
    const target = pcrForDts(dts90k);
    const last = this.last;
    const jumped = last !== undefined && (target - last > PCR_MAX_FILLED_GAP || last - target > PCR_MAX_BACKSTEP);
    if (last === undefined || jumped) {
      if (!onPcrPid) return NOTHING;
      this.last = target;
      return { fills: [], pcr: target, discontinuity: jumped };
    }
    const fills: number[] = [];
    let value = last;
    while (target - value > PCR_MAX_INTERVAL) {
      value += PCR_MAX_INTERVAL;
      fills.push(value);
    }
    if (!onPcrPid) {
      this.last = value;
      return fills.length === 0 ? NOTHING : { fills, discontinuity: false };
    }
    const pcr = Math.max(target, value);
    this.last = pcr;
    return { fills, pcr, discontinuity: false };
  }
}
