// ChunkDecoder against hand-built chunk bytes (RTMP 1.0 §5.3.1, §5.3.2, §5.4.1, §5.4.2).
import { describe, expect, it } from 'vitest';
import { ChunkDecoder } from '../../../../pipeline/rtmp/chunk/chunk-decoder.js';
import type { RawMessage } from '../../../../pipeline/rtmp/messages/message-types.js';
import { abortChunk, bytes, chunk, messageChunks, setChunkSizeChunk, u32, type Bytes } from '../../../helpers/chunk-builder.js';

interface Plain {
  csid: number;
  typeId: number;
  streamId: number;
  timestamp: number;
  payload: number[];
}

const plain = (m: RawMessage): Plain => ({
  csid: m.chunkStreamId,
  typeId: m.typeId,
  streamId: m.streamId,
  timestamp: m.timestamp,
  payload: Array.from(m.payload),
});

function decode(...parts: Bytes[]): Plain[] {
  return new ChunkDecoder().push(bytes(...parts)).map(plain);
}

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const P3 = [1, 2, 3];

describe('ChunkDecoder: headers', () => {
  const msg = (csid: number, typeId: number, streamId: number, timestamp: number, payload: number[]): Plain => ({ csid, typeId, streamId, timestamp, payload });
  const cases: { name: string; input: Bytes[]; expected: Plain[] }[] = [
    {
      name: 'type 0 with a 1-byte basic header',
      input: [chunk({ fmt: 0, csid: 3, timestamp: 1000, typeId: 20, streamId: 0, payload: P3 })],
      expected: [msg(3, 20, 0, 1000, P3)],
    },
    {
      name: 'type 0 with a 2-byte basic header (csid 64)',
      input: [chunk({ fmt: 0, csid: 64, timestamp: 5, typeId: 9, streamId: 1, payload: P3 })],
      expected: [msg(64, 9, 1, 5, P3)],
    },
    {
      name: 'type 0 with a 2-byte basic header (csid 319)',
      input: [chunk({ fmt: 0, csid: 319, timestamp: 5, typeId: 9, streamId: 1, payload: P3 })],
      expected: [msg(319, 9, 1, 5, P3)],
    },
    {
      name: 'type 0 with a 3-byte basic header (csid 65599)',
      input: [chunk({ fmt: 0, csid: 65599, timestamp: 5, typeId: 8, streamId: 0x01020304, payload: P3 })],
      expected: [msg(65599, 8, 0x01020304, 5, P3)],
    },
    {
      name: 'type 1: delta, new length and type, same stream id',
      input: [
        chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 9, streamId: 7, payload: P3 }),
        chunk({ fmt: 1, csid: 4, timestamp: 40, typeId: 8, payload: [9, 9] }),
      ],
      expected: [msg(4, 9, 7, 100, P3), msg(4, 8, 7, 140, [9, 9])],
    },
    {
      name: 'type 2: delta only',
      input: [
        chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 9, streamId: 7, payload: P3 }),
        chunk({ fmt: 2, csid: 4, timestamp: 33, payload: [4, 5, 6] }),
      ],
      expected: [msg(4, 9, 7, 100, P3), msg(4, 9, 7, 133, [4, 5, 6])],
    },
    {
      name: 'type 3 starting a message repeats the type 2 delta',
      input: [
        chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 9, streamId: 7, payload: P3 }),
        chunk({ fmt: 2, csid: 4, timestamp: 33, payload: [4, 5, 6] }),
        chunk({ fmt: 3, csid: 4, payload: [7, 8, 9] }),
        chunk({ fmt: 3, csid: 4, payload: [1, 1, 1] }),
      ],
      expected: [msg(4, 9, 7, 100, P3), msg(4, 9, 7, 133, [4, 5, 6]), msg(4, 9, 7, 166, [7, 8, 9]), msg(4, 9, 7, 199, [1, 1, 1])],
    },
    {
      name: 'type 3 starting a message repeats the type 1 delta',
      input: [
        chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 9, streamId: 7, payload: P3 }),
        chunk({ fmt: 1, csid: 4, timestamp: 20, typeId: 8, payload: [5] }),
        chunk({ fmt: 3, csid: 4, payload: [6] }),
      ],
      expected: [msg(4, 9, 7, 100, P3), msg(4, 8, 7, 120, [5]), msg(4, 8, 7, 140, [6])],
    },
    {
      // Ambiguous in the spec; ffmpeg and SRS add the stored type 0 field (the absolute time).
      name: 'type 3 starting a message after type 0 adds the absolute field again',
      input: [chunk({ fmt: 0, csid: 4, timestamp: 100, typeId: 9, streamId: 7, payload: P3 }), chunk({ fmt: 3, csid: 4, payload: [4, 5, 6] })],
      expected: [msg(4, 9, 7, 100, P3), msg(4, 9, 7, 200, [4, 5, 6])],
    },
    {
      name: 'type 1 on a fresh chunk stream (librtmp ping, as SRS tolerates): stream 0, delta from 0',
      input: [chunk({ fmt: 1, csid: 2, timestamp: 0, typeId: 4, payload: [0, 6, 0, 0, 0x0d, 0x0f] })],
      expected: [msg(2, 4, 0, 0, [0, 6, 0, 0, 0x0d, 0x0f])],
    },
    {
      name: 'a message across type 3 continuation chunks at the default 128-byte chunk size',
      input: [messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 40, payload: range(300) }, 128)],
      expected: [msg(6, 9, 1, 40, range(300))],
    },
    {
      name: 'zero-length messages, from type 0 and from type 3',
      input: [chunk({ fmt: 0, csid: 5, timestamp: 10, typeId: 18, streamId: 1, payload: [] }), chunk({ fmt: 2, csid: 5, timestamp: 5 }), chunk({ fmt: 3, csid: 5 })],
      expected: [msg(5, 18, 1, 10, []), msg(5, 18, 1, 15, []), msg(5, 18, 1, 20, [])],
    },
    {
      name: 'interleaved chunk streams',
      input: [
        chunk({ fmt: 0, csid: 6, timestamp: 0, length: 200, typeId: 9, streamId: 1, payload: range(128) }),
        chunk({ fmt: 0, csid: 4, timestamp: 0, length: 130, typeId: 8, streamId: 1, payload: range(128, 50) }),
        chunk({ fmt: 3, csid: 6, payload: range(72, 128) }),
        chunk({ fmt: 0, csid: 3, timestamp: 0, typeId: 20, streamId: 0, payload: P3 }),
        chunk({ fmt: 3, csid: 4, payload: range(2, 178) }),
      ],
      expected: [msg(6, 9, 1, 0, range(200)), msg(3, 20, 0, 0, P3), msg(4, 8, 1, 0, range(130, 50))],
    },
    {
      name: 'deltas add modulo 2^32 and unwrap past it',
      input: [
        chunk({ fmt: 0, csid: 4, timestamp: 0xfffffff0, typeId: 8, streamId: 1, payload: P3 }),
        chunk({ fmt: 2, csid: 4, timestamp: 0x20 }).concat(P3),
      ],
      expected: [msg(4, 8, 1, 0xfffffff0, P3), msg(4, 8, 1, 0x100000010, P3)],
    },
  ];
  it.each(cases)('$name', ({ input, expected }) => {
    expect(decode(...input)).toEqual(expected);
  });
});

describe('ChunkDecoder: extended timestamps (§5.3.1.3)', () => {
  const EXT = 0x01234567;
  const cases: { name: string; input: Bytes[]; timestamps: number[]; payloads: number[][] }[] = [
    {
      name: 'on a type 0 chunk',
      input: [chunk({ fmt: 0, csid: 4, timestamp: EXT, typeId: 8, streamId: 1, payload: P3 })],
      timestamps: [EXT],
      payloads: [P3],
    },
    {
      name: 'at exactly 0xFFFFFF',
      input: [chunk({ fmt: 0, csid: 4, timestamp: 0xffffff, typeId: 8, streamId: 1, payload: P3 })],
      timestamps: [0xffffff],
      payloads: [P3],
    },
    {
      name: 'repeated on type 3 continuation chunks',
      input: [messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: EXT, payload: range(300) }, 128)],
      timestamps: [EXT],
      payloads: [range(300)],
    },
    {
      name: 'omitted on continuation chunks by the peer (tolerated like SRS)',
      input: [messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: EXT, payload: range(300) }, 128, { omitExtendedOnContinuation: true })],
      timestamps: [EXT],
      payloads: [range(300)],
    },
    {
      name: 'on a type 1 delta, and its type 3 continuation carries the delta',
      input: [
        chunk({ fmt: 0, csid: 6, timestamp: 10, typeId: 9, streamId: 1, payload: P3 }),
        chunk({ fmt: 1, csid: 6, timestamp: 0x1000000, length: 130, typeId: 9, payload: range(128) }),
        chunk({ fmt: 3, csid: 6, extended: 0x1000000, payload: range(2, 128) }),
      ],
      timestamps: [10, 0x100000a],
      payloads: [P3, range(130)],
    },
    {
      name: 'on a type 3 chunk that starts a message after a type 2 extended delta',
      input: [
        chunk({ fmt: 0, csid: 6, timestamp: 10, typeId: 9, streamId: 1, payload: P3 }),
        chunk({ fmt: 2, csid: 6, timestamp: 0x1000000, payload: P3 }),
        chunk({ fmt: 3, csid: 6, extended: 0x1000000, payload: P3 }),
      ],
      timestamps: [10, 0x100000a, 0x200000a],
      payloads: [P3, P3, P3],
    },
    {
      name: 'stops after a header below 0xFFFFFF',
      input: [
        chunk({ fmt: 0, csid: 6, timestamp: EXT, typeId: 9, streamId: 1, payload: P3 }),
        chunk({ fmt: 1, csid: 6, timestamp: 33, length: 130, typeId: 9, payload: range(128) }),
        chunk({ fmt: 3, csid: 6, payload: range(2, 128) }),
      ],
      timestamps: [EXT, EXT + 33],
      payloads: [P3, range(130)],
    },
    {
      name: 'as the absolute time (not the field) on continuation chunks, as some writers do',
      input: [
        chunk({ fmt: 0, csid: 6, timestamp: EXT, typeId: 9, streamId: 1, payload: P3 }),
        chunk({ fmt: 1, csid: 6, timestamp: 0xffffff, length: 130, typeId: 9, payload: range(128) }),
        chunk({ fmt: 3, csid: 6, extended: EXT + 0xffffff, payload: range(2, 128) }),
      ],
      timestamps: [EXT, EXT + 0xffffff],
      payloads: [P3, range(130)],
    },
  ];
  it.each(cases)('$name', ({ input, timestamps, payloads }) => {
    const out = decode(...input);
    expect(out.map((m) => m.timestamp)).toEqual(timestamps);
    expect(out.map((m) => m.payload)).toEqual(payloads);
  });

  it('waits for the 4 bytes before deciding whether a continuation carries them', () => {
    const all = bytes(messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: EXT, payload: range(130) }, 128));
    const d = new ChunkDecoder();
    const cut = 1 + 11 + 4 + 128 + 1 + 2; // in the middle of the continuation's extended bytes
    expect(d.push(all.slice(0, cut))).toEqual([]);
    expect(d.push(all.slice(cut)).map(plain)).toEqual([{ csid: 6, typeId: 9, streamId: 1, timestamp: EXT, payload: range(130) }]);
  });
});

describe('ChunkDecoder: Set Chunk Size and Abort', () => {
  it('applies a new chunk size to the very next chunk and still returns the message', () => {
    const out = decode(setChunkSizeChunk(200), messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload: range(450) }, 200));
    expect(out.map((m) => m.typeId)).toEqual([1, 9]);
    expect(out[0].payload).toEqual(u32(200));
    expect(out[1].payload).toEqual(range(450));
  });

  it('changes chunk size while another chunk stream has a partial message', () => {
    const out = decode(
      chunk({ fmt: 0, csid: 6, timestamp: 0, length: 300, typeId: 9, streamId: 1, payload: range(128) }),
      setChunkSizeChunk(100),
      chunk({ fmt: 3, csid: 6, payload: range(100, 128) }),
      chunk({ fmt: 3, csid: 6, payload: range(72, 228) }),
    );
    expect(out.map((m) => m.typeId)).toEqual([1, 9]);
    expect(out[1].payload).toEqual(range(300));
  });

  it('reports the chunk size', () => {
    const d = new ChunkDecoder();
    expect(d.chunkSize).toBe(128);
    d.push(bytes(setChunkSizeChunk(4096)));
    expect(d.chunkSize).toBe(4096);
  });

  it('Abort discards the partial message on that chunk stream only', () => {
    const out = decode(
      chunk({ fmt: 0, csid: 6, timestamp: 0, length: 300, typeId: 9, streamId: 1, payload: range(128) }),
      chunk({ fmt: 0, csid: 4, timestamp: 0, length: 130, typeId: 8, streamId: 1, payload: range(128) }),
      abortChunk(6),
      chunk({ fmt: 3, csid: 4, payload: range(2, 128) }),
      chunk({ fmt: 1, csid: 6, timestamp: 40, typeId: 9, payload: P3 }),
    );
    expect(out.map((m) => [m.csid, m.typeId, m.timestamp, m.payload.length])).toEqual([
      [2, 2, 0, 4],
      [4, 8, 0, 130],
      [6, 9, 40, 3],
    ]);
  });

  it('Abort of a chunk stream with nothing in flight is harmless', () => {
    expect(decode(abortChunk(9), chunk({ fmt: 0, csid: 9, timestamp: 1, typeId: 8, payload: P3 })).length).toBe(2);
  });
});

describe('ChunkDecoder: bytes and views', () => {
  it('counts consumed bytes, not bytes of incomplete chunks', () => {
    const d = new ChunkDecoder();
    const one = chunk({ fmt: 0, csid: 3, timestamp: 0, typeId: 20, payload: P3 });
    d.push(bytes(one, [0x03, 0, 0]));
    expect(d.bytesReceived).toBe(one.length);
  });

  it('returns a view into the pushed buffer when a message lies within it', () => {
    const input = bytes(chunk({ fmt: 0, csid: 3, timestamp: 0, typeId: 20, payload: range(50) }));
    const [m] = new ChunkDecoder().push(input);
    expect(m.payload.buffer).toBe(input.buffer);
  });

  it('assembles a message split across pushes', () => {
    const input = bytes(messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload: range(1000) }, 128));
    const d = new ChunkDecoder();
    const out: RawMessage[] = [];
    for (let i = 0; i < input.length; i += 7) out.push(...d.push(input.slice(i, i + 7)));
    expect(out.map(plain)).toEqual([{ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload: range(1000) }]);
  });
});
