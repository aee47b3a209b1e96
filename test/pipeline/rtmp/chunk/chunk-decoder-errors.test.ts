// ChunkDecoder rejects protocol violations and enforces its limits (RTMP 1.0 §5.3.1, §5.4.1).
import { describe, expect, it } from 'vitest';
import { LimitError, ProtocolError } from '../../../../pipeline/core/errors.js';
import { ChunkDecoder, type ChunkDecoderOptions } from '../../../../pipeline/rtmp/chunk/chunk-decoder.js';
import { bytes, chunk, setChunkSizeChunk, type Bytes } from '../../../helpers/chunk-builder.js';

type ErrorClass = typeof ProtocolError | typeof LimitError;

describe('ChunkDecoder errors', () => {
  const cases: { name: string; input: Bytes[]; error: ErrorClass; context?: Record<string, number>; opts?: ChunkDecoderOptions }[] = [
    { name: 'type 3 on a chunk stream never seen', input: [chunk({ fmt: 3, csid: 5, payload: [1] })], error: ProtocolError, context: { csid: 5, fmt: 3 } },
    { name: 'type 2 on a chunk stream never seen', input: [chunk({ fmt: 2, csid: 5, timestamp: 1 })], error: ProtocolError, context: { csid: 5 } },
    {
      name: 'type 0 while a message is incomplete',
      input: [chunk({ fmt: 0, csid: 6, length: 200, typeId: 9, payload: new Array(128).fill(0) }), chunk({ fmt: 0, csid: 6, typeId: 9, payload: [1] })],
      error: ProtocolError,
      context: { csid: 6, received: 128, length: 200 },
    },
    {
      name: 'type 1 while a message is incomplete',
      input: [chunk({ fmt: 0, csid: 6, length: 200, typeId: 9, payload: new Array(128).fill(0) }), chunk({ fmt: 1, csid: 6, typeId: 9, payload: [1] })],
      error: ProtocolError,
    },
    { name: 'Set Chunk Size 0', input: [setChunkSizeChunk(0)], error: ProtocolError },
    { name: 'Set Chunk Size with the top bit set', input: [setChunkSizeChunk(0x80000080)], error: ProtocolError },
    { name: 'Set Chunk Size above the limit', input: [setChunkSizeChunk(0x1000000)], error: LimitError, context: { chunkSize: 0x1000000 } },
    { name: 'Set Chunk Size above a configured limit', input: [setChunkSizeChunk(4097)], error: LimitError, opts: { maxChunkSize: 4096 } },
    { name: 'a short Set Chunk Size body', input: [chunk({ fmt: 0, csid: 2, typeId: 1, payload: [0, 1] })], error: ProtocolError },
    {
      name: 'a message longer than the limit, before its payload arrives',
      input: [chunk({ fmt: 0, csid: 6, length: 0x900000, typeId: 9 })],
      error: LimitError,
      context: { csid: 6, typeId: 9, length: 0x900000 },
    },
    { name: 'a message longer than a configured limit', input: [chunk({ fmt: 0, csid: 6, length: 1001, typeId: 9 })], error: LimitError, opts: { maxMessageSize: 1000 } },
    {
      name: 'too many chunk streams with partial messages',
      input: [2, 3, 4].map((csid) => chunk({ fmt: 0, csid, length: 200, typeId: 9, payload: new Array(128).fill(0) })),
      error: LimitError,
      opts: { maxChunkStreams: 2 },
      context: { csid: 4, limit: 2 },
    },
  ];

  it.each(cases)('$name', ({ input, error, context, opts }) => {
    const d = new ChunkDecoder(opts);
    let caught: unknown;
    try {
      d.push(bytes(...input));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(error);
    if (context) expect((caught as ProtocolError).context).toMatchObject(context);
  });

  it('accepts exactly the limits', () => {
    const d = new ChunkDecoder({ maxMessageSize: 1000, maxChunkSize: 4096, maxChunkStreams: 2 });
    const out = d.push(
      bytes(
        setChunkSizeChunk(4096),
        chunk({ fmt: 0, csid: 6, length: 1000, typeId: 9, payload: new Array(1000).fill(7) }),
        chunk({ fmt: 0, csid: 2, typeId: 1, payload: [0, 0, 0, 128] }),
        chunk({ fmt: 0, csid: 3, length: 200, typeId: 9, payload: new Array(128).fill(0) }),
        chunk({ fmt: 0, csid: 4, length: 200, typeId: 9, payload: new Array(128).fill(0) }),
      ),
    );
    expect(out.map((m) => m.payload.length)).toEqual([4, 1000, 4]);
  });

  it('a completed message frees its chunk stream slot', () => {
    const d = new ChunkDecoder({ maxChunkStreams: 1 });
    const partial = (csid: number): Bytes => chunk({ fmt: 0, csid, length: 130, typeId: 9, payload: new Array(128).fill(0) });
    expect(d.push(bytes(partial(3), chunk({ fmt: 3, csid: 3, payload: [1, 2] }), partial(4)))).toHaveLength(1);
  });
});
