// The webhook signature: what signWebhook makes, verifyWebhookSignature accepts, and nothing else.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  webhookHeaders,
} from '../../../src/webhooks/webhook-signature.js';

const SECRET = 'whsec_test_0123456789';
const BODY = '{"id":"e1","type":"stream.publish","time":"2025-01-01T00:00:00.000Z","app":"live","name":"cam"}';
const NOW = 1_735_689_600;

describe('signWebhook', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as documented for receivers', () => {
    const header = signWebhook(BODY, SECRET, NOW + 0.75);
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(header).toBe(`t=${NOW},v1=${expected}`);
  });

  it('refuses an empty secret rather than signing with it', () => {
    expect(() => signWebhook(BODY, '', NOW)).toThrow(RangeError);
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhook(BODY, SECRET, NOW);

  it('accepts its own signature, within the tolerance either way', () => {
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW)).toBe(true);
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW + 300)).toBe(true);
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW - 300)).toBe(true);
  });

  it('rejects a tampered body, even a one-character change or added whitespace', () => {
    expect(verifyWebhookSignature(header, BODY.replace('cam', 'cab'), SECRET, NOW)).toBe(false);
    expect(verifyWebhookSignature(header, BODY + '\n', SECRET, NOW)).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verifyWebhookSignature(header, BODY, SECRET + 'x', NOW)).toBe(false);
    expect(verifyWebhookSignature(header, BODY, '', NOW)).toBe(false);
  });

  it('rejects a stale or future timestamp, and a timestamp changed after signing', () => {
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW + 301)).toBe(false);
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW - 301)).toBe(false);
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW + 30, 10)).toBe(false);
    const moved = header.replace(`t=${NOW}`, `t=${NOW + 1}`);
    expect(verifyWebhookSignature(moved, BODY, SECRET, NOW)).toBe(false);
  });

  it('accepts any one matching v1 among several (secret rotation) and ignores unknown fields', () => {
    const v1 = header.split(',')[1];
    const rotated = `t=${NOW},v1=${'0'.repeat(64)},${v1},v0=legacy`;
    expect(verifyWebhookSignature(rotated, BODY, SECRET, NOW)).toBe(true);
    expect(verifyWebhookSignature(` t=${NOW} , ${v1} `, BODY, SECRET, NOW)).toBe(true);
  });

  it('never throws on a malformed header; it is just not valid', () => {
    const hex = 'a'.repeat(64);
    const malformed = [
      '',
      ',',
      '=',
      'garbage',
      't=',
      `t=${NOW}`,
      `v1=${hex}`,
      `t=abc,v1=${hex}`,
      `t=-5,v1=${hex}`,
      `t=1e9,v1=${hex}`,
      `t=${NOW},v1=xyz`,
      `t=${NOW},v1=${hex.slice(1)}`,
      `t=${NOW},v1=${hex}ff`,
      `t=${NOW},v1=${hex.toUpperCase()}`,
      `t=${NOW},t=${NOW},v1=${hex}`,
      `t=${'9'.repeat(400)},v1=${hex}`,
      '\u0000\uffff,=,==,t==1',
    ];
    for (const h of malformed) {
      expect(() => verifyWebhookSignature(h, BODY, SECRET, NOW)).not.toThrow();
      expect(verifyWebhookSignature(h, BODY, SECRET, NOW)).toBe(false);
    }
    expect(verifyWebhookSignature(header, BODY, SECRET, Number.NaN)).toBe(false);
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW, -1)).toBe(false);
    // Untyped callers (plain JavaScript receivers) may pass a missing header.
    const loose = verifyWebhookSignature as (h: unknown, b: string, s: string, n: number) => boolean;
    expect(loose(undefined, BODY, SECRET, NOW)).toBe(false);
  });

  it('verifies a body with non-ASCII characters byte for byte', () => {
    const body = '{"name":"caméra 📷"}';
    expect(verifyWebhookSignature(signWebhook(body, SECRET, NOW), body, SECRET, NOW)).toBe(true);
  });
});

describe('webhookHeaders', () => {
  it('signs only when there is a secret', () => {
    const input = { eventType: 'stream.publish', eventId: 'e1', body: BODY, nowSec: NOW };
    expect(webhookHeaders({ ...input, secret: SECRET })[SIGNATURE_HEADER]).toBe(signWebhook(BODY, SECRET, NOW));
    expect(SIGNATURE_HEADER in webhookHeaders({ ...input, secret: null })).toBe(false);
    expect(SIGNATURE_HEADER in webhookHeaders({ ...input, secret: '' })).toBe(false);
  });
});
