// PES → transport packets: packet counts, adaptation-field stuffing (1, 2 and many bytes), and a
// property test that any payload (0–20000 bytes, any split into views) reassembles exactly.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adaptationFieldSize, writeAdaptationField, type AdaptationFieldFlags } from '../../../pipeline/mpegts/adaptation-field.js';
import { ContinuityCounters } from '../../../pipeline/mpegts/continuity-counters.js';
import type { PesHeaderFields } from '../../../pipeline/mpegts/pes-packet.js';
import { pesLayout, pesPacketsSize, writePesPackets } from '../../../pipeline/mpegts/pes-packetizer.js';
import { concat, continuityErrors, parsePackets, reassemblePes } from '../../helpers/ts-inspect.js';

const PID = 0x101;

function packetize(payload: Uint8Array[], flags: AdaptationFieldFlags = {}, unbounded = false, pts = 1000, dts = 1000): Uint8Array {
  const header: PesHeaderFields = { streamId: 0xc0, pts, dts, payloadLength: payload.reduce((n, v) => n + v.length, 0), unbounded };
  const out = new Uint8Array(pesPacketsSize(header, flags));
  expect(writePesPackets(out, 0, PID, new ContinuityCounters(), header, payload, flags)).toBe(out.length);
  return out;
}

describe('pesLayout', () => {
  it.each([
    // pesLength, first adaptation field size, packets, stuffing
    [14, 0, 1, 170],
    [183, 0, 1, 1],
    [184, 0, 1, 0],
    [185, 0, 2, 183],
    [368, 0, 2, 0],
    [369, 0, 3, 183],
    [176, 8, 1, 0],
    [177, 8, 2, 183],
    [175, 8, 1, 1],
    [182, 2, 1, 0],
  ])('a %i-byte PES after a %i-byte adaptation field takes %i packets with %i stuffing', (pesLength, first, packets, stuffing) => {
    expect(pesLayout(pesLength, first)).toEqual({ packets, stuffing });
  });
});

describe('adaptation field', () => {
  it('stuffs one byte as adaptation_field_length 0 and two as length 1 with no flags', () => {
    const one = new Uint8Array(1);
    writeAdaptationField(one, 0, 1, {});
    expect([...one]).toEqual([0]);
    const two = new Uint8Array(2);
    writeAdaptationField(two, 0, 2, {});
    expect([...two]).toEqual([1, 0]);
  });

  it('sizes 8 bytes for a PCR, 2 for flags only, 0 for nothing', () => {
    expect(adaptationFieldSize({ pcrBase: 0 })).toBe(8);
    expect(adaptationFieldSize({ randomAccess: true })).toBe(2);
    expect(adaptationFieldSize({ discontinuity: true, randomAccess: true, pcrBase: 5 })).toBe(8);
    expect(adaptationFieldSize({ randomAccess: false, discontinuity: false })).toBe(0);
  });

  it('writes PCR base bits, reserved 111111 and extension 0, wrapped to 33 bits', () => {
    const out = new Uint8Array(8);
    writeAdaptationField(out, 0, 8, { pcrBase: 2 ** 33 + 0x1_2345_6789, randomAccess: true });
    const base = 0x1_2345_6789;
    expect([...out]).toEqual([7, 0x50, Math.floor(base / 2 ** 25), (base >>> 17) & 0xff, (base >>> 9) & 0xff, (base >>> 1) & 0xff, ((base & 1) << 7) | 0x7e, 0]);
  });
});

describe('writePesPackets', () => {
  it('puts the stuffing in the last packet and PCR/RAI in the first', () => {
    const ts = packetize([new Uint8Array(400).fill(0xab)], { pcrBase: 90_000, randomAccess: true });
    const packets = parsePackets(ts);
    expect(packets.length).toBe(3);
    expect(packets[0].adaptation).toMatchObject({ randomAccess: true, pcrBase: 90_000, stuffing: 0 });
    expect(packets[1].adaptation).toBeUndefined();
    const stuffing = 3 * 184 - 8 - 14 - 400;
    expect(packets[2].adaptation).toMatchObject({ length: stuffing - 1, randomAccess: false });
    expect(packets.map((p) => p.payloadUnitStart)).toEqual([true, false, false]);
  });

  it('stuffs a PES of exactly one byte less than a packet with a single adaptation_field_length byte', () => {
    const packets = parsePackets(packetize([new Uint8Array(183 - 14)]));
    expect(packets.length).toBe(1);
    expect(packets[0].adaptation).toEqual({ length: 0, discontinuity: false, randomAccess: false, stuffing: 0 });
  });

  it('reassembles any payload split into any views, with the minimal packet count and right stuffing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(fc.nat(20_000), { maxLength: 6 }),
        fc.constantFrom<AdaptationFieldFlags>({}, { randomAccess: true }, { pcrBase: 123_456, randomAccess: true }),
        fc.boolean(),
        (size, cuts, flags, video) => {
          const payload = new Uint8Array(size);
          for (let i = 0; i < size; i++) payload[i] = (i * 31 + size) & 0xff;
          const points = [...new Set(cuts.map((c) => c % (size + 1)))].sort((a, b) => a - b);
          const views: Uint8Array[] = [];
          let prev = 0;
          for (const p of [...points, size]) {
            views.push(payload.subarray(prev, p));
            prev = p;
          }
          const ts = packetize(views, flags, video, 5000, video ? 2000 : 5000);
          const packets = parsePackets(ts);
          const headerSize = video ? 19 : 14;
          const layout = pesLayout(headerSize + size, flags.pcrBase !== undefined ? 8 : flags.randomAccess ? 2 : 0);
          expect(packets.length).toBe(layout.packets);
          expect(packets.length).toBe(Math.max(1, Math.ceil((headerSize + size + (flags.pcrBase !== undefined ? 8 : flags.randomAccess ? 2 : 0)) / 184)));
          const last = packets[packets.length - 1];
          const lastField = last.adaptation ? last.adaptation.length + 1 : 0;
          const firstField = packets.length === 1 ? adaptationFieldSize(flags) : 0;
          expect(lastField - firstField).toBe(layout.stuffing);
          expect(continuityErrors(packets)).toEqual([]);
          const [pes, ...rest] = reassemblePes(packets, PID);
          expect(rest).toEqual([]);
          expect(pes.payload).toEqual(payload);
          expect(pes.packetLength).toBe(video ? 0 : headerSize - 6 + size <= 0xffff ? headerSize - 6 + size : 0);
          expect(concat(packets.map((p) => p.payload)).length).toBe(headerSize + size);
        },
      ),
      { numRuns: 200 },
    );
  });
});
