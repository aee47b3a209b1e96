// ByteSlabs: writes land in order, finish() returns exactly the bytes taken since the last call
// (one view per slab spanned), later takes never touch views already returned, and a take larger
// than a slab gets a slab of its own size. With a pool, released runs' slabs are reused, never
// while a run on them is still held.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSlabs, type SlabRun } from '../../../pipeline/core/byte-slabs.js';
import { SlabPool } from '../../../pipeline/core/slab-pool.js';
import { concat } from '../../helpers/bytes.js';

describe('ByteSlabs', () => {
  it('returns the bytes of each run in order, one view per slab spanned', () => {
    const slabs = new ByteSlabs(8);
    slabs.take(3).set([1, 2, 3]);
    slabs.take(4).set([4, 5, 6, 7]);
    slabs.take(2).set([8, 9]); // does not fit the first slab's last byte: a new slab
    expect(slabs.byteLength).toBe(9);
    const first = slabs.finish().views;
    expect(first.map((v) => v.length)).toEqual([7, 2]);
    slabs.take(5).set([10, 11, 12, 13, 14]); // continues after the run, in the same slab
    const second = slabs.finish().views;
    expect([...concat(first)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...concat(second)]).toEqual([10, 11, 12, 13, 14]);
    expect(slabs.finish().views, 'nothing taken since').toEqual([]);
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
          const finished = slabs.finish();
          expect(finished.byteLength).toBe(bytes.length);
          got.push(finished.views);
        }
        expect(got.map((views) => [...concat(views)])).toEqual(expected);
      }),
    );
  });
});

describe('ByteSlabs with a SlabPool', () => {
  /** A pool that fails the test if a slab is given back while already free. */
  function checkedPool(slabBytes: number): SlabPool {
    const pool = new SlabPool(slabBytes, 1000);
    const free = new Set<Uint8Array>();
    const take = pool.take.bind(pool);
    const give = pool.give.bind(pool);
    pool.take = () => {
      const slab = take();
      free.delete(slab);
      return slab;
    };
    pool.give = (slab) => {
      expect(free.has(slab), 'a slab given back twice').toBe(false);
      free.add(slab);
      give(slab);
    };
    return pool;
  }

  it('reuses the slabs of released runs, and only once every run on a slab is released', () => {
    const pool = checkedPool(8);
    const slabs = new ByteSlabs(8, pool);
    slabs.take(6).fill(1);
    const a = slabs.finish(); // slab 1, bytes 0–5
    slabs.take(2).fill(2);
    slabs.take(4).fill(3); // slab 1 is full: slab 2
    const b = slabs.finish(); // slab 1 bytes 6–7 and slab 2 bytes 0–3
    a.release();
    expect(pool.freeSlabs, 'slab 1 still holds run b').toBe(0);
    slabs.take(8).fill(4); // slab 3: the writer leaves slab 2, which run b still holds
    b.release();
    b.release(); // again: nothing more
    expect(pool.freeSlabs, 'slabs 1 and 2 are free').toBe(2);
    const reused = slabs.take(8);
    expect([...reused].every((x) => x === 0), 'a reused slab is zeroed').toBe(true);
    expect(pool.freeSlabs).toBe(1);
  });

  it('never changes the bytes of a run before it is released, whatever the order of releases (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.array(fc.oneof(fc.record({ take: fc.integer({ min: 0, max: 40 }) }), fc.record({ finish: fc.constant(true) }), fc.record({ release: fc.nat() })), { maxLength: 60 }),
        (slabBytes, ops) => {
          const pool = checkedPool(slabBytes);
          const slabs = new ByteSlabs(slabBytes, pool);
          let next = 1;
          let pending: number[] = [];
          const open: { run: SlabRun; bytes: number[] }[] = [];
          const intact = (r: { run: SlabRun; bytes: number[] }): void => expect([...concat(r.run.views)]).toEqual(r.bytes);
          for (const op of ops) {
            if ('take' in op) {
              const view = slabs.take(op.take);
              expect(view.every((x) => x === 0), 'fresh bytes are zero').toBe(true);
              for (let i = 0; i < view.length; i++) pending.push((view[i] = next++ % 250 + 1));
            } else if ('finish' in op) {
              open.push({ run: slabs.finish(), bytes: pending });
              pending = [];
            } else if (open.length > 0) {
              const [r] = open.splice(op.release % open.length, 1);
              intact(r);
              r.run.release();
            }
            open.forEach(intact);
          }
        },
      ),
    );
  });
});

describe('SlabPool', () => {
  it('hands out zeroed slabs, keeps at most its limit for reuse, and takes back only its own slabs', () => {
    const pool = new SlabPool(4, 1);
    const a = pool.take();
    const b = pool.take();
    a.fill(9);
    pool.give(a);
    pool.give(b); // over the limit: left to the garbage collector
    expect(pool.freeSlabs).toBe(1);
    const c = pool.take();
    expect(c).toBe(a);
    expect([...c]).toEqual([0, 0, 0, 0]);
    expect(() => pool.give(new Uint8Array(5))).toThrow(/whole slabs/);
    expect(() => pool.give(new Uint8Array(8).subarray(0, 4))).toThrow(/whole slabs/);
    expect(() => new SlabPool(0, 1)).toThrow(RangeError);
  });

  it('lets go of the slabs a burst left behind once steady use shows they are not needed', () => {
    const pool = new SlabPool(4, 100, 10);
    const burst = Array.from({ length: 50 }, () => pool.take());
    for (const slab of burst) pool.give(slab);
    expect(pool.freeSlabs).toBe(50);
    // Steady use: two slabs in use at a time, for three trim periods.
    let held = [pool.take(), pool.take()];
    for (let i = 0; i < 30; i++) {
      pool.give(held.shift() as Uint8Array);
      held.push(pool.take());
    }
    expect(pool.freeSlabs, 'only what steady use needs is kept').toBeLessThanOrEqual(2);
    for (const slab of held) pool.give(slab);
    expect(pool.take(), 'and those are still reused').toBe(held[1]);
  });
});
