// ServerHandshake: golden S0S1S2 for plain and FP9 clients, C0 policy, C2 proofs, leftovers, split input, clock.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, UnsupportedError } from '../../../../pipeline/core/errors.js';
import { ServerHandshake, type DigestScheme } from '../../../../pipeline/rtmp/handshake/index.js';
import {
  REF_FMS_KEY,
  REF_FMS_TEXT_KEY,
  REF_FP_KEY,
  REF_FP_TEXT_KEY,
  concat,
  deterministic,
  expectGolden,
  feed,
  refC0C1,
  refDigestPos,
  refDigestValid,
  refHmac,
  refResponseValid,
  splitAt,
} from './handshake-test-kit.js';

const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at);
const PLAIN_C0C1 = refC0C1(1, { timeMs: 0x01020304, version: 0 });
const FP9_C0C1 = refC0C1(2, { timeMs: 0, version: 0x09007c02, scheme: 0 });
const FP9_C0C1_SCHEME1 = refC0C1(3, { timeMs: 0, version: 0x0a002d02, scheme: 1 });

/** A server that started at t=5000 and reads C0C1 at t=5015. */
function answer(c0c1: Uint8Array, seed = 100): { server: ServerHandshake; s0s1s2: Uint8Array } {
  const opts = deterministic(seed, 5000);
  const server = new ServerHandshake(opts);
  opts.clock.set(5015);
  const fed = feed(server, [c0c1]);
  expect(fed.done).toBe(false);
  return { server, s0s1s2: fed.output };
}

/** The C2 a genuine FP9 client would send for this S1. */
function refDigestC2(s1: Uint8Array, scheme: DigestScheme): Uint8Array {
  const pos = refDigestPos(s1, scheme);
  const c2 = new Uint8Array(1536).fill(0x5a);
  c2.set(refHmac(refHmac(REF_FP_KEY, s1.subarray(pos, pos + 32)), c2.subarray(0, 1504)), 1504);
  return c2;
}

describe('ServerHandshake answering a plain C1', () => {
  it('sends the golden S0S1S2: S1 = time, zero, random; S2 echoes C1 with our read time', () => {
    const { server, s0s1s2 } = answer(PLAIN_C0C1);
    expectGolden('server-s0s1s2-plain.hex', s0s1s2, 'ServerHandshake(seed 100, clock 5000→5015) answering refC0C1(seed 1, time 0x01020304, version 0)');
    expect(s0s1s2.length).toBe(3073);
    expect(s0s1s2[0]).toBe(3);
    const s1 = s0s1s2.subarray(1, 1537);
    const s2 = s0s1s2.subarray(1537);
    expect([u32(s1, 0), u32(s1, 4)]).toEqual([15, 0]);
    expect([u32(s2, 0), u32(s2, 4)]).toEqual([0x01020304, 15]);
    expect(Buffer.from(s2.subarray(8)).equals(PLAIN_C0C1.subarray(9))).toBe(true);
    expect([server.scheme, server.clientVersion, server.digestScheme, server.phase]).toEqual(['plain', 0, undefined, 'awaitC2']);
  });

  it('answers plain when C1 has a version but no valid digest (pre-FP9 clients with junk there)', () => {
    const c0c1 = PLAIN_C0C1.slice();
    c0c1.set([9, 0, 124, 2], 5);
    const { server, s0s1s2 } = answer(c0c1);
    expect([server.scheme, server.clientVersion]).toEqual(['plain', 0x09007c02]);
    expect(Buffer.from(s0s1s2.subarray(1537 + 8)).equals(c0c1.subarray(9))).toBe(true);
  });

  it('answers plain when C1 has a valid digest but a zero version (the version field announces FP9)', () => {
    const c0c1 = refC0C1(2, { timeMs: 0, version: 0x09007c02, scheme: 0 });
    c0c1.fill(0, 5, 9);
    expect(answer(c0c1).server.scheme).toBe('plain');
  });

  it('finishes on an echoing C2 and hands over what follows it, as views', () => {
    const { server, s0s1s2 } = answer(PLAIN_C0C1);
    const c2 = concat([s0s1s2.subarray(1, 1537), Uint8Array.of(3, 0, 0, 0, 0, 0, 0x1c, 0x14)]);
    const fed = feed(server, [c2]);
    expect([fed.done, fed.output.length, server.phase, server.c2Proof]).toEqual([true, 0, 'done', 'echo']);
    expect(Array.from(fed.leftover)).toEqual([3, 0, 0, 0, 0, 0, 0x1c, 0x14]);
    expect(fed.leftoverViews[0].buffer).toBe(c2.buffer);
    expect(feed(server, [Uint8Array.of(7)]).leftover).toEqual(Uint8Array.of(7));
  });

  it('accepts a C2 that proves nothing, and records it', () => {
    const { server } = answer(PLAIN_C0C1);
    expect(feed(server, [new Uint8Array(1536)]).done).toBe(true);
    expect(server.c2Proof).toBe('none');
  });
});

describe('ServerHandshake answering an FP9 digest C1', () => {
  it('sends the golden S0S1S2: S1 = time, 4.5.0.1, FMS digest; S2 signed with the key from the C1 digest', () => {
    const { server, s0s1s2 } = answer(FP9_C0C1);
    expectGolden('server-s0s1s2-digest.hex', s0s1s2, 'ServerHandshake(seed 100, clock 5000→5015) answering refC0C1(seed 2, version 9.0.124.2, digest scheme 0)');
    const s1 = s0s1s2.subarray(1, 1537);
    const s2 = s0s1s2.subarray(1537);
    expect([u32(s1, 0), u32(s1, 4)]).toEqual([15, 0x04050001]);
    expect(refDigestValid(s1, 0, REF_FMS_TEXT_KEY)).toBe(true);
    const c1 = FP9_C0C1.subarray(1);
    const c1Pos = refDigestPos(c1, 0);
    expect(refResponseValid(s2, REF_FMS_KEY, c1.subarray(c1Pos, c1Pos + 32))).toBe(true);
    expect([server.scheme, server.digestScheme, server.clientVersion]).toEqual(['digest', 0, 0x09007c02]);
  });

  it('places its digest with the scheme the client used (scheme 1)', () => {
    const { server, s0s1s2 } = answer(FP9_C0C1_SCHEME1);
    expectGolden('server-s0s1s2-digest-scheme1.hex', s0s1s2, 'ServerHandshake(seed 100, clock 5000→5015) answering refC0C1(seed 3, version 10.0.45.2, digest scheme 1)');
    const s1 = s0s1s2.subarray(1, 1537);
    expect([refDigestValid(s1, 1, REF_FMS_TEXT_KEY), refDigestValid(s1, 0, REF_FMS_TEXT_KEY)]).toEqual([true, false]);
    const c1 = FP9_C0C1_SCHEME1.subarray(1);
    const c1Pos = refDigestPos(c1, 1);
    expect(refResponseValid(s0s1s2.subarray(1537), REF_FMS_KEY, c1.subarray(c1Pos, c1Pos + 32))).toBe(true);
    expect(server.digestScheme).toBe(1);
    expect(refDigestValid(c1, 1, REF_FP_TEXT_KEY)).toBe(true);
  });

  it.each([
    ['digest', (s1: Uint8Array) => refDigestC2(s1, 0)],
    ['echo', (s1: Uint8Array) => s1.slice()], // what a publishing ffmpeg sends
    ['none', () => new Uint8Array(1536).fill(1)],
  ] as const)('records a %s C2', (proof, makeC2) => {
    const { server, s0s1s2 } = answer(FP9_C0C1);
    expect(feed(server, [makeC2(s0s1s2.slice(1, 1537))]).done).toBe(true);
    expect(server.c2Proof).toBe(proof);
  });
});

describe('ServerHandshake C0 policy (RTMP 1.0 §5.2.2)', () => {
  it.each([3, 0, 1, 2, 4, 5, 7, 10, 31])('accepts C0=%i and answers S0=3', (c0) => {
    const c0c1 = PLAIN_C0C1.slice();
    c0c1[0] = c0;
    const { server, s0s1s2 } = answer(c0c1);
    expect([s0s1s2[0], server.c0Version]).toEqual([3, c0]);
  });

  it.each([6, 8, 9])('refuses RTMPE C0=%i as unsupported, on the first byte', (c0) => {
    const server = new ServerHandshake(deterministic(1));
    expect(() => server.push(Uint8Array.of(c0))).toThrow(UnsupportedError);
    expect(server.phase).toBe('failed');
    expect(() => server.push(new Uint8Array(1536))).toThrow(ProtocolError);
  });

  it('names RTMPS in the RTMPE error', () => {
    expect(() => new ServerHandshake(deterministic(1)).push(Uint8Array.of(6))).toThrow('encrypted RTMPE (C0=6) is not supported; use RTMPS');
  });

  it.each([
    [0x16, /TLS/],
    [0x47, /not an RTMP version/], // "GET /"
    [32, /not an RTMP version/],
    [255, /not an RTMP version/],
  ])('refuses C0=%i as a protocol error', (c0, message) => {
    expect(() => new ServerHandshake(deterministic(1)).push(Uint8Array.of(c0, 1, 2))).toThrow(message);
    expect(() => new ServerHandshake(deterministic(1)).push(Uint8Array.of(c0))).toThrow(ProtocolError);
  });
});

describe('ServerHandshake input splitting', () => {
  const tail = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
  const cases = [
    ['plain', PLAIN_C0C1],
    ['digest', FP9_C0C1],
  ] as const;

  /** C0C1 + a digest C2 for the S1 of a server with seed 100 + tail, and that server's whole answer. */
  function conversation(c0c1: Uint8Array): { input: Uint8Array; s0s1s2: Uint8Array } {
    const s0s1s2 = feed(new ServerHandshake(deterministic(100)), [c0c1]).output;
    return { input: concat([c0c1, refDigestC2(s0s1s2.subarray(1, 1537), 0), tail]), s0s1s2 };
  }

  it.each(cases)('%s: byte-by-byte input gives the same bytes and leftover', (scheme, c0c1) => {
    const { input, s0s1s2 } = conversation(c0c1);
    const server = new ServerHandshake(deterministic(100));
    const fed = feed(server, Array.from(input, (b) => Uint8Array.of(b)));
    expect(Buffer.from(fed.output).equals(s0s1s2)).toBe(true);
    expect(Buffer.from(fed.leftover).equals(tail)).toBe(true);
    expect([server.scheme, server.c2Proof]).toEqual([scheme, scheme === 'digest' ? 'digest' : 'none']);
  });

  it.each(cases)('%s: any split gives the same bytes, proof and leftover', (scheme, c0c1) => {
    const { input, s0s1s2 } = conversation(c0c1);
    fc.assert(
      fc.property(fc.array(fc.nat(input.length), { maxLength: 40 }), (cuts) => {
        const server = new ServerHandshake(deterministic(100));
        const fed = feed(server, splitAt(input, cuts));
        expect(Buffer.from(fed.output).equals(s0s1s2)).toBe(true);
        expect(Buffer.from(fed.leftover).equals(tail)).toBe(true);
        expect([fed.done, server.scheme]).toEqual([true, scheme]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ServerHandshake clock', () => {
  it.each([
    [1000, 1000 + 2 ** 32 + 7, 7], // u32 wrap
    [1000, 990, 2 ** 32 - 10], // a clock that steps back still yields a u32
    [1000.9, 1042.5, 42], // fractional clocks are floored
  ])('epoch %d, read at %d → time %d', (start, read, expected) => {
    const opts = deterministic(1, start);
    const server = new ServerHandshake(opts);
    opts.clock.set(read);
    const out = feed(server, [PLAIN_C0C1]).output;
    expect([u32(out, 1), u32(out, 1537 + 4), server.epochMs]).toEqual([expected, expected, Math.floor(start)]);
  });
});
