// Test kit for the handshake tests: seeded randomness, a manual clock, golden hex files and an
// independent FP9 reference (written from the scheme's description with node:crypto, not our code).
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { HandshakeOptions, HandshakeProgress } from '../../../../pipeline/rtmp/handshake/index.js';

export const FIXTURES = new URL('../../../fixtures/handshake/', import.meta.url);
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** mulberry32: a tiny seeded PRNG, so "random" handshake bytes are the same on every run. */
export function seededRandom(seed: number): (n: number) => Uint8Array {
  let a = seed >>> 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) >>> 24;
    }
    return out;
  };
}

/** A clock the test moves by hand. */
export function manualClock(startMs: number): { nowMs: () => number; set: (ms: number) => void } {
  let now = startMs;
  return { nowMs: () => now, set: (ms) => { now = ms; } };
}

import { concat } from '../../../helpers/bytes.js';
export { concat };

/** Cuts bytes at the given positions (any order, duplicates and out-of-range ignored). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((x, y) => x - y);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) { out.push(bytes.subarray(from, p)); from = p; }
  return out;
}

export function toHex(bytes: Uint8Array, header: string): string {
  const lines = [`# ${header}`, `# ${bytes.length} bytes, 32 per line`];
  for (let i = 0; i < bytes.length; i += 32) lines.push(Buffer.from(bytes.subarray(i, i + 32)).toString('hex'));
  return lines.join('\n') + '\n';
}

export function fromHex(text: string): Uint8Array {
  const hex = text.split('\n').filter((l) => !l.startsWith('#')).join('').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function readFixture(name: string): Uint8Array {
  return fromHex(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

/** Compares with test/fixtures/handshake/<name>; writes the file instead when UPDATE_GOLDEN=1. */
export function expectGolden(name: string, actual: Uint8Array, header: string): void {
  if (UPDATE_GOLDEN) {
    writeFixture(name, actual, header);
    return;
  }
  if (!existsSync(new URL(name, FIXTURES))) throw new Error(`golden ${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(Buffer.from(actual).toString('hex')).toBe(Buffer.from(readFixture(name)).toString('hex'));
}

export function writeFixture(name: string, bytes: Uint8Array, header: string): void {
  mkdirSync(FIXTURES, { recursive: true });
  writeFileSync(new URL(name, FIXTURES), toHex(bytes, header));
}

// ---- Independent FP9 reference -------------------------------------------------------------

const SUFFIX = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');
export const REF_FMS_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001', 'ascii'), SUFFIX]);
export const REF_FP_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001', 'ascii'), SUFFIX]);
export const REF_FMS_TEXT_KEY = REF_FMS_KEY.subarray(0, 36);
export const REF_FP_TEXT_KEY = REF_FP_KEY.subarray(0, 30);

export function refHmac(key: Uint8Array, ...data: Uint8Array[]): Buffer {
  const h = createHmac('sha256', key);
  for (const d of data) h.update(d);
  return h.digest();
}

/** Digest position in a 1536-byte C1/S1 (no C0). */
export function refDigestPos(packet: Uint8Array, scheme: 0 | 1): number {
  const base = scheme === 0 ? 8 : 772;
  return ((packet[base] + packet[base + 1] + packet[base + 2] + packet[base + 3]) % 728) + base + 4;
}

export function refDigestAt(packet: Uint8Array, pos: number, key: Uint8Array): Buffer {
  return refHmac(key, packet.subarray(0, pos), packet.subarray(pos + 32));
}

export function refDigestValid(packet: Uint8Array, scheme: 0 | 1, key: Uint8Array): boolean {
  const pos = refDigestPos(packet, scheme);
  return refDigestAt(packet, pos, key).equals(packet.subarray(pos, pos + 32));
}

/** Whether a C2/S2 ends with HMAC(HMAC(fullKey, peerDigest), first 1504 bytes). */
export function refResponseValid(packet: Uint8Array, fullKey: Uint8Array, peerDigest: Uint8Array): boolean {
  return refHmac(refHmac(fullKey, peerDigest), packet.subarray(0, 1504)).equals(packet.subarray(1504, 1536));
}

/** A C0+C1 built by hand: time, version (0 = plain), seeded random, FP digest when version ≠ 0. */
export function refC0C1(seed: number, opts: { timeMs: number; version: number; scheme?: 0 | 1 }): Uint8Array {
  const c1 = new Uint8Array(1536);
  const dv = new DataView(c1.buffer);
  dv.setUint32(0, opts.timeMs);
  dv.setUint32(4, opts.version);
  c1.set(seededRandom(seed)(1528), 8);
  if (opts.version !== 0) {
    const pos = refDigestPos(c1, opts.scheme ?? 0);
    c1.set(refDigestAt(c1, pos, REF_FP_TEXT_KEY), pos);
  }
  return concat([Uint8Array.of(3), c1]);
}

// ---- Feeding state machines ----------------------------------------------------------------

export interface Fed {
  output: Uint8Array;
  done: boolean;
  leftover: Uint8Array;
  leftoverViews: Uint8Array[];
}

/** Pushes each piece in turn; collects everything sent and everything left over. */
export function feed(machine: { push(b: Uint8Array): HandshakeProgress }, pieces: readonly Uint8Array[]): Fed {
  const output: Uint8Array[] = [];
  const leftoverViews: Uint8Array[] = [];
  let done = false;
  for (const piece of pieces) {
    const p = machine.push(piece);
    output.push(...p.output);
    leftoverViews.push(...p.leftover);
    done = p.done;
  }
  return { output: concat(output), done, leftover: concat(leftoverViews), leftoverViews };
}

/** Options for a handshake whose randomness comes from `seed` and whose clock the test moves. */
export function deterministic(seed: number, startMs = 1000): HandshakeOptions & { clock: ReturnType<typeof manualClock> } {
  const clock = manualClock(startMs);
  return { randomBytes: seededRandom(seed), nowMs: clock.nowMs, clock };
}
