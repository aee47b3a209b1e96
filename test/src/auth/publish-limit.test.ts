// rtmp.maxPublishesPerIp: slots per address (IPv4-mapped IPv6 counted as IPv4), released once.
import { expect, it } from 'vitest';
import { PublishLimit } from '../../../src/auth/publish-limit.js';

it('gives at most maxPerIp slots per address and takes each back once', () => {
  const limit = new PublishLimit(2);
  const a = limit.acquire('127.0.0.1');
  const b = limit.acquire('::ffff:127.0.0.1');
  expect(a).toBeDefined();
  expect(b).toBeDefined();
  expect(limit.acquire('127.0.0.1')).toBeUndefined();
  expect(limit.acquire('10.0.0.1')).toBeDefined();
  a?.();
  a?.(); // a second release does not free another slot
  expect(limit.count('127.0.0.1')).toBe(1);
  expect(limit.acquire('127.0.0.1')).toBeDefined();
  expect(limit.acquire('127.0.0.1')).toBeUndefined();
});
