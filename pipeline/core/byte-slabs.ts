// Output that grows in large slabs: many small writes (one per sample: a segment's transport
// packets) become a few views of a few buffers, instead of a buffer each. Fewer allocations, and
// nothing per write that outlives the write: the views a caller keeps are made once, by finish().

export class ByteSlabs {
  private slab = new Uint8Array(0);
  private used = 0;
  /** Where the bytes since the last finish() start in the current slab. */
  private runStart = 0;
  /** The bytes since the last finish() in slabs left behind. */
  private runs: Uint8Array[] = [];
  private total = 0;

  constructor(private readonly slabBytes: number) {}

  /** Bytes taken since the last finish(). */
  get byteLength(): number {
    return this.total;
  }

  /** A fresh (zeroed) view of `size` bytes to write into, after the bytes taken before it. */
  take(size: number): Uint8Array {
    if (this.used + size > this.slab.length) {
      if (this.used > this.runStart) this.runs.push(this.slab.subarray(this.runStart, this.used));
      this.slab = new Uint8Array(Math.max(this.slabBytes, size));
      this.used = 0;
      this.runStart = 0;
    }
    const view = this.slab.subarray(this.used, this.used + size);
    this.used += size;
    this.total += size;
    return view;
  }

  /** The bytes taken since the last call, in order, as views (one per slab they span). Later
   *  takes continue in the same slab, after them: the views returned stay as they are. */
  finish(): Uint8Array[] {
    const out = this.runs;
    if (this.used > this.runStart) out.push(this.slab.subarray(this.runStart, this.used));
    this.runs = [];
    this.runStart = this.used;
    this.total = 0;
    return out;
  }
}
