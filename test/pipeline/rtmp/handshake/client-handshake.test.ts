// ClientHandshake: golden C0C1 and C2 against reference servers (FP9 and plain), leniency, S0 policy, split input.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, UnsupportedError } from '../../../../pipeline/core/errors.js';
import { ClientHandshake, formatHandshakeVersion, type ClientHandshakeOptions, type DigestScheme } from '../../../../pipeline/rtmp/handshake/index.js';
import {
  REF_FMS_KEY,
  REF_FMS_TEXT_KEY,
  REF_FP_KEY,
  REF_FP_TEXT_KEY,
  concat,
  deterministic,
  expectGolden,
  feed,
  refDigestAt,
  refDigestPos,
  refDigestValid,
  refHmac,
  refResponseValid,
  seededRandom,
  splitAt,
} from './handshake-test-kit.js';

const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at);

/** A client that starts at t=7000 and reads S0S1 at t=7020. */
function started(extra: Partial<ClientHandshakeOptions> = {}, seed = 200): { client: ClientHandshake; c0c1: Uint8Array; clock: ReturnType<typeof deterministic>['clock'] } {
  const opts = deterministic(seed, 7000);
  const client = new ClientHandshake({ ...opts, ...extra });
  const c0c1 = concat(client.start());
  opts.clock.set(7020);
  return { client, c0c1, clock: opts.clock };
}

/** What a genuine FP9 server (FMS 3.5.1.1) answers to this C1, built with the reference. */
function refFp9Answer(c1: Uint8Array, scheme: DigestScheme, seed = 300): Uint8Array {
  const s1 = new Uint8Array(1536);
  s1.set([0, 0, 0, 9, 3, 5, 1, 1]);
  s1.set(seededRandom(seed)(1528), 8);
  const pos = refDigestPos(s1, scheme);
  s1.set(refDigestAt(s1, pos, REF_FMS_TEXT_KEY), pos);
  const c1Pos = refDigestPos(c1, scheme);
  const s2 = seededRandom(seed + 1)(1536);
  s2.set(refHmac(refHmac(REF_FMS_KEY, c1.subarray(c1Pos, c1Pos + 32)), s2.subarray(0, 1504)), 1504);
  return concat([Uint8Array.of(3), s1, s2]);
}

/** What a plain server answers: S1 with a zero version, S2 echoing C1. */
function refPlainAnswer(c1: Uint8Array, seed = 400): Uint8Array {
  const s1 = new Uint8Array(1536);
  s1.set([0, 0, 0, 5]);
  s1.set(seededRandom(seed)(1528), 8);
  const s2 = c1.slice();
  s2.set([0, 0, 0, 5], 4);
  return concat([Uint8Array.of(3), s1, s2]);
}

describe('ClientHandshake with the digest (default)', () => {
  it('starts with the golden C0C1: time 0, version 9.0.124.2, FP digest at scheme 0', () => {
    const { client, c0c1 } = started();
    expectGolden('client-c0c1-digest.hex', c0c1, 'ClientHandshake(seed 200, clock 7000, digest scheme 0).start()');
    expect([c0c1.length, c0c1[0], u32(c0c1, 1), u32(c0c1, 5)]).toEqual([1537, 3, 0, 0x09007c02]);
    expect(refDigestValid(c0c1.subarray(1), 0, REF_FP_TEXT_KEY)).toBe(true);
    expect([client.phase, client.digestScheme]).toEqual(['awaitS0S1', 0]);
  });

  it('answers an FP9 server with the golden C2, signed with the key from the S1 digest', () => {
    const { client, c0c1 } = started();
    const answer = refFp9Answer(c0c1.subarray(1), 0);
    const fed = feed(client, [answer]);
    expectGolden('client-c2-digest.hex', fed.output, 'ClientHandshake(seed 200, clock 7000→7020) C2 answering refFp9Answer(seed 300, FMS 3.5.1.1, scheme 0)');
    const s1 = answer.subarray(1, 1537);
    const pos = refDigestPos(s1, 0);
    expect(refResponseValid(fed.output, REF_FP_KEY, s1.subarray(pos, pos + 32))).toBe(true);
    expect([fed.done, fed.leftover.length, client.phase]).toEqual([true, 0, 'done']);
    expect([client.serverScheme, client.serverVersion, client.serverDigestValid, client.s2Proof]).toEqual(['digest', 0x03050101, true, 'digest']);
  });

  it('puts the digest at scheme 1 when asked, and finds a scheme-1 server digest', () => {
    const { client, c0c1 } = started({ digestScheme: 1 });
    expect([refDigestValid(c0c1.subarray(1), 1, REF_FP_TEXT_KEY), client.digestScheme]).toEqual([true, 1]);
    feed(client, [refFp9Answer(c0c1.subarray(1), 1)]);
    expect([client.serverDigestValid, client.s2Proof]).toEqual([true, 'digest']);
  });

  it('is lenient: a server version without a valid digest gets an echo C2 and is recorded', () => {
    const { client, c0c1 } = started();
    const answer = refFp9Answer(c0c1.subarray(1), 0);
    answer[100] ^= 1; // breaks the S1 digest wherever it is
    const fed = feed(client, [answer]);
    expect(fed.done).toBe(true);
    expect(Buffer.from(fed.output.subarray(8)).equals(answer.subarray(9, 1537))).toBe(true);
    expect([client.serverScheme, client.serverDigestValid, client.s2Proof]).toEqual(['plain', false, 'none']);
  });

  it('records an S2 with a wrong signature without failing', () => {
    const { client, c0c1 } = started();
    const answer = refFp9Answer(c0c1.subarray(1), 0);
    answer[3000] ^= 1;
    expect(feed(client, [answer]).done).toBe(true);
    expect([client.serverDigestValid, client.s2Proof]).toEqual([true, 'none']);
  });

  it('sends C2 as soon as S1 is in, before S2 (RTMP 1.0 §5.2.1)', () => {
    const { client, c0c1 } = started();
    const answer = refFp9Answer(c0c1.subarray(1), 0);
    const first = client.push(answer.subarray(0, 1537));
    expect([first.output.length, first.done, client.phase]).toEqual([1, false, 'awaitS2']);
    expect(client.push(answer.subarray(1537)).done).toBe(true);
  });
});

describe('ClientHandshake plain (digest: false)', () => {
  it('starts with the golden C0C1 (zero version) and echoes S1 in the golden C2', () => {
    const { client, c0c1 } = started({ digest: false });
    expectGolden('client-c0c1-plain.hex', c0c1, 'ClientHandshake(seed 200, clock 7000, digest: false).start()');
    expect([u32(c0c1, 1), u32(c0c1, 5), client.digestScheme]).toEqual([0, 0, undefined]);
    const answer = refPlainAnswer(c0c1.subarray(1));
    const fed = feed(client, [answer]);
    expectGolden('client-c2-plain.hex', fed.output, 'ClientHandshake(seed 200, clock 7000→7020, digest: false) C2 answering refPlainAnswer(seed 400)');
    expect([u32(fed.output, 0), u32(fed.output, 4)]).toEqual([5, 20]);
    expect(Buffer.from(fed.output.subarray(8)).equals(answer.subarray(9, 1537))).toBe(true);
    expect([client.serverScheme, client.serverVersion, client.serverDigestValid, client.s2Proof]).toEqual(['plain', 0, undefined, 'echo']);
  });

  it('echoes S1 even when the server sent a digest it cannot expect us to sign', () => {
    const { client, c0c1 } = started({ digest: false });
    const answer = refFp9Answer(c0c1.subarray(1), 0);
    const fed = feed(client, [answer]);
    expect(Buffer.from(fed.output.subarray(8)).equals(answer.subarray(9, 1537))).toBe(true);
    expect([client.serverScheme, client.serverDigestValid]).toEqual(['plain', true]);
  });
});

describe('ClientHandshake S0 policy and misuse', () => {
  it.each([6, 8, 9])('refuses an RTMPE S0=%i as unsupported', (s0) => {
    const { client } = started();
    expect(() => client.push(Uint8Array.of(s0))).toThrow(UnsupportedError);
    expect(client.phase).toBe('failed');
    expect(() => client.push(Uint8Array.of(3))).toThrow(ProtocolError);
  });

  it.each([0, 4, 0x16, 0x48])('refuses S0=%i as a protocol error', (s0) => {
    expect(() => started().client.push(Uint8Array.of(s0))).toThrow(ProtocolError);
  });

  it('formats versions the way logs write them', () => {
    expect([formatHandshakeVersion(0x09007c02), formatHandshakeVersion(0x04050001), formatHandshakeVersion(0xffffffff)]).toEqual(['9.0.124.2', '4.5.0.1', '255.255.255.255']);
  });

  it('refuses start() twice and bytes before start()', () => {
    const { client } = started();
    expect(() => client.start()).toThrow(ProtocolError);
    expect(() => new ClientHandshake(deterministic(1)).push(Uint8Array.of(3))).toThrow(ProtocolError);
  });
});

describe('ClientHandshake input splitting', () => {
  const tail = Uint8Array.from({ length: 200 }, (_, i) => 255 - i);

  it.each([true, false])('digest=%s: any split gives the same C2, proofs and leftover', (digest) => {
    const { c0c1 } = started({ digest });
    const answer = digest ? refFp9Answer(c0c1.subarray(1), 0) : refPlainAnswer(c0c1.subarray(1));
    const input = concat([answer, tail]);
    const whole = started({ digest });
    const expected = feed(whole.client, [input]);
    fc.assert(
      fc.property(fc.array(fc.nat(input.length), { maxLength: 40 }), (cuts) => {
        const { client } = started({ digest });
        const fed = feed(client, splitAt(input, cuts));
        expect(Buffer.from(fed.output).equals(expected.output)).toBe(true);
        expect(Buffer.from(fed.leftover).equals(tail)).toBe(true);
        expect([fed.done, client.s2Proof]).toEqual([true, digest ? 'digest' : 'echo']);
      }),
      { numRuns: 60 },
    );
    const bytewise = started({ digest });
    const fed = feed(bytewise.client, Array.from(input, (b) => Uint8Array.of(b)));
    expect(Buffer.from(fed.output).equals(expected.output)).toBe(true);
    expect(Buffer.from(fed.leftover).equals(tail)).toBe(true);
  });
});
