// Times on the 90 kHz MPEG system clock: exact conversion from a track's timescale, and the
// 33-bit wrap applied only when a PTS, DTS or PCR is written (ISO/IEC 13818-1 §2.4.3.7, §2.4.3.5).
import { ProtocolError } from '../core/errors.js';
import { MPEG_CLOCK_HZ, TIMESTAMP_MODULUS } from './ts-constants.js';

/** Timescales are 32-bit in every container Onramp reads (MP4 mdhd, FLV via ms); bounding them
 *  keeps every intermediate product below 2^53, so the integer math below is exact. */
const MAX_TIMESCALE = 2 ** 32;

/**
 * `ticks / timescale` seconds as the nearest 90 kHz tick (ties towards +∞), in exact integer math.
 * Each timestamp is converted from its own exact tick count, so the error is at most half a
 * 90 kHz tick (5.6 µs) and never accumulates: 1024 samples at 44.1 kHz are 2089.795… ticks, and
 * adding a rounded frame duration instead would drift by 0.2 ticks per frame.
 */
export function toMpegClock(ticks: number, timescale: number): number {
  if (!Number.isSafeInteger(ticks)) throw new ProtocolError('timestamp is not an integer tick count', { ticks });
  if (!Number.isInteger(timescale) || timescale < 1 || timescale > MAX_TIMESCALE) {
    throw new ProtocolError('timescale must be an integer from 1 to 2^32', { timescale });
  }
  if (timescale === MPEG_CLOCK_HZ) return ticks;
  // Split into whole seconds and a remainder 0 ≤ rem < timescale; correct the float quotient.
  let seconds = Math.floor(ticks / timescale);
  let rem = ticks - seconds * timescale;
  if (rem < 0) {
    seconds -= 1;
    rem += timescale;
  } else if (rem >= timescale) {
    seconds += 1;
    rem -= timescale;
  }
  // round(rem × 90000 / timescale) = floor((2·rem·90000 + timescale) / (2·timescale)); the
  // quotient is at most 90000 and the divisor at most 2^33, so the float floor is exact.
  const fraction = Math.floor((2 * rem * MPEG_CLOCK_HZ + timescale) / (2 * timescale));
  const result = seconds * MPEG_CLOCK_HZ + fraction;
  if (!Number.isSafeInteger(result)) throw new ProtocolError('timestamp is beyond the 90 kHz range', { ticks, timescale });
  return result;
}

/** The low 33 bits of an unbounded 90 kHz time (negative times wrap too), as written in PTS/DTS/PCR base. */
export function wrap33(time90k: number): number {
  const r = time90k % TIMESTAMP_MODULUS;
  if (r < 0) return r + TIMESTAMP_MODULUS;
  return r === 0 ? 0 : r; // never -0
}
