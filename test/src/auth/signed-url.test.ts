// Signed publish URLs and playback tokens: the documented formula, expiry, tampering of every
// part, malformed input; verification never throws whatever it is given.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { playToken, publishSignature, signPublishUrl, verifyPlayToken, verifyPublishSignature } from '../../../src/auth/signed-url.js';

const SECRET = 'publish-secret-0123456789';
const NOW = 1_700_000_000;

describe('signed publish URLs', () => {
  it('follow the documented formula: hex HMAC-SHA256(secret, "publish/<app>/<name>/<expires>")', () => {
    const expected = createHmac('sha256', SECRET).update(`publish/live/cam1/${NOW + 60}`).digest('hex');
    expect(publishSignature(SECRET, 'live', 'cam1', NOW + 60)).toBe(expected);
    expect(signPublishUrl(SECRET, 'live', 'cam1', NOW + 60)).toBe(`live/cam1?expires=${NOW + 60}&sig=${expected}`);
  });

  it('verify while unexpired, including the expiry second itself', () => {
    const sig = publishSignature(SECRET, 'live', 'cam1', NOW);
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW), sig, NOW - 100)).toEqual({ ok: true, expiresUnix: NOW });
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW), sig, NOW)).toEqual({ ok: true, expiresUnix: NOW });
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW), sig, NOW + 1)).toEqual({ ok: false, reason: 'signature expired' });
  });

  it('accept upper-case hex', () => {
    const sig = publishSignature(SECRET, 'live', 'cam1', NOW).toUpperCase();
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW), sig, NOW).ok).toBe(true);
  });

  it('refuse any tampering', () => {
    const sig = publishSignature(SECRET, 'live', 'cam1', NOW);
    const flipped = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    const invalid = { ok: false, reason: 'signature invalid' };
    expect(verifyPublishSignature(SECRET, 'live', 'cam2', String(NOW), sig, NOW)).toEqual(invalid);
    expect(verifyPublishSignature(SECRET, 'other', 'cam1', String(NOW), sig, NOW)).toEqual(invalid);
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW + 3600), sig, NOW)).toEqual(invalid);
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW), flipped, NOW)).toEqual(invalid);
    expect(verifyPublishSignature(`${SECRET}x`, 'live', 'cam1', String(NOW), sig, NOW)).toEqual(invalid);
    // A play token's digest is not a publish signature for the same stream.
    const playHex = playToken(SECRET, 'live', 'cam1', NOW).split('.')[1];
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW), playHex, NOW)).toEqual(invalid);
  });

  it('refuse missing and malformed parts', () => {
    const sig = publishSignature(SECRET, 'live', 'cam1', NOW);
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', undefined, sig, NOW)).toEqual({ ok: false, reason: 'signature missing' });
    expect(verifyPublishSignature(SECRET, 'live', 'cam1', String(NOW), undefined, NOW)).toEqual({ ok: false, reason: 'signature missing' });
    for (const [expires, s] of [['-1', sig], ['1e9', sig], ['', sig], [String(NOW), sig.slice(1)], [String(NOW), `${sig}00`], [String(NOW), 'zz'.repeat(32)]]) {
      expect(verifyPublishSignature(SECRET, 'live', 'cam1', expires, s, NOW), `${expires} ${s}`).toEqual({ ok: false, reason: 'signature malformed' });
    }
  });

  it('refuse to sign with an expiry that is not whole Unix seconds', () => {
    for (const bad of [-1, 1.5, Number.NaN, 1e13]) expect(() => publishSignature(SECRET, 'live', 'x', bad), String(bad)).toThrow(RangeError);
  });
});

describe('playback tokens', () => {
  it('are "<expires>.<hex HMAC-SHA256(secret, "play/<app>/<name>/<expires>")>"', () => {
    const hex = createHmac('sha256', SECRET).update(`play/live/cam1/${NOW}`).digest('hex');
    expect(playToken(SECRET, 'live', 'cam1', NOW)).toBe(`${NOW}.${hex}`);
  });

  it('verify for their stream until they expire', () => {
    const token = playToken(SECRET, 'live', 'cam1', NOW);
    expect(verifyPlayToken(SECRET, 'live', 'cam1', token, NOW)).toEqual({ ok: true, expiresUnix: NOW });
    expect(verifyPlayToken(SECRET, 'live', 'cam1', token, NOW + 1)).toEqual({ ok: false, reason: 'token expired' });
    expect(verifyPlayToken(SECRET, 'live', 'cam2', token, NOW)).toEqual({ ok: false, reason: 'token invalid' });
    expect(verifyPlayToken(SECRET, 'live', 'cam1', `${NOW + 1}${token.slice(String(NOW).length)}`, NOW)).toEqual({ ok: false, reason: 'token invalid' });
    const sig = publishSignature(SECRET, 'live', 'cam1', NOW);
    expect(verifyPlayToken(SECRET, 'live', 'cam1', `${NOW}.${sig}`, NOW)).toEqual({ ok: false, reason: 'token invalid' });
  });

  it('refuse missing and malformed tokens', () => {
    expect(verifyPlayToken(SECRET, 'live', 'cam1', undefined, NOW)).toEqual({ ok: false, reason: 'token missing' });
    expect(verifyPlayToken(SECRET, 'live', 'cam1', '', NOW)).toEqual({ ok: false, reason: 'token missing' });
    for (const bad of ['abc', `${NOW}`, `${NOW}.`, `.${'a'.repeat(64)}`, `${NOW}.${'g'.repeat(64)}`, `${NOW}.${'a'.repeat(63)}`, `x${NOW}.${'a'.repeat(64)}`]) {
      expect(verifyPlayToken(SECRET, 'live', 'cam1', bad, NOW), bad).toEqual({ ok: false, reason: 'token malformed' });
    }
  });

  it('verification never throws and accepts nothing random', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (app, name, a, b) => {
        expect(verifyPlayToken(SECRET, app, name, a, NOW).ok).toBe(false);
        expect(verifyPublishSignature(SECRET, app, name, a, b, NOW).ok).toBe(false);
      }),
    );
  });
});
