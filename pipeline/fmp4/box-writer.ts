// BoxWriter: the one way pipeline/fmp4 writes ISOBMFF boxes (ISO/IEC 14496-12 §4.2): box() and
// fullBox() reserve the 32-bit size, run the body, then patch the size in.
//
// Why Onramp has its own writer instead of mux.js's mp4-generator: that generator writes trun
// version 0 (unsigned composition offsets; we need signed ones, version 1), splits tfdt's 64-bit
// time by 0xFFFFFFFF instead of 2^32, builds boxes with per-byte JS loops, uses its own track
// model and has no hvcC/av1C/dOps boxes that the Enhanced RTMP work needs. The tests still use
// mux.js, as an independent parser of the boxes written here.
import { ByteWriter } from '../core/byte-writer.js';
import { LimitError, ProtocolError } from '../core/errors.js';

/** size (32 bits) + type (FourCC): the compact box header (§4.2). */
export const BOX_HEADER_BYTES = 8;
/** A FullBox adds version (8 bits) and flags (24 bits) (§4.2). */
export const FULL_BOX_HEADER_BYTES = 12;
/** The largest size a compact box header can carry; larger boxes would need largesize. */
export const MAX_COMPACT_BOX_SIZE = 0xffff_ffff;
const TWO_POW_32 = 2 ** 32;

export class BoxWriter extends ByteWriter {
  /** A box whose body is whatever `body` writes; the size is patched in afterwards. */
  box(type: string, body: () => void): this {
    const start = this.length;
    this.u32(0).fourCc(type);
    body();
    return this.closeBox(type, start);
  }

  /** A FullBox (§4.2): version and 24-bit flags before the body. */
  fullBox(type: string, version: number, flags: number, body: () => void): this {
    const start = this.length;
    this.u32(0).fourCc(type).u8(version).u24(flags);
    body();
    return this.closeBox(type, start);
  }

  /** Only a header, for a box whose payload the caller supplies separately (mdat). */
  boxHeader(type: string, size: number): this {
    if (size > MAX_COMPACT_BOX_SIZE) throw new LimitError(`'${type}' box of ${size} bytes exceeds 32-bit box sizes`, { type, size });
    return this.u32(size).fourCc(type);
  }

  /** An unsigned 64-bit integer from a JS number: exact for every safe integer (< 2^53). */
  u64Number(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new ProtocolError('64-bit field needs a non-negative safe integer', { value: v });
    return this.u32(Math.floor(v / TWO_POW_32)).u32(v % TWO_POW_32);
  }

  /** `n` zero bytes (reserved and pre_defined fields). */
  zeros(n: number): this {
    return this.bytes(new Uint8Array(n));
  }

  private closeBox(type: string, start: number): this {
    const size = this.length - start;
    if (size > MAX_COMPACT_BOX_SIZE) throw new LimitError(`'${type}' box of ${size} bytes exceeds 32-bit box sizes`, { type, size });
    return this.patchU32(start, size);
  }
}
