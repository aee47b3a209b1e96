import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BitReader, ByteQueue, ByteReader, ByteWriter, TruncatedError } from '../../../pipeline/core/index.js';

describe('ByteWriter/ByteReader', () => {
  it('round-trips every field type', () => {
    const w = new ByteWriter(4);
    w.u8(0xab).u16(0xbeef).u24(0x123456).i24(-2).u32(0xdeadbeef).i32(-5).u32le(0x01020304).f64(1.5).fourCc('avc1').bytes(new Uint8Array([9, 8]));
    const r = new ByteReader(w.finish());
    expect([r.u8(), r.u16(), r.u24(), r.i24(), r.u32(), r.i32(), r.u32le(), r.f64(), r.fourCc()]).toEqual([
      0xab, 0xbeef, 0x123456, -2, 0xdeadbeef, -5, 0x01020304, 1.5, 'avc1',
    ]);
    expect(Array.from(r.rest())).toEqual([9, 8]);
    expect(r.atEnd).toBe(true);
  });

  it('reads signed 24-bit composition times at the extremes', () => {
    for (const v of [0, 1, -1, 0x7fffff, -0x800000]) {
      expect(new ByteReader(new ByteWriter().i24(v).finish()).i24()).toBe(v);
    }
  });

  it('throws TruncatedError naming what was read', () => {
    const r = new ByteReader(new Uint8Array([1, 2]), 'AMF0 number');
    expect(() => r.u32()).toThrow(TruncatedError);
    expect(() => r.u32()).toThrow(/AMF0 number/);
  });

  it('bytesView slices without copying', () => {
    const src = new Uint8Array([1, 2, 3, 4]);
    const v = new ByteReader(src).bytesView(2);
    expect(v.buffer).toBe(src.buffer);
  });
});

describe('ByteQueue', () => {
  it('returns the same bytes for any split of the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.array(fc.nat(200)), fc.array(fc.integer({ min: 1, max: 50 })), (data, cuts, takes) => {
        const q = new ByteQueue();
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        let prev = 0;
        for (const p of [...points, data.length]) {
          q.push(data.subarray(prev, p));
          prev = p;
        }
        const out: number[] = [];
        for (const t of takes) {
          if (t > q.length) break;
          out.push(...q.take(t));
        }
        out.push(...q.take(q.length));
        expect(out).toEqual(Array.from(data));
      }),
    );
  });

  it('peeks across view boundaries', () => {
    const q = new ByteQueue();
    q.push(new Uint8Array([1, 2]));
    q.push(new Uint8Array([3, 4, 5]));
    expect(q.uintAt(1, 3)).toBe(0x020304);
    expect(q.u32leAt(1)).toBe(0x05040302);
    q.skip(3);
    expect(q.byteAt(0)).toBe(4);
    expect(q.length).toBe(2);
  });
});

describe('BitReader', () => {
  it('reads Exp-Golomb codes', () => {
    // 1 | 010 | 011 | 00100 | 00101 -> ue 0,1,2,3,4 ; packed MSB first
    const bits = '1' + '010' + '011' + '00100' + '00101';
    const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
    const bytes = new Uint8Array(padded.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
    const r = new BitReader(bytes);
    expect([r.ue(), r.ue(), r.ue(), r.ue(), r.ue()]).toEqual([0, 1, 2, 3, 4]);
    const s = new BitReader(bytes);
    expect([s.se(), s.se(), s.se()]).toEqual([0, 1, -1]);
  });

  it('throws TruncatedError past the end', () => {
    expect(() => new BitReader(new Uint8Array([0])).ue()).toThrow(TruncatedError);
  });
});

describe('ByteWriter growth', () => {
  it('keeps every byte when it grows mid-write, whatever the field', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('u8'), fc.constant('u32'), fc.constant('f64'), fc.constant('bytes')), { maxLength: 60 }), (ops) => {
        const w = new ByteWriter(1);
        for (const op of ops) {
          if (op === 'u8') w.u8(7);
          else if (op === 'u32') w.u32(0x01020304);
          else if (op === 'f64') w.f64(2.25);
          else w.bytes(new Uint8Array([5, 6, 7]));
        }
        const r = new ByteReader(w.finish());
        for (const op of ops) {
          if (op === 'u8') expect(r.u8()).toBe(7);
          else if (op === 'u32') expect(r.u32()).toBe(0x01020304);
          else if (op === 'f64') expect(r.f64()).toBe(2.25);
          else expect(Array.from(r.bytesView(3))).toEqual([5, 6, 7]);
        }
        expect(r.atEnd).toBe(true);
      }),
    );
  });
});
