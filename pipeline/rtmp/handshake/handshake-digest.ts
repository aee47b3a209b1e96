// FP9 handshake digests (the HMAC-SHA256 scheme of Flash Player 9 / FMS 3): C1/S1 digest and C2/S2 signature.
import { createHmac } from 'node:crypto';
import {
  DIGEST_OFFSET_MODULO,
  DIGEST_SCHEME_0_OFFSET_BYTES,
  DIGEST_SCHEME_1_OFFSET_BYTES,
  DIGEST_SIZE,
  HANDSHAKE_PACKET_SIZE,
} from './handshake-constants.js';

/** Where the 32-byte digest sits in a C1/S1: scheme 0 takes its position from bytes 8..11,
 *  scheme 1 from bytes 772..775. */
export type DigestScheme = 0 | 1;

/** Both schemes, in the order a peer's packet is searched. */
export const DIGEST_SCHEMES: readonly DigestScheme[] = [0, 1];

/** A digest located in a C1/S1 packet. */
export interface DigestLocation {
  readonly scheme: DigestScheme;
  /** Byte offset of the digest within the 1536-byte packet. */
  readonly offset: number;
  /** The 32 digest bytes (a view into the packet). */
  readonly digest: Uint8Array;
}

export function hmacSha256(key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key);
  for (const d of data) h.update(d);
  return new Uint8Array(h.digest());
}

/** Digest position in a 1536-byte C1/S1: the four offset bytes summed, modulo 728, plus the
 *  position right after them (12 + sum % 728 for scheme 0, 776 + sum % 728 for scheme 1). */
export function digestOffset(packet: Uint8Array, scheme: DigestScheme): number {
  const base = scheme === 0 ? DIGEST_SCHEME_0_OFFSET_BYTES : DIGEST_SCHEME_1_OFFSET_BYTES;
  const sum = packet[base] + packet[base + 1] + packet[base + 2] + packet[base + 3];
  return base + 4 + (sum % DIGEST_OFFSET_MODULO);
}

/** HMAC-SHA256 over the packet without the 32 bytes at `offset` (the digest's own place). */
export function computeDigest(packet: Uint8Array, offset: number, key: Uint8Array): Uint8Array {
  return hmacSha256(key, packet.subarray(0, offset), packet.subarray(offset + DIGEST_SIZE, HANDSHAKE_PACKET_SIZE));
}

/** The digest at the scheme's position if it verifies with `key`, else undefined. */
export function validateDigest(packet: Uint8Array, scheme: DigestScheme, key: Uint8Array): DigestLocation | undefined {
  const offset = digestOffset(packet, scheme);
  const digest = packet.subarray(offset, offset + DIGEST_SIZE);
  return bytesEqual(computeDigest(packet, offset, key), digest) ? { scheme, offset, digest } : undefined;
}

/** Searches both schemes, `preferred` first (FP9 peers use either; the peer does not say which). */
export function findDigest(packet: Uint8Array, key: Uint8Array, preferred: DigestScheme = 0): DigestLocation | undefined {
  const order: DigestScheme[] = preferred === 0 ? [0, 1] : [1, 0];
  for (const scheme of order) {
    const found = validateDigest(packet, scheme, key);
    if (found) return found;
  }
  return undefined;
}

/** Writes the digest into a C1/S1 at the scheme's position (computed from the packet's own
 *  offset bytes, which must already be final) and returns where it went. */
export function insertDigest(packet: Uint8Array, scheme: DigestScheme, key: Uint8Array): DigestLocation {
  const offset = digestOffset(packet, scheme);
  packet.set(computeDigest(packet, offset, key), offset);
  return { scheme, offset, digest: packet.subarray(offset, offset + DIGEST_SIZE) };
}

/** The key that signs an S2 (or C2): HMAC-SHA256 keyed by our full Genuine key over the
 *  digest the peer put in its C1 (or S1). */
export function responseKey(fullKey: Uint8Array, peerDigest: Uint8Array): Uint8Array {
  return hmacSha256(fullKey, peerDigest);
}

/** Writes the S2/C2 signature: its last 32 bytes become HMAC-SHA256(key, bytes 0..1503). */
export function signResponse(packet: Uint8Array, key: Uint8Array): void {
  const end = HANDSHAKE_PACKET_SIZE - DIGEST_SIZE;
  packet.set(hmacSha256(key, packet.subarray(0, end)), end);
}

/** Whether an S2/C2's last 32 bytes are the signature made with `key`. */
export function verifyResponse(packet: Uint8Array, key: Uint8Array): boolean {
  const end = HANDSHAKE_PACKET_SIZE - DIGEST_SIZE;
  return bytesEqual(hmacSha256(key, packet.subarray(0, end)), packet.subarray(end, HANDSHAKE_PACKET_SIZE));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
