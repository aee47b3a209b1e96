// 90 kHz conversion (exact integer rounding, no drift) and the 33-bit wrap on write.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError } from '../../../pipeline/core/errors.js';
import { toMpegClock, wrap33 } from '../../../pipeline/mpegts/mpeg-clock.js';

/** Nearest 90 kHz tick, ties up, computed with BigInt as the reference. */
function reference(ticks: number, timescale: number): number {
  const num = 2n * BigInt(ticks) * 90_000n + BigInt(timescale);
  const den = 2n * BigInt(timescale);
  let q = num / den;
  if (num % den !== 0n && num < 0n) q -= 1n; // floor for negatives
  return Number(q);
}

describe('toMpegClock', () => {
  it.each([
    [0, 90_000, 0],
    [123_456_789, 90_000, 123_456_789],
    [1024, 48_000, 1920],
    [1024, 44_100, 2090], // 2089.795…
    [1, 1000, 90],
    [1024, 22_050, 4180], // 4179.59…
    [-1024, 44_100, -2090], // −2089.795… rounds to −2090
    [441, 44_100, 900],
    [49, 98_000, 45], // exactly 45
    [1, 180_000, 1], // 0.5 rounds up
    [-1, 180_000, 0], // −0.5 rounds up
  ])('%i ticks at %i Hz are %i at 90 kHz', (ticks, timescale, expected) => {
    expect(toMpegClock(ticks, timescale)).toBe(expected);
  });

  it('equals the exact rational rounded to nearest for any ticks and timescale', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 1000, max: 2 ** 32 }), (ticks, timescale) => {
        expect(toMpegClock(ticks, timescale)).toBe(reference(ticks, timescale));
      }),
    );
  });

  it('stays within half a tick of the true time after days of 44.1 kHz AAC frames (no drift)', () => {
    for (const frame of [0, 1, 2, 1000, 3_720_000, 372_000_000]) {
      const ticks = frame * 1024;
      const exact = (ticks * 90_000) / 44_100;
      expect(Math.abs(toMpegClock(ticks, 44_100) - exact)).toBeLessThanOrEqual(0.5);
      expect(toMpegClock(ticks, 44_100)).toBe(reference(ticks, 44_100));
    }
  });

  it('rejects non-integer ticks and impossible timescales with ProtocolError', () => {
    expect(() => toMpegClock(1.5, 90_000)).toThrow(ProtocolError);
    expect(() => toMpegClock(Number.NaN, 44_100)).toThrow(ProtocolError);
    expect(() => toMpegClock(2 ** 60, 44_100)).toThrow(ProtocolError);
    expect(() => toMpegClock(0, 0)).toThrow(ProtocolError);
    expect(() => toMpegClock(0, 44_100.5)).toThrow(ProtocolError);
    expect(() => toMpegClock(0, 2 ** 32 + 1)).toThrow(ProtocolError);
  });
});

describe('wrap33', () => {
  it.each([
    [0, 0],
    [-0, 0],
    [2 ** 33 - 1, 2 ** 33 - 1],
    [2 ** 33, 0],
    [2 ** 33 + 5, 5],
    [3 * 2 ** 33 + 7, 7],
    [-1, 2 ** 33 - 1],
    [-(2 ** 33) - 2, 2 ** 33 - 2],
  ])('%d wraps to %d', (time, wrapped) => {
    expect(Object.is(wrap33(time), wrapped)).toBe(true);
  });
});
