// AMF3 variable-length unsigned 29-bit integer, U29 (Adobe AMF3 spec §1.3.1).
import type { ByteReader } from '../../core/byte-reader.js';
import type { ByteWriter } from '../../core/byte-writer.js';
import { LimitError } from '../../core/errors.js';
import { U29_MAX } from './amf3-markers.js';

/** Up to three bytes carry 7 bits each with 0x80 meaning "more"; a fourth byte carries 8 bits. */
export function readU29(reader: ByteReader): number {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    const b = reader.u8();
    if ((b & 0x80) === 0) return (value << 7) | b;
    value = (value << 7) | (b & 0x7f);
  }
  return (value << 8) | reader.u8();
}

export function writeU29(writer: ByteWriter, value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > U29_MAX) {
    throw new LimitError(`${what}: ${value} does not fit an AMF3 U29 (0..${U29_MAX})`, { value });
  }
  if (value < 0x80) {
    writer.u8(value);
  } else if (value < 0x4000) {
    writer.u8(0x80 | (value >>> 7)).u8(value & 0x7f);
  } else if (value < 0x200000) {
    writer.u8(0x80 | (value >>> 14)).u8(0x80 | ((value >>> 7) & 0x7f)).u8(value & 0x7f);
  } else {
    writer
      .u8(0x80 | (value >>> 22))
      .u8(0x80 | ((value >>> 15) & 0x7f))
      .u8(0x80 | ((value >>> 8) & 0x7f))
      .u8(value & 0xff);
  }
}
