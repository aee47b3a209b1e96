// Our client against our server in every scheme, with every digest and signature recomputed independently.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClientHandshake, ServerHandshake, type DigestScheme } from '../../../../pipeline/rtmp/handshake/index.js';
import { REF_FMS_KEY, REF_FMS_TEXT_KEY, REF_FP_KEY, REF_FP_TEXT_KEY, concat, deterministic, refDigestPos, refDigestValid, refResponseValid } from './handshake-test-kit.js';

interface Conversation {
  client: ClientHandshake;
  server: ServerHandshake;
  c1: Uint8Array;
  s1: Uint8Array;
  s2: Uint8Array;
  c2: Uint8Array;
  serverLeftover: Uint8Array;
}

function converse(clientSeed: number, serverSeed: number, digest: boolean, digestScheme: DigestScheme, trailer = new Uint8Array(0)): Conversation {
  const client = new ClientHandshake({ ...deterministic(clientSeed), digest, digestScheme });
  const server = new ServerHandshake(deterministic(serverSeed));
  const c0c1 = concat(client.start());
  const toClient = server.push(c0c1);
  expect(toClient.done).toBe(false);
  const s0s1s2 = concat(toClient.output);
  const toServer = client.push(s0s1s2);
  expect(toServer.done).toBe(true);
  const c2 = concat(toServer.output);
  const last = server.push(concat([c2, trailer]));
  expect([last.done, last.output.length]).toEqual([true, 0]);
  return { client, server, c1: c0c1.subarray(1), s1: s0s1s2.subarray(1, 1537), s2: s0s1s2.subarray(1537), c2, serverLeftover: concat(last.leftover) };
}

const digestAt = (p: Uint8Array, scheme: DigestScheme): Uint8Array => p.subarray(refDigestPos(p, scheme), refDigestPos(p, scheme) + 32);

describe('ClientHandshake ↔ ServerHandshake', () => {
  it.each([0, 1] as const)('digest scheme %i: both sides verify each other, as an independent check confirms', (scheme) => {
    const { client, server, c1, s1, s2, c2 } = converse(1, 2, true, scheme);
    expect([server.scheme, server.digestScheme, server.clientVersion, server.c2Proof]).toEqual(['digest', scheme, 0x09007c02, 'digest']);
    expect([client.serverScheme, client.serverVersion, client.serverDigestValid, client.s2Proof]).toEqual(['digest', 0x04050001, true, 'digest']);
    expect(refDigestValid(c1, scheme, REF_FP_TEXT_KEY)).toBe(true);
    expect(refDigestValid(s1, scheme, REF_FMS_TEXT_KEY)).toBe(true);
    expect(refResponseValid(s2, REF_FMS_KEY, digestAt(c1, scheme))).toBe(true);
    expect(refResponseValid(c2, REF_FP_KEY, digestAt(s1, scheme))).toBe(true);
  });

  it('plain: both sides echo', () => {
    const { client, server, c1, s1, s2, c2 } = converse(3, 4, false, 0);
    expect([server.scheme, server.clientVersion, server.c2Proof]).toEqual(['plain', 0, 'echo']);
    expect([client.serverScheme, client.serverVersion, client.serverDigestValid, client.s2Proof]).toEqual(['plain', 0, undefined, 'echo']);
    expect(Buffer.from(s2.subarray(8)).equals(c1.subarray(8))).toBe(true);
    expect(Buffer.from(c2.subarray(8)).equals(s1.subarray(8))).toBe(true);
  });

  it('completes for any seeds and scheme, and passes the chunk stream through', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.boolean(), fc.constantFrom<DigestScheme>(0, 1), fc.uint8Array({ maxLength: 64 }), (cs, ss, digest, scheme, trailer) => {
        const { client, server, serverLeftover } = converse(cs, ss, digest, scheme, trailer);
        expect([server.c2Proof, client.s2Proof]).toEqual(digest ? ['digest', 'digest'] : ['echo', 'echo']);
        expect(Buffer.from(serverLeftover).equals(trailer)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
