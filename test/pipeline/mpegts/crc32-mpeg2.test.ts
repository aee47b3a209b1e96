// CRC-32/MPEG-2 (ISO/IEC 13818-1 Annex A): the catalogue check value, a real PAT, and agreement
// with an independent bit-by-bit implementation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32Mpeg2 } from '../../../pipeline/mpegts/crc32-mpeg2.js';
import { crc32Bitwise } from '../../helpers/ts-inspect.js';

describe('crc32Mpeg2', () => {
  it('gives the catalogue check value 0x0376E6E7 for "123456789"', () => {
    expect(crc32Mpeg2(new TextEncoder().encode('123456789'))).toBe(0x0376e6e7);
  });

  it('is 0xFFFFFFFF (the initial value, no final XOR) for no bytes', () => {
    expect(crc32Mpeg2(new Uint8Array(0))).toBe(0xffffffff);
  });

  it('matches the CRC_32 nginx-rtmp ships in its fixed PAT (program 1 → PMT PID 0x1001)', () => {
    const pat = Uint8Array.of(0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00, 0x00, 0x01, 0xf0, 0x01);
    expect(crc32Mpeg2(pat)).toBe(0x2e701905);
  });

  it('checks to 0 over a section followed by its CRC (Annex A decoder model)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1021 }), (bytes) => {
        const crc = crc32Mpeg2(bytes);
        const whole = new Uint8Array(bytes.length + 4);
        whole.set(bytes);
        new DataView(whole.buffer).setUint32(bytes.length, crc);
        expect(crc32Mpeg2(whole)).toBe(0);
      }),
    );
  });

  it('agrees with the bit-by-bit reference for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(crc32Mpeg2(bytes)).toBe(crc32Bitwise(bytes));
    }));
  });
});
