// PES headers (ISO/IEC 13818-1 §2.4.3.6/§2.4.3.7): flags, lengths, PTS/DTS bits and the 33-bit wrap.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodePesHeader, PES_MAX_PACKET_LENGTH } from '../../../pipeline/mpegts/pes-packet.js';

const base = { streamId: 0xc0, payloadLength: 100, unbounded: false };

/** Reads a 5-byte PTS/DTS field: prefix and 33-bit value, checking the marker bits. */
function readTime(b: Uint8Array, at: number): { prefix: number; value: number } {
  expect([b[at] & 1, b[at + 2] & 1, b[at + 4] & 1]).toEqual([1, 1, 1]);
  const value = ((b[at] >> 1) & 7) * 2 ** 30 + ((b[at + 1] << 7) | (b[at + 2] >> 1)) * 2 ** 15 + ((b[at + 3] << 7) | (b[at + 4] >> 1));
  return { prefix: b[at] >> 4, value };
}

describe('encodePesHeader', () => {
  it('writes PTS only when DTS equals it: flags 0x80, header data length 5', () => {
    const h = encodePesHeader({ ...base, pts: 90_000, dts: 90_000 });
    expect([...h]).toEqual([0, 0, 1, 0xc0, 0x00, 108, 0x84, 0x80, 5, 0x21, 0x00, 0x05, 0xbf, 0x21]);
  });

  it('writes PTS and DTS when they differ: flags 0xC0, prefixes 0011 and 0001', () => {
    const h = encodePesHeader({ ...base, streamId: 0xe0, unbounded: true, pts: 12_000, dts: 6_000 });
    expect(h.length).toBe(19);
    expect([h[3], h[4], h[5], h[7], h[8]]).toEqual([0xe0, 0, 0, 0xc0, 10]);
    expect(readTime(h, 9)).toEqual({ prefix: 0b0011, value: 12_000 });
    expect(readTime(h, 14)).toEqual({ prefix: 0b0001, value: 6_000 });
  });

  it('writes PES_packet_length = 3 + header data + payload, and 0 past 65535 or when unbounded', () => {
    const len = (h: Uint8Array) => (h[4] << 8) | h[5];
    expect(len(encodePesHeader({ ...base, payloadLength: PES_MAX_PACKET_LENGTH - 8, pts: 0, dts: 0 }))).toBe(PES_MAX_PACKET_LENGTH);
    expect(len(encodePesHeader({ ...base, payloadLength: PES_MAX_PACKET_LENGTH - 7, pts: 0, dts: 0 }))).toBe(0);
    expect(len(encodePesHeader({ ...base, payloadLength: 10, unbounded: true, pts: 0, dts: 0 }))).toBe(0);
    expect(len(encodePesHeader({ ...base, payloadLength: 10, pts: 1, dts: 0 }))).toBe(23);
  });

  it('writes the low 33 bits of unbounded times (2^33 + t reads as t, negatives wrap)', () => {
    const at = (t: number) => readTime(encodePesHeader({ ...base, pts: t, dts: t }), 9).value;
    expect(at(2 ** 33 + 90_000)).toBe(90_000);
    expect(at(2 ** 34 + 2 ** 33 - 1)).toBe(2 ** 33 - 1);
    expect(at(-3000)).toBe(2 ** 33 - 3000);
  });

  it('round-trips any 33-bit PTS/DTS pair through the marker-bit layout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 33 - 1 }), fc.integer({ min: 0, max: 2 ** 33 - 1 }), (pts, dts) => {
        const h = encodePesHeader({ ...base, pts, dts });
        expect(readTime(h, 9).value).toBe(pts);
        if (pts !== dts) expect(readTime(h, 14).value).toBe(dts);
        else expect(h.length).toBe(14);
      }),
    );
  });
});
