// The PCR schedule: DTS − 100 ms floored at 0, PCR-only fills to keep PCRs ≤ 100 ms apart
// (ISO/IEC 13818-1 §2.7.2), clamping small back-steps, discontinuities on time-base jumps.
import { describe, expect, it } from 'vitest';
import { PCR_DELAY, PcrClock, pcrForDts } from '../../../pipeline/mpegts/pcr-clock.js';

describe('pcrForDts', () => {
  it('leads the DTS by 100 ms, floors at 0 for non-negative DTS, and keeps negative DTS consistent', () => {
    expect(PCR_DELAY).toBe(9000);
    expect(pcrForDts(900_000)).toBe(891_000);
    expect(pcrForDts(9000)).toBe(0);
    expect(pcrForDts(3000)).toBe(0);
    expect(pcrForDts(-6000)).toBe(-15_000);
    expect(pcrForDts(2 ** 40)).toBe(2 ** 40 - 9000);
  });
});

describe('PcrClock', () => {
  it('gives each PCR-PID sample its PCR and fills longer gaps with PCR-only packets', () => {
    const clock = new PcrClock();
    expect(clock.plan(900_000, true)).toEqual({ fills: [], pcr: 891_000, discontinuity: false });
    expect(clock.plan(909_000, true)).toEqual({ fills: [], pcr: 900_000, discontinuity: false }); // exactly 100 ms
    expect(clock.plan(927_000, true)).toEqual({ fills: [909_000], pcr: 918_000, discontinuity: false }); // 5 fps
    expect(clock.plan(927_000 + 45_000, true)).toEqual({ fills: [927_000, 936_000, 945_000, 954_000], pcr: 963_000, discontinuity: false });
  });

  it('lets samples on other PIDs add PCR-only packets when the PCR PID is quiet', () => {
    const clock = new PcrClock();
    expect(clock.plan(100_000, false)).toEqual({ fills: [], discontinuity: false }); // no PCR yet
    clock.plan(100_000, true);
    expect(clock.plan(105_000, false).fills).toEqual([]);
    expect(clock.plan(130_000, false).fills).toEqual([100_000, 109_000, 118_000]); // target 121_000
    // The next video frame is behind the audio-driven fills: its PCR repeats, never goes back.
    expect(clock.plan(115_000, true)).toEqual({ fills: [], pcr: 118_000, discontinuity: false });
  });

  it('marks a discontinuity for a jump forward beyond 10 s or back beyond 1 s', () => {
    const clock = new PcrClock();
    clock.plan(100_000, true);
    expect(clock.plan(100_000 + 11 * 90_000, false)).toEqual({ fills: [], discontinuity: false });
    expect(clock.plan(100_000 + 11 * 90_000, true)).toEqual({ fills: [], pcr: 1_081_000, discontinuity: true });
    expect(clock.plan(500_000, true)).toEqual({ fills: [], pcr: 491_000, discontinuity: true });
    expect(clock.plan(503_000, true)).toEqual({ fills: [], pcr: 494_000, discontinuity: false });
  });
});
