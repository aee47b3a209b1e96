// Unwrapping 32-bit RTMP timestamps past 2^32.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addTimestampDelta, TimestampUnwrapper } from '../../../../pipeline/rtmp/chunk/timestamp-unwrapper.js';

const WRAP = 0x100000000;

function unwrapAll(wire: number[]): number[] {
  const u = new TimestampUnwrapper();
  return wire.map((w) => u.unwrap(w));
}

describe('TimestampUnwrapper', () => {
  const cases: { name: string; wire: number[]; expected: number[] }[] = [
    { name: 'passes small values through', wire: [0, 33, 66], expected: [0, 33, 66] },
    { name: 'starts anywhere', wire: [0xfffffff0, 0xfffffff8], expected: [0xfffffff0, 0xfffffff8] },
    { name: 'crosses 2^32', wire: [0xffffffe0, 0xfffffff0, 0x10, 0x30], expected: [0xffffffe0, 0xfffffff0, WRAP + 0x10, WRAP + 0x30] },
    {
      name: 'crosses twice in large steps',
      wire: [0xf0000000, 0x50000000, 0xb0000000, 0x10000000],
      expected: [0xf0000000, WRAP + 0x50000000, WRAP + 0xb0000000, 2 * WRAP + 0x10000000],
    },
    { name: 'treats a backwards step of exactly 2^31 as backwards', wire: [0xf0000000, 0x70000000], expected: [0xf0000000, 0x70000000] },
    { name: 'keeps a late value from before the wrap', wire: [0xfffffff0, 0x10, 0xfffffff8], expected: [0xfffffff0, WRAP + 0x10, 0xfffffff8] },
    { name: 'passes a small backwards step (encoder restart)', wire: [100000, 5], expected: [100000, 5] },
    { name: 'does not go below zero before any wrap', wire: [5, 0xfffffff0], expected: [5, 0xfffffff0] },
  ];
  it.each(cases)('$name', ({ wire, expected }) => {
    expect(unwrapAll(wire)).toEqual(expected);
  });

  it('recovers any monotonic sequence whose steps stay below 2^31', () => {
    fc.assert(
      fc.property(fc.nat(WRAP - 1), fc.array(fc.nat(0x7fffffff), { maxLength: 40 }), (start, steps) => {
        const unwrapped = [start];
        for (const s of steps) unwrapped.push(unwrapped[unwrapped.length - 1] + s);
        expect(unwrapAll(unwrapped.map((t) => t % WRAP))).toEqual(unwrapped);
      }),
    );
  });

  it('adds deltas modulo 2^32', () => {
    expect(addTimestampDelta(0xffffffff, 1)).toBe(0);
    expect(addTimestampDelta(0xfffffff0, 0xffffffff)).toBe(0xffffffef);
    expect(addTimestampDelta(1000, 33)).toBe(1033);
  });
});
