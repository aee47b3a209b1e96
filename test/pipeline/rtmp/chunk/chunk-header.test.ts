// Chunk basic header forms (RTMP 1.0 §5.3.1.1).
import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../../../pipeline/core/byte-queue.js';
import { basicHeaderSize, peekBasicHeader, writeBasicHeader, type ChunkType } from '../../../../pipeline/rtmp/chunk/chunk-header.js';
import { basicHeader } from '../../../helpers/chunk-builder.js';

function peek(bytes: number[]) {
  const q = new ByteQueue();
  q.push(Uint8Array.from(bytes));
  return peekBasicHeader(q);
}

describe('basic header', () => {
  const cases: { name: string; bytes: number[]; fmt: number; csid: number; size: number }[] = [
    { name: 'lowest 1-byte id', bytes: [0x02], fmt: 0, csid: 2, size: 1 },
    { name: 'highest 1-byte id, type 3', bytes: [0xff], fmt: 3, csid: 63, size: 1 },
    { name: 'lowest 2-byte id', bytes: [0x40, 0x00], fmt: 1, csid: 64, size: 2 },
    { name: 'highest 2-byte id', bytes: [0x80, 0xff], fmt: 2, csid: 319, size: 2 },
    { name: 'lowest 3-byte id that needs it', bytes: [0x01, 0x00, 0x01], fmt: 0, csid: 320, size: 3 },
    { name: '3-byte id, low byte first', bytes: [0xc1, 0x34, 0x12], fmt: 3, csid: 64 + 0x34 + 0x12 * 256, size: 3 },
    { name: 'highest 3-byte id', bytes: [0x01, 0xff, 0xff], fmt: 0, csid: 65599, size: 3 },
    { name: 'non-minimal 3-byte form of 64', bytes: [0x01, 0x00, 0x00], fmt: 0, csid: 64, size: 3 },
  ];
  it.each(cases)('reads $name', ({ bytes, fmt, csid, size }) => {
    expect(peek(bytes)).toEqual({ fmt, chunkStreamId: csid, size });
  });

  it.each([[[]], [[0x00]], [[0x01]], [[0x01, 0x05]]])('waits for more bytes: %j', (bytes) => {
    expect(peek(bytes)).toBeUndefined();
  });

  it('writes the shortest form, matching the hand-built bytes, for every id and type', () => {
    const buf = new Uint8Array(3);
    for (let csid = 2; csid <= 65599; csid++) {
      const fmt = (csid % 4) as ChunkType;
      const end = writeBasicHeader(buf, 0, fmt, csid);
      expect(end).toBe(basicHeaderSize(csid));
      const expected = basicHeader(fmt, csid);
      if (end !== expected.length || expected.some((b, i) => buf[i] !== b)) {
        expect(Array.from(buf.subarray(0, end))).toEqual(expected);
      }
      const back = peek(Array.from(buf.subarray(0, end)));
      if (back?.chunkStreamId !== csid || back.fmt !== fmt) expect(back).toEqual({ fmt, chunkStreamId: csid, size: end });
    }
  });
});
