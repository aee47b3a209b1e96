// MSB-first bit reader with Exp-Golomb codes (ITU-T H.264 §9.1), for codec headers.
import { TruncatedError } from './errors.js';

export class BitReader {
  private bitPos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what = 'bitstream',
  ) {}

  get bitsLeft(): number {
    return this.bytes.length * 8 - this.bitPos;
  }

  bit(): number {
    if (this.bitPos >= this.bytes.length * 8) {
      throw new TruncatedError(`${this.what}: read past end at bit ${this.bitPos}`, { bit: this.bitPos });
    }
    const v = (this.bytes[this.bitPos >> 3] >> (7 - (this.bitPos & 7))) & 1;
    this.bitPos++;
    return v;
  }

  /** n ≤ 32 bits as an unsigned number. */
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }

  bool(): boolean {
    return this.bit() === 1;
  }

  skipBits(n: number): void {
    if (this.bitPos + n > this.bytes.length * 8) {
      throw new TruncatedError(`${this.what}: skip past end at bit ${this.bitPos}`, { bit: this.bitPos });
    }
    this.bitPos += n;
  }

  /** ue(v): unsigned Exp-Golomb. */
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      zeros++;
      if (zeros > 31) throw new TruncatedError(`${this.what}: Exp-Golomb code longer than 32 bits`, { bit: this.bitPos });
    }
    return 2 ** zeros - 1 + this.bits(zeros);
  }

  /** se(v): signed Exp-Golomb. */
  se(): number {
    const k = this.ue();
    return k & 1 ? (k + 1) / 2 : k === 0 ? 0 : -(k / 2);
  }
}
