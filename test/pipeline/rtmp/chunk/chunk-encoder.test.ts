// ChunkEncoder header choice and bytes, checked against hand-built chunks (RTMP 1.0 §5.3.1).
import { describe, expect, it } from 'vitest';
import { LimitError, ProtocolError } from '../../../../pipeline/core/errors.js';
import { ChunkEncoder, type OutgoingMessage } from '../../../../pipeline/rtmp/chunk/chunk-encoder.js';
import { bytes, chunk, messageChunks, type Bytes } from '../../../helpers/chunk-builder.js';

const flat = (parts: Uint8Array[]): number[] => parts.flatMap((p) => Array.from(p));
const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const m = (csid: number, typeId: number, streamId: number, timestamp: number, payload: number[]): OutgoingMessage => ({
  chunkStreamId: csid,
  typeId,
  streamId,
  timestamp,
  payload: Uint8Array.from(payload),
});

describe('ChunkEncoder header choice', () => {
  const P3 = [1, 2, 3];
  const cases: { name: string; messages: OutgoingMessage[]; expected: Bytes[] }[] = [
    { name: 'type 0 first on a chunk stream', messages: [m(4, 8, 1, 100, P3)], expected: [chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 8, streamId: 1, payload: P3 })] },
    {
      name: 'type 2 when only the delta changes, type 3 when it repeats',
      messages: [m(4, 8, 1, 100, P3), m(4, 8, 1, 120, P3), m(4, 8, 1, 140, P3), m(4, 8, 1, 161, P3)],
      expected: [
        chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 8, streamId: 1, payload: P3 }),
        chunk({ fmt: 2, csid: 4, timestamp: 20, payload: P3 }),
        chunk({ fmt: 3, csid: 4, payload: P3 }),
        chunk({ fmt: 2, csid: 4, timestamp: 21, payload: P3 }),
      ],
    },
    {
      name: 'never type 3 right after type 0, even when the delta equals the absolute time',
      messages: [m(4, 8, 1, 100, P3), m(4, 8, 1, 200, P3)],
      expected: [chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 8, streamId: 1, payload: P3 }), chunk({ fmt: 2, csid: 4, timestamp: 100, payload: P3 })],
    },
    {
      name: 'type 1 when length or type changes; type 3 may then repeat its delta',
      messages: [m(4, 8, 1, 0, P3), m(4, 8, 1, 10, [1]), m(4, 9, 1, 20, [1]), m(4, 9, 1, 30, [1])],
      expected: [
        chunk({ fmt: 0, csid: 4, timestamp: 0, typeId: 8, streamId: 1, payload: P3 }),
        chunk({ fmt: 1, csid: 4, timestamp: 10, typeId: 8, payload: [1] }),
        chunk({ fmt: 1, csid: 4, timestamp: 10, typeId: 9, payload: [1] }),
        chunk({ fmt: 3, csid: 4, payload: [1] }),
      ],
    },
    {
      name: 'type 0 when the timestamp goes backwards or the stream id changes',
      messages: [m(4, 8, 1, 100, P3), m(4, 8, 1, 50, P3), m(4, 8, 2, 60, P3)],
      expected: [
        chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 8, streamId: 1, payload: P3 }),
        chunk({ fmt: 0, csid: 4, timestamp: 50, typeId: 8, streamId: 1, payload: P3 }),
        chunk({ fmt: 0, csid: 4, timestamp: 60, typeId: 8, streamId: 2, payload: P3 }),
      ],
    },
    {
      name: 'chunk streams are compressed independently',
      messages: [m(4, 8, 1, 0, P3), m(6, 9, 1, 0, P3), m(4, 8, 1, 20, P3)],
      expected: [
        chunk({ fmt: 0, csid: 4, timestamp: 0, typeId: 8, streamId: 1, payload: P3 }),
        chunk({ fmt: 0, csid: 6, timestamp: 0, typeId: 9, streamId: 1, payload: P3 }),
        chunk({ fmt: 2, csid: 4, timestamp: 20, payload: P3 }),
      ],
    },
    ...[64, 319, 320, 65599].map((csid) => ({
      name: `basic header for csid ${csid}, with continuation chunks`,
      messages: [m(csid, 9, 1, 5, range(200))],
      expected: [messageChunks({ csid, typeId: 9, streamId: 1, timestamp: 5, payload: range(200) }, 128)],
    })),
    {
      name: 'extended timestamp on type 0 and on every continuation chunk',
      messages: [m(6, 9, 1, 0x1234567, range(300))],
      expected: [messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0x1234567, payload: range(300) }, 128)],
    },
    {
      name: 'extended delta on type 2 and on the type 3 that repeats it',
      messages: [m(6, 9, 1, 0, P3), m(6, 9, 1, 0x1000000, P3), m(6, 9, 1, 0x2000000, P3)],
      expected: [
        chunk({ fmt: 0, csid: 6, timestamp: 0, typeId: 9, streamId: 1, payload: P3 }),
        chunk({ fmt: 2, csid: 6, timestamp: 0x1000000, payload: P3 }),
        chunk({ fmt: 3, csid: 6, extended: 0x1000000, payload: P3 }),
      ],
    },
    {
      name: 'timestamps at and past 2^32 written modulo 2^32',
      messages: [m(6, 9, 1, 0xffffffff, P3), m(6, 9, 1, 0x100000010, P3)],
      expected: [chunk({ fmt: 0, csid: 6, timestamp: 0xffffffff, typeId: 9, streamId: 1, payload: P3 }), chunk({ fmt: 2, csid: 6, timestamp: 0x11, payload: P3 })],
    },
    {
      name: 'a zero-length message is one header',
      messages: [m(5, 18, 1, 0, [])],
      expected: [chunk({ fmt: 0, csid: 5, timestamp: 0, typeId: 18, streamId: 1 })],
    },
  ];
  it.each(cases)('$name', ({ messages, expected }) => {
    const enc = new ChunkEncoder();
    expect(messages.map((msg) => flat(enc.encode(msg)))).toEqual(expected);
  });
});

describe('ChunkEncoder chunking', () => {
  it('slices the payload without copying', () => {
    const payload = Uint8Array.from(range(300));
    const parts = new ChunkEncoder().encode({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 0, payload });
    const slices = parts.filter((p) => p.buffer === payload.buffer);
    expect(slices.map((s) => s.length)).toEqual([128, 128, 44]);
  });

  it('uses the chunk size set, from the next message on', () => {
    const enc = new ChunkEncoder({ chunkSize: 100 });
    expect(enc.chunkSize).toBe(100);
    const first = flat(enc.encode(m(6, 9, 1, 0, range(250))));
    enc.setChunkSize(4096);
    const second = flat(enc.encode(m(6, 9, 1, 0, range(250))));
    expect(first).toEqual(messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload: range(250) }, 100));
    expect(second).toEqual(chunk({ fmt: 2, csid: 6, timestamp: 0, payload: range(250) }));
  });

  it('sends a payload of exactly the chunk size as one chunk', () => {
    expect(new ChunkEncoder().encode(m(6, 9, 1, 0, range(128)))).toHaveLength(2);
  });

  it.each([
    ['csid 1', m(1, 9, 0, 0, []), ProtocolError],
    ['csid 65600', m(65600, 9, 0, 0, []), ProtocolError],
    ['type id 256', m(3, 256, 0, 0, []), ProtocolError],
    ['negative timestamp', m(3, 9, 0, -1, []), ProtocolError],
    ['fractional timestamp', m(3, 9, 0, 1.5, []), ProtocolError],
    ['stream id above 2^32', m(3, 9, 0x100000000, 0, []), ProtocolError],
  ])('rejects %s', (_name, msg, error) => {
    expect(() => new ChunkEncoder().encode(msg)).toThrow(error);
  });

  it('rejects a payload that does not fit 24 bits', () => {
    const msg = { chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 0, payload: new Uint8Array(0x1000000) };
    expect(() => new ChunkEncoder().encode(msg)).toThrow(LimitError);
  });

  it.each([0, -1, 0x80000000, 1.5])('rejects chunk size %d', (n) => {
    expect(() => new ChunkEncoder().setChunkSize(n)).toThrow(ProtocolError);
    expect(() => new ChunkEncoder({ chunkSize: n })).toThrow(ProtocolError);
  });

  it('helper bytes() round-trips what chunk() builds', () => {
    expect(Array.from(bytes(chunk({ fmt: 3, csid: 3 })))).toEqual([0xc3]);
  });
});
