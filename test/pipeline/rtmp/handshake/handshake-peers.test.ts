// Replays handshakes captured from real peers (ffmpeg, rtmpdump/librtmp, rtmpsrv): our side must
// produce the very bytes those peers accepted, and judge theirs the same way, without the tools.
import { describe, expect, it } from 'vitest';
import { ClientHandshake, ServerHandshake } from '../../../../pipeline/rtmp/handshake/index.js';
import { concat, feed, readFixture, seededRandom, splitAt } from './handshake-test-kit.js';
import { PEER_CLOCK_MS, REAL_CLIENTS, REAL_SERVERS } from './handshake-peers.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('replayed real clients → ServerHandshake', () => {
  it.each(REAL_CLIENTS)('$name', (peer) => {
    const fromClient = readFixture(`peer-${peer.name}-from-client.hex`);
    const fromServer = readFixture(`peer-${peer.name}-from-server.hex`);
    // Split where a socket might: C0 alone, C1 in two, C2 glued to the chunk stream.
    const server = new ServerHandshake({ randomBytes: seededRandom(peer.serverSeed), nowMs: () => PEER_CLOCK_MS });
    const fed = feed(server, splitAt(fromClient, [1, 700, 1537]));
    expect(hex(fed.output)).toBe(hex(fromServer));
    expect([fed.done, server.scheme, server.clientVersion, server.c2Proof]).toEqual([true, peer.scheme, peer.clientVersion, peer.c2Proof]);
    expect(hex(fed.leftover)).toBe(hex(fromClient.subarray(3073)));
  });
});

describe('replayed real servers → ClientHandshake', () => {
  it.each(REAL_SERVERS)('$name', (peer) => {
    const fromClient = readFixture(`peer-${peer.name}-from-client.hex`);
    const fromServer = readFixture(`peer-${peer.name}-from-server.hex`);
    const client = new ClientHandshake({ randomBytes: seededRandom(peer.clientSeed), nowMs: () => PEER_CLOCK_MS });
    const c0c1 = concat(client.start());
    const fed = feed(client, splitAt(fromServer, [1537]));
    expect(hex(concat([c0c1, fed.output]))).toBe(hex(fromClient));
    expect([fed.done, client.serverScheme, client.serverVersion, client.serverDigestValid, client.s2Proof]).toEqual([
      true,
      peer.serverScheme,
      peer.serverVersion,
      peer.serverDigestValid,
      peer.s2Proof,
    ]);
  });
});
