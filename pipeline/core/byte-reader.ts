// Big-endian (network order) reader over a byte view; reads slice, never copy.
import { TruncatedError } from './errors.js';

export class ByteReader {
  /** Made on the first multi-byte read: most media tags are read with u8/u24 and slices alone. */
  private dataView: DataView | undefined;
  private pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    /** What is being read, for error messages ("AMF0 string", "FLV tag"). */
    private readonly what = 'data',
  ) {}

  private get view(): DataView {
    this.dataView ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.dataView;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new TruncatedError(`${this.what}: needs ${n} more bytes at offset ${this.pos}, has ${this.remaining}`, {
        offset: this.pos,
        needed: n,
      });
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.need(1)];
  }

  peekU8(): number {
    if (this.pos >= this.bytes.length) this.need(1);
    return this.bytes[this.pos];
  }

  u16(): number {
    return this.view.getUint16(this.need(2));
  }

  u24(): number {
    const at = this.need(3);
    return (this.bytes[at] << 16) | (this.bytes[at + 1] << 8) | this.bytes[at + 2];
  }

  /** A 24-bit two's-complement value (FLV composition time, E-RTMP v2 §CompositionTime). */
  i24(): number {
    const v = this.u24();
    return v & 0x800000 ? v - 0x1000000 : v;
  }

  u32(): number {
    return this.view.getUint32(this.need(4));
  }

  i32(): number {
    return this.view.getInt32(this.need(4));
  }

  u32le(): number {
    return this.view.getUint32(this.need(4), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.need(8));
  }

  f64(): number {
    return this.view.getFloat64(this.need(8));
  }

  /** The next n bytes as a view into the same buffer (no copy). */
  bytesView(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  /** Everything not read yet, as a view. */
  rest(): Uint8Array {
    return this.bytesView(this.remaining);
  }

  /** A four-character code (FourCC), e.g. "avc1". */
  fourCc(): string {
    const at = this.need(4);
    return String.fromCharCode(this.bytes[at], this.bytes[at + 1], this.bytes[at + 2], this.bytes[at + 3]);
  }

  skip(n: number): void {
    this.need(n);
  }
}
