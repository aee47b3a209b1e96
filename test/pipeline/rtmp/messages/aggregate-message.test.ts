// Aggregate message splitting (RTMP 1.0 §7.1.6) on hand-built bodies.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { splitAggregateMessage } from '../../../../pipeline/rtmp/messages/aggregate-message.js';
import type { RawMessage } from '../../../../pipeline/rtmp/messages/message-types.js';
import { u24, u32 } from '../../../helpers/chunk-builder.js';

/** One sub-message: FLV tag header (type, size, timestamp low 24 + high 8, stream id), body, back pointer. */
function tag(typeId: number, timestamp: number, body: number[], backPointer = 11 + body.length): number[] {
  return [typeId, ...u24(body.length), ...u24(timestamp & 0xffffff), timestamp >>> 24, ...u24(0), ...body, ...u32(backPointer)];
}

function aggregate(body: number[], timestamp = 1000): RawMessage {
  return { chunkStreamId: 6, typeId: 22, streamId: 1, timestamp, payload: Uint8Array.from(body) };
}

const plain = (m: RawMessage) => ({ csid: m.chunkStreamId, typeId: m.typeId, streamId: m.streamId, timestamp: m.timestamp, payload: Array.from(m.payload) });

describe('splitAggregateMessage', () => {
  it('splits three tags with timestamps relative to the first', () => {
    const body = [...tag(9, 5000, [0x17, 0, 1]), ...tag(8, 5020, [0xaf, 1]), ...tag(9, 5033, [0x27, 1, 2, 3])];
    expect(splitAggregateMessage(aggregate(body, 1000)).map(plain)).toEqual([
      { csid: 6, typeId: 9, streamId: 1, timestamp: 1000, payload: [0x17, 0, 1] },
      { csid: 6, typeId: 8, streamId: 1, timestamp: 1020, payload: [0xaf, 1] },
      { csid: 6, typeId: 9, streamId: 1, timestamp: 1033, payload: [0x27, 1, 2, 3] },
    ]);
  });

  it('reads the extension byte as the high byte of the timestamp', () => {
    const body = [...tag(9, 0xfffff0, [1]), ...tag(9, 0x1000010, [2])];
    expect(splitAggregateMessage(aggregate(body, 0x100000000)).map((m) => m.timestamp)).toEqual([0x100000000, 0x100000020]);
  });

  it('handles sub-timestamps that wrap 2^32 and ones that step back', () => {
    const body = [...tag(9, 0xfffffff0, [1]), ...tag(9, 0x10, [2]), ...tag(8, 0xffffffe0, [3])];
    expect(splitAggregateMessage(aggregate(body, 500)).map((m) => m.timestamp)).toEqual([500, 532, 484]);
  });

  it('never produces a negative timestamp', () => {
    const body = [...tag(9, 100, [1]), ...tag(8, 50, [2])];
    expect(splitAggregateMessage(aggregate(body, 10)).map((m) => m.timestamp)).toEqual([10, 0]);
  });

  it('accepts empty sub-message bodies and an empty aggregate', () => {
    expect(splitAggregateMessage(aggregate(tag(18, 0, []))).map((m) => m.payload.length)).toEqual([0]);
    expect(splitAggregateMessage(aggregate([]))).toEqual([]);
  });

  it('does not check back pointer values', () => {
    expect(splitAggregateMessage(aggregate(tag(9, 0, [1, 2], 0)))).toHaveLength(1);
  });

  it('returns views into the aggregate payload', () => {
    const agg = aggregate(tag(9, 0, [1, 2, 3]));
    expect(splitAggregateMessage(agg)[0].payload.buffer).toBe(agg.payload.buffer);
  });

  const good = [...tag(9, 0, [1, 2, 3]), ...tag(8, 10, [4])];
  it.each([
    ['a truncated tag header', good.slice(0, good.length - 15 + 5)],
    ['a body that overruns', [...tag(9, 0, [1, 2, 3]).slice(0, 11 + 2)]],
    ['a missing back pointer', good.slice(0, good.length - 1)],
    ['a size field larger than the aggregate', [9, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]],
    ['a nested aggregate', tag(22, 0, tag(9, 0, [1]))],
  ])('rejects %s', (_name, body) => {
    expect(() => splitAggregateMessage(aggregate(body))).toThrow(ProtocolError);
  });

  it('random bodies split or raise ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (body) => {
        try {
          for (const m of splitAggregateMessage(aggregate(Array.from(body)))) expect(m.timestamp).toBeGreaterThanOrEqual(0);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});
