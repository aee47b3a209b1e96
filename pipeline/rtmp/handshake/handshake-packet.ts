// Handshake packet fields (RTMP 1.0 §5.2.3 C1/S1, §5.2.4 C2/S2) and the handshake clock.
import { bytesEqual } from './handshake-digest.js';
import {
  HANDSHAKE_PACKET_SIZE,
  HANDSHAKE_RANDOM_OFFSET,
  HANDSHAKE_RANDOM_SIZE,
  HANDSHAKE_TIME2_OFFSET,
  HANDSHAKE_TIME_OFFSET,
  HANDSHAKE_VERSION_OFFSET,
} from './handshake-constants.js';
import type { HandshakeOptions } from './handshake-types.js';

const U32 = 0x1_0000_0000;

export function readU32(b: Uint8Array, at: number): number {
  return b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}

export function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

/** "9.0.124.2" for 0x09007c02: how C1/S1 versions are usually written. */
export function formatHandshakeVersion(version: number): string {
  return [version >>> 24, (version >>> 16) & 0xff, (version >>> 8) & 0xff, version & 0xff].join('.');
}

/** Milliseconds since the handshake started, as the u32 the time fields carry (§5.2.3:
 *  the time of C1/S1 is this endpoint's epoch for its chunk timestamps). */
export class HandshakeClock {
  readonly epochMs: number;

  constructor(private readonly nowMs: () => number) {
    this.epochMs = Math.floor(nowMs());
  }

  elapsed(): number {
    const d = (Math.floor(this.nowMs()) - this.epochMs) % U32;
    return d < 0 ? d + U32 : d;
  }
}

/** A C1/S1: time, version (0 in the plain scheme, §5.2.3 "Zero"), then random data. */
export function buildChallenge(opts: HandshakeOptions, time: number, version: number): Uint8Array {
  const p = new Uint8Array(HANDSHAKE_PACKET_SIZE);
  writeU32(p, HANDSHAKE_TIME_OFFSET, time);
  writeU32(p, HANDSHAKE_VERSION_OFFSET, version);
  p.set(opts.randomBytes(HANDSHAKE_RANDOM_SIZE).subarray(0, HANDSHAKE_RANDOM_SIZE), HANDSHAKE_RANDOM_OFFSET);
  return p;
}

/** A plain C2/S2 (§5.2.4): the peer's time, the time we read its packet, its random echoed. */
export function buildEcho(peerChallenge: Uint8Array, readTime: number): Uint8Array {
  const p = new Uint8Array(HANDSHAKE_PACKET_SIZE);
  p.set(peerChallenge.subarray(HANDSHAKE_TIME_OFFSET, HANDSHAKE_TIME_OFFSET + 4), HANDSHAKE_TIME_OFFSET);
  writeU32(p, HANDSHAKE_TIME2_OFFSET, readTime);
  p.set(peerChallenge.subarray(HANDSHAKE_RANDOM_OFFSET, HANDSHAKE_PACKET_SIZE), HANDSHAKE_RANDOM_OFFSET);
  return p;
}

/** A digest-scheme C2/S2 before signing: random bytes throughout (the last 32 get the signature). */
export function buildRandomResponse(opts: HandshakeOptions): Uint8Array {
  const p = new Uint8Array(HANDSHAKE_PACKET_SIZE);
  p.set(opts.randomBytes(HANDSHAKE_PACKET_SIZE).subarray(0, HANDSHAKE_PACKET_SIZE));
  return p;
}

/** Whether a C2/S2 echoes the random data of the C1/S1 we sent (§5.2.4 "Random echo"). */
export function echoesRandom(response: Uint8Array, ourChallenge: Uint8Array): boolean {
  return bytesEqual(response.subarray(HANDSHAKE_RANDOM_OFFSET), ourChallenge.subarray(HANDSHAKE_RANDOM_OFFSET));
}
