// Equal-size byte slabs taken and given back, so output produced at media rate reuses memory
// instead of allocating it. Every new ArrayBuffer counts towards V8's external memory, and tens
// of MB a second of it (segments of many streams) is enough to start a full garbage collection
// every second or so, whether or not the buffers are still alive; recycled slabs count once.

export class SlabPool {
  private readonly free: Uint8Array[] = [];
  /** The fewest slabs free at any moment since the last trim: that many were not needed. */
  private lowWater = 0;
  private takesSinceTrim = 0;

  /**
   * @param slabBytes size of every slab
   * @param maxFreeSlabs slabs kept for reuse at most; more given back are left to the garbage
   *   collector (memory kept idle after a peak is bounded by slabBytes × maxFreeSlabs)
   * @param trimAfterTakes every this many takes, the slabs that stayed free all along are let go
   *   (a burst leaves many slabs behind; they should not stay for the life of the process)
   */
  constructor(
    readonly slabBytes: number,
    private readonly maxFreeSlabs: number,
    private readonly trimAfterTakes = 256,
  ) {
    if (!Number.isInteger(slabBytes) || slabBytes < 1) throw new RangeError(`slab size must be a positive integer, got ${slabBytes}`);
  }

  /** Slabs waiting for reuse. */
  get freeSlabs(): number {
    return this.free.length;
  }

  /** A zeroed slab of slabBytes: a recycled one when there is one. */
  take(): Uint8Array {
    const slab = this.free.pop();
    if (this.free.length < this.lowWater) this.lowWater = this.free.length;
    if (++this.takesSinceTrim >= this.trimAfterTakes) this.trim();
    if (slab === undefined) return new Uint8Array(this.slabBytes);
    return slab.fill(0);
  }

  /** Gives a slab back. The caller must hold no view of it any more: its bytes will be reused. */
  give(slab: Uint8Array): void {
    if (slab.length !== this.slabBytes || slab.byteOffset !== 0 || slab.byteLength !== slab.buffer.byteLength) {
      throw new RangeError('only whole slabs of this pool can be given back');
    }
    if (this.free.length < this.maxFreeSlabs) this.free.push(slab);
  }

  /** Lets go of the slabs that were free the whole time since the last trim. */
  private trim(): void {
    this.free.splice(0, this.lowWater);
    this.lowWater = this.free.length;
    this.takesSinceTrim = 0;
  }
}
