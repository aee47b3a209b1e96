// @frameRate and @maxFrameRate as FrameRateType "N" or "N/D" (ISO/IEC 23009-1 §5.3.7.2, §5.3.3.2).
import { ProtocolError } from '../../core/errors.js';

/** NTSC-family rates are N × 1000/1001 (29.97, 23.976, 59.94, 119.88). */
export const NTSC_DENOMINATOR = 1001;
/** A rate this close (fps) to an integer is that integer; encoders report 30 as 29.99999…. */
const INTEGER_TOLERANCE = 1e-4;
/** A rate this close (fps) to N × 1000/1001 is that fraction: "29.97" means 30000/1001. */
const NTSC_TOLERANCE = 5e-3;
/** Other rates are approximated by a fraction with a denominator up to this (12.5 → 25/2). */
const MAX_DENOMINATOR = 1001;
/** Relative error at which a continued-fraction convergent is accepted. */
const FRACTION_TOLERANCE = 1e-6;

/** A frame rate as a reduced fraction (den = 1 for integer rates). */
export interface FrameRateFraction {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The best fraction with a small denominator, by continued-fraction convergents. */
function approximate(rate: number): FrameRateFraction {
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let x = rate;
  for (;;) {
    const a = Math.floor(x);
    const [h2, k2] = [a * h1 + h0, a * k1 + k0];
    if (k2 > MAX_DENOMINATOR) break;
    [h0, h1, k0, k1] = [h1, h2, k1, k2];
    const frac = x - a;
    if (Math.abs(h1 / k1 - rate) <= rate * FRACTION_TOLERANCE || frac < Number.EPSILON) break;
    x = 1 / frac;
  }
  return { num: h1, den: k1 };
}

/** Integer rates stay integers, N × 1000/1001 rates become (N·1000)/1001, others a small fraction. */
export function frameRateFraction(rate: number): FrameRateFraction {
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new ProtocolError(`frame rate must be a positive number, got ${rate}`);
  }
  const nearest = Math.round(rate);
  if (nearest >= 1 && Math.abs(rate - nearest) <= INTEGER_TOLERANCE) return { num: nearest, den: 1 };
  const ntsc = Math.round((rate * NTSC_DENOMINATOR) / 1000);
  if (ntsc >= 1 && Math.abs(rate - (ntsc * 1000) / NTSC_DENOMINATOR) <= NTSC_TOLERANCE) {
    return { num: ntsc * 1000, den: NTSC_DENOMINATOR };
  }
  const { num, den } = approximate(rate);
  if (num < 1) throw new ProtocolError(`frame rate ${rate} is too small to write`);
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

/** FrameRateType text: "30", "30000/1001", "25/2". */
export function formatFrameRate(rate: number): string {
  const { num, den } = frameRateFraction(rate);
  return den === 1 ? String(num) : `${num}/${den}`;
}
