// ByteSlabs: writes land in order, finish() returns exactly the bytes taken since the last call
// (one view per slab spanned), later takes never touch views already returned, and a take larger
// than a slab gets a slab of its own size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSlabs } from '../../../pipeline/core/byte-slabs.js';
import { concat } from '../../helpers/bytes.js';

describe('ByteSlabs', () => {
  it('returns the bytes of each run in order, one view per slab spanned', () => {
    const slabs = new ByteSlabs(8);
    slabs.take(3).set([1, 2, 3]);
    slabs.take(4).set([4, 5, 6, 7]);
    slabs.take(2).set([8, 9]); // does not fit the first slab's last byte: a new slab
    expect(slabs.byteLength).toBe(9);
    const first = slabs.finish();
    expect(first.map((v) => v.length)).toEqual([7, 2]);
    slabs.take(5).set([10, 11, 12, 13, 14]); // continues after the run, in the same slab
    const second = slabs.finish();
    expect([...concat(first)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...concat(second)]).toEqual([10, 11, 12, 13, 14]);
    expect(slabs.finish(), 'nothing taken since').toEqual([]);
    expect(slabs.take(20).length, 'larger than a slab').toBe(20);
  });

  it('keeps every run intact whatever the sizes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 8 }), { maxLength: 12 }), (slabBytes, runs) => {
        const slabs = new ByteSlabs(slabBytes);
        let next = 0;
        const expected: number[][] = [];
        const got: Uint8Array[][] = [];
        for (const run of runs) {
          const bytes: number[] = [];
          for (const size of run) {
            const view = slabs.take(size);
            expect([...view].every((b) => b === 0), 'fresh bytes are zero').toBe(true);
            for (let i = 0; i < size; i++) bytes.push((view[i] = next++ % 251));
          }
          expected.push(bytes);
          got.push(slabs.finish());
        }
        expect(got.map((views) => [...concat(views)])).toEqual(expected);
      }),
    );
  });
});
