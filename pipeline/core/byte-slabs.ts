// Output that grows in large slabs: many small writes (one per sample: a segment's transport
// packets) become a few views of a few buffers, instead of a buffer each. Fewer allocations, and
// nothing per write that outlives the write: the views a caller keeps are made once, by finish().
// With a SlabPool, a run's slabs go back to the pool once every run on them is released, so a
// stream's segments reuse the same memory instead of allocating new memory all the time.
import type { SlabPool } from './slab-pool.js';

/** The bytes taken between two finish() calls. */
export interface SlabRun {
  /** In order, one view per slab spanned. */
  readonly views: Uint8Array[];
  readonly byteLength: number;
  /**
   * Gives the slabs under these views back to the pool once no other run holds them. Call it
   * once the views are no longer read by anyone, never before; calling it again does nothing.
   * Not calling it is safe: the memory is then left to the garbage collector.
   */
  readonly release: () => void;
}

interface Slab {
  readonly bytes: Uint8Array;
  /** The writer while it takes from the slab or has a run on it not finished yet, plus each
   *  finished run on it not released yet. At 0 the slab goes back to the pool. */
  holds: number;
  readonly pooled: boolean;
}

export class ByteSlabs {
  private slab: Slab | undefined;
  private used = 0;
  /** Where the bytes since the last finish() start in the current slab. */
  private runStart = 0;
  /** The bytes since the last finish() in slabs left behind (each still held by the writer). */
  private runViews: Uint8Array[] = [];
  private runSlabs: Slab[] = [];
  private total = 0;

  constructor(
    private readonly slabBytes: number,
    private readonly pool?: SlabPool,
  ) {
    if (pool !== undefined && pool.slabBytes !== slabBytes) throw new RangeError(`pool slabs are ${pool.slabBytes} bytes, not ${slabBytes}`);
  }

  /** Bytes taken since the last finish(). */
  get byteLength(): number {
    return this.total;
  }

  /** A fresh (zeroed) view of `size` bytes to write into, after the bytes taken before it. */
  take(size: number): Uint8Array {
    let slab = this.slab;
    if (slab === undefined || this.used + size > slab.bytes.length) {
      if (slab !== undefined) {
        if (this.used > this.runStart) {
          this.runViews.push(slab.bytes.subarray(this.runStart, this.used));
          this.runSlabs.push(slab); // the writer's hold passes to the run at finish()
        } else {
          this.drop(slab);
        }
      }
      slab = this.newSlab(size);
      this.slab = slab;
      this.used = 0;
      this.runStart = 0;
    }
    const view = slab.bytes.subarray(this.used, this.used + size);
    this.used += size;
    this.total += size;
    return view;
  }

  /** The bytes taken since the last call. Later takes continue in the same slab, after them:
   *  the views returned stay as they are until the run is released. */
  finish(): SlabRun {
    const views = this.runViews;
    const slabs = this.runSlabs;
    const slab = this.slab;
    if (slab !== undefined && this.used > this.runStart) {
      views.push(slab.bytes.subarray(this.runStart, this.used));
      slabs.push(slab);
      slab.holds++; // the writer keeps its own hold on the slab it is still taking from
    }
    const byteLength = this.total;
    this.runViews = [];
    this.runSlabs = [];
    this.runStart = this.used;
    this.total = 0;
    let released = slabs.length === 0;
    const release = (): void => {
      if (released) return;
      released = true;
      for (const s of slabs) this.drop(s);
    };
    return { views, byteLength, release };
  }

  private newSlab(size: number): Slab {
    if (this.pool !== undefined && size <= this.slabBytes) return { bytes: this.pool.take(), holds: 1, pooled: true };
    return { bytes: new Uint8Array(Math.max(this.slabBytes, size)), holds: 1, pooled: false };
  }

  private drop(slab: Slab): void {
    slab.holds--;
    if (slab.holds === 0 && slab.pooled) this.pool?.give(slab.bytes);
  }
}
