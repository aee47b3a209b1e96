// FP9 digest placement, insertion, validation and S2/C2 signatures, checked against an independent reference.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GENUINE_FMS_KEY,
  GENUINE_FMS_KEY_TEXT_SIZE,
  GENUINE_FP_KEY,
  GENUINE_FP_KEY_TEXT_SIZE,
  digestOffset,
  findDigest,
  insertDigest,
  responseKey,
  signResponse,
  validateDigest,
  verifyResponse,
  type DigestScheme,
} from '../../../../pipeline/rtmp/handshake/index.js';
import { REF_FMS_KEY, REF_FP_KEY, REF_FP_TEXT_KEY, refDigestAt, refDigestPos, refDigestValid, refResponseValid } from './handshake-test-kit.js';

const FP_TEXT = GENUINE_FP_KEY.subarray(0, GENUINE_FP_KEY_TEXT_SIZE);
const packetArb = fc.uint8Array({ minLength: 1536, maxLength: 1536 });
const schemeArb = fc.constantFrom<DigestScheme>(0, 1);

describe('Genuine keys', () => {
  it('are the 68-byte FMS and 62-byte FP keys with the shared 32-byte suffix', () => {
    expect(GENUINE_FMS_KEY.length).toBe(68);
    expect(GENUINE_FP_KEY.length).toBe(62);
    expect(Buffer.from(GENUINE_FMS_KEY).equals(REF_FMS_KEY)).toBe(true);
    expect(Buffer.from(GENUINE_FP_KEY).equals(REF_FP_KEY)).toBe(true);
    expect(Buffer.from(GENUINE_FMS_KEY.subarray(0, GENUINE_FMS_KEY_TEXT_SIZE)).toString('ascii')).toBe('Genuine Adobe Flash Media Server 001');
    expect(Buffer.from(FP_TEXT).toString('ascii')).toBe('Genuine Adobe Flash Player 001');
  });
});

describe('digestOffset', () => {
  const table: Array<[DigestScheme, number[], number]> = [
    [0, [0, 0, 0, 0], 12],
    [0, [1, 2, 3, 4], 22],
    [0, [255, 255, 255, 255], 12 + (1020 % 728)],
    [0, [182, 182, 182, 182], 12], // 728 % 728
    [1, [0, 0, 0, 0], 776],
    [1, [1, 2, 3, 4], 786],
    [1, [255, 255, 255, 255], 776 + 292],
  ];
  it.each(table)('scheme %i with offset bytes %j → %i', (scheme, bytes, expected) => {
    const p = new Uint8Array(1536);
    p.set(bytes, scheme === 0 ? 8 : 772);
    expect(digestOffset(p, scheme)).toBe(expected);
  });

  it('matches the reference and keeps the digest inside its half of the random data', () => {
    fc.assert(
      fc.property(packetArb, schemeArb, (p, scheme) => {
        const at = digestOffset(p, scheme);
        expect(at).toBe(refDigestPos(p, scheme));
        if (scheme === 0) expect(at >= 12 && at + 32 <= 772).toBe(true);
        else expect(at >= 776 && at + 32 <= 1536).toBe(true);
      }),
    );
  });
});

describe('insertDigest / validateDigest / findDigest', () => {
  it('inserts where the reference expects it, and validates what the reference made', () => {
    fc.assert(
      fc.property(packetArb, schemeArb, (random, scheme) => {
        const ours = random.slice();
        const loc = insertDigest(ours, scheme, FP_TEXT);
        expect(loc.offset).toBe(refDigestPos(random, scheme));
        expect(refDigestValid(ours, scheme, REF_FP_TEXT_KEY)).toBe(true);

        const theirs = random.slice();
        const pos = refDigestPos(theirs, scheme);
        theirs.set(refDigestAt(theirs, pos, REF_FP_TEXT_KEY), pos);
        expect(validateDigest(theirs, scheme, FP_TEXT)?.offset).toBe(pos);
        expect(findDigest(theirs, FP_TEXT, scheme === 0 ? 1 : 0)?.scheme).toBe(scheme);
      }),
    );
  });

  it('rejects a packet with any byte changed, or checked with the wrong key', () => {
    fc.assert(
      fc.property(packetArb, schemeArb, fc.nat(1535), fc.integer({ min: 1, max: 255 }), (random, scheme, at, xor) => {
        const p = random.slice();
        insertDigest(p, scheme, FP_TEXT);
        expect(validateDigest(p, scheme, GENUINE_FMS_KEY.subarray(0, GENUINE_FMS_KEY_TEXT_SIZE))).toBeUndefined();
        p[at] ^= xor;
        expect(validateDigest(p, scheme, FP_TEXT)).toBeUndefined();
      }),
    );
  });

  it('finds nothing in random bytes', () => {
    fc.assert(
      fc.property(packetArb, (p) => {
        expect(findDigest(p, FP_TEXT)).toBeUndefined();
      }),
    );
  });
});

describe('signResponse / verifyResponse', () => {
  it('signs the last 32 bytes with HMAC(HMAC(full key, peer digest), bytes 0..1503)', () => {
    fc.assert(
      fc.property(packetArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(1535), (p, peerDigest, at) => {
        const key = responseKey(GENUINE_FMS_KEY, peerDigest);
        signResponse(p, key);
        expect(refResponseValid(p, REF_FMS_KEY, peerDigest)).toBe(true);
        expect(verifyResponse(p, key)).toBe(true);
        expect(verifyResponse(p, responseKey(GENUINE_FP_KEY, peerDigest))).toBe(false);
        p[at] ^= 0x80;
        expect(verifyResponse(p, key)).toBe(false);
      }),
    );
  });
});
