// The ISOBMFF box reader: compact, largesize, size-0 and 'uuid' headers, children and FullBox
// fields, the typed errors for malformed and cut-off boxes, the tolerant tail, and random bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPipelineError, LimitError, ProtocolError, TruncatedError } from '../../../pipeline/core/errors.js';
import { BoxWriter } from '../../../pipeline/fmp4/box-writer.js';
import {
  boxBytes,
  boxPayload,
  childBoxes,
  findChild,
  readBoxes,
  readBoxHeader,
  readFullBoxHeader,
  requireChild,
} from '../../../pipeline/fmp4/box-reader.js';

function bytesOf(build: (w: BoxWriter) => void): Uint8Array {
  const w = new BoxWriter();
  build(w);
  return w.finish();
}

/** A box with a 64-bit largesize header (size field 1). */
function largeBox(type: string, payload: Uint8Array): Uint8Array {
  return bytesOf((w) => w.u32(1).fourCc(type).u64Number(16 + payload.length).bytes(payload));
}

describe('readBoxHeader / readBoxes', () => {
  it('reads compact boxes laid end to end, with payload ranges', () => {
    const bytes = bytesOf((w) => {
      w.box('free', () => w.bytes(Uint8Array.of(1, 2, 3)));
      w.box('skip', () => undefined);
    });
    const { boxes, tail } = readBoxes(bytes);
    expect(tail).toBeUndefined();
    expect(boxes).toEqual([
      { type: 'free', start: 0, end: 11, headerBytes: 8, payloadStart: 8, toEnd: false },
      { type: 'skip', start: 11, end: 19, headerBytes: 8, payloadStart: 19, toEnd: false },
    ]);
    expect([...boxPayload(bytes, boxes[0])]).toEqual([1, 2, 3]);
    expect(boxBytes(bytes, boxes[1]).length).toBe(8);
  });

  it('reads a 64-bit largesize, size 0 (to the end) and a uuid user type', () => {
    const uuid = bytesOf((w) => w.box('uuid', () => w.zeros(16).u8(9)));
    const bytes = new Uint8Array([...largeBox('mdat', Uint8Array.of(7, 7)), ...uuid, ...bytesOf((w) => w.u32(0).fourCc('mdat').u8(5).u8(6))]);
    const { boxes } = readBoxes(bytes);
    expect(boxes.map((b) => [b.type, b.start, b.end, b.headerBytes, b.toEnd])).toEqual([
      ['mdat', 0, 18, 16, false],
      ['uuid', 18, 43, 24, false],
      ['mdat', 43, 53, 8, true],
    ]);
    expect([...boxPayload(bytes, boxes[1])]).toEqual([9]);
    expect([...boxPayload(bytes, boxes[2])]).toEqual([5, 6]);
  });

  it('reads within a range: size 0 runs to the end of the range', () => {
    const bytes = bytesOf((w) => w.u32(0).fourCc('free').zeros(4).u32(8).fourCc('skip'));
    expect(readBoxes(bytes, { start: 0, end: 12 }).boxes).toEqual([{ type: 'free', start: 0, end: 12, headerBytes: 8, payloadStart: 8, toEnd: true }]);
    expect(readBoxes(bytes, { start: 12 }).boxes.map((b) => b.type)).toEqual(['skip']);
  });

  it('throws typed errors: size below the header, cut-off box, largesize beyond 2^53', () => {
    expect(() => readBoxHeader(bytesOf((w) => w.u32(7).fourCc('free')), 0)).toThrow(ProtocolError);
    expect(() => readBoxHeader(bytesOf((w) => w.u32(1).fourCc('free').u32(0).u32(15)), 0)).toThrow(ProtocolError);
    expect(() => readBoxHeader(bytesOf((w) => w.u32(20).fourCc('free')), 0)).toThrow(TruncatedError);
    expect(() => readBoxHeader(Uint8Array.of(0, 0, 0), 0)).toThrow(TruncatedError);
    expect(() => readBoxHeader(bytesOf((w) => w.u32(1).fourCc('mdat').u32(0x0020_0000).u32(0)), 0)).toThrow(LimitError);
    expect(() => readBoxHeader(bytesOf((w) => w.u32(24).fourCc('uuid').zeros(8)), 0)).toThrow(TruncatedError);
  });

  it('reports an incomplete or malformed tail instead of throwing when asked', () => {
    const whole = bytesOf((w) => w.box('free', () => w.zeros(4)));
    const cut = new Uint8Array([...whole, ...bytesOf((w) => w.u32(100).fourCc('mdat').zeros(10))]);
    expect(() => readBoxes(cut)).toThrow(TruncatedError);
    const scan = readBoxes(cut, {}, { allowIncompleteTail: true });
    expect(scan.boxes.map((b) => b.type)).toEqual(['free']);
    expect(scan.tail).toMatchObject({ offset: 12, reason: 'truncated' });
    const garbage = new Uint8Array([...whole, 0, 0, 0, 3, 1, 2, 3, 4]);
    expect(readBoxes(garbage, {}, { allowIncompleteTail: true }).tail).toMatchObject({ offset: 12, reason: 'malformed' });
  });
});

describe('children and FullBox fields', () => {
  const bytes = bytesOf((w) =>
    w.box('moov', () => {
      w.fullBox('mvhd', 1, 0x000203, () => w.zeros(4));
      w.box('trak', () => w.box('tkhd', () => undefined));
      // stsd-like: FullBox header + entry_count before the children.
      w.fullBox('stsd', 0, 0, () => w.u32(1).box('avc1', () => w.zeros(2)));
    }),
  );
  const moov = readBoxes(bytes).boxes[0];
  const kids = childBoxes(bytes, moov);

  it('lists children, finds and requires them', () => {
    expect(kids.map((b) => b.type)).toEqual(['mvhd', 'trak', 'stsd']);
    expect(findChild(kids, 'trak')?.start).toBe(24);
    expect(findChild(kids, 'edts')).toBeUndefined();
    expect(() => requireChild(kids, 'edts', 'moov')).toThrow(ProtocolError);
    expect(childBoxes(bytes, requireChild(kids, 'stsd', 'moov'), 8).map((b) => b.type)).toEqual(['avc1']);
  });

  it('reads version and 24-bit flags', () => {
    expect(readFullBoxHeader(bytes, kids[0])).toEqual({ version: 1, flags: 0x000203 });
    const empty = readBoxes(bytesOf((w) => w.box('mvhd', () => undefined))).boxes[0];
    expect(() => readFullBoxHeader(bytesOf((w) => w.box('mvhd', () => undefined)), empty)).toThrow(ProtocolError);
  });

  it('throws when a child runs past its parent', () => {
    const bad = bytesOf((w) => w.box('moov', () => w.u32(40).fourCc('trak')));
    expect(() => childBoxes(bad, readBoxes(bad).boxes[0])).toThrow(TruncatedError);
    expect(() => childBoxes(bad, readBoxes(bad).boxes[0], 20)).toThrow(ProtocolError);
  });
});

describe('random bytes', () => {
  it('raise only pipeline errors; the tolerant scan never throws and tiles its prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          readBoxes(bytes);
        } catch (err) {
          expect(isPipelineError(err)).toBe(true);
        }
        const { boxes, tail } = readBoxes(bytes, {}, { allowIncompleteTail: true });
        let at = 0;
        for (const b of boxes) {
          expect(b.start).toBe(at);
          expect(b.end).toBeGreaterThanOrEqual(b.payloadStart);
          at = b.end;
        }
        expect(tail?.offset ?? bytes.length).toBe(at);
      }),
      { numRuns: 2000 },
    );
  });
});
