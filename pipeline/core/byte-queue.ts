// A FIFO of received byte views, for parsers fed by a stream that may split input anywhere.
// take() returns a view when the bytes lie within one received view and copies only across
// view boundaries.

export class ByteQueue {
  private views: Uint8Array[] = [];
  private head = 0; // index into views[0] of the first unread byte
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.views.push(bytes);
    this.total += bytes.length;
  }

  /** The byte at offset i from the read position (i < length). */
  byteAt(i: number): number {
    let off = this.head + i;
    for (const v of this.views) {
      if (off < v.length) return v[off];
      off -= v.length;
    }
    throw new RangeError(`ByteQueue.byteAt(${i}) past length ${this.total}`);
  }

  /** Big-endian unsigned integer of `size` (1..4) bytes at offset i, without consuming. */
  uintAt(i: number, size: number): number {
    let v = 0;
    for (let k = 0; k < size; k++) v = v * 256 + this.byteAt(i + k);
    return v;
  }

  /** Little-endian u32 at offset i, without consuming. */
  u32leAt(i: number): number {
    return (this.byteAt(i) | (this.byteAt(i + 1) << 8) | (this.byteAt(i + 2) << 16)) + this.byteAt(i + 3) * 0x1000000;
  }

  /** Removes and returns the next n bytes (n ≤ length). */
  take(n: number): Uint8Array {
    if (n > this.total) throw new RangeError(`ByteQueue.take(${n}) past length ${this.total}`);
    if (n === 0) return new Uint8Array(0);
    const first = this.views[0];
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = new Uint8Array(n);
    this.takeInto(out, 0, n);
    return out;
  }

  /** Removes the next n bytes, copying them into dest at destOffset with bulk copies. */
  takeInto(dest: Uint8Array, destOffset: number, n: number): void {
    if (n > this.total) throw new RangeError(`ByteQueue.takeInto(${n}) past length ${this.total}`);
    let written = 0;
    while (written < n) {
      const v = this.views[0];
      const count = Math.min(v.length - this.head, n - written);
      dest.set(v.subarray(this.head, this.head + count), destOffset + written);
      written += count;
      this.advance(count);
    }
  }

  skip(n: number): void {
    if (n > this.total) throw new RangeError(`ByteQueue.skip(${n}) past length ${this.total}`);
    let left = n;
    while (left > 0) {
      const count = Math.min(this.views[0].length - this.head, left);
      this.advance(count);
      left -= count;
    }
  }

  /** Removes and returns everything queued, as views. */
  drain(): Uint8Array[] {
    const out = this.views.map((v, i) => (i === 0 ? v.subarray(this.head) : v));
    this.views = [];
    this.head = 0;
    this.total = 0;
    return out.filter((v) => v.length > 0);
  }

  private advance(n: number): void {
    this.head += n;
    this.total -= n;
    let drop = 0;
    while (drop < this.views.length && this.head >= this.views[drop].length) {
      this.head -= this.views[drop].length;
      drop++;
    }
    // One splice per call, not one shift per consumed view.
    if (drop > 0) this.views.splice(0, drop);
  }
}
