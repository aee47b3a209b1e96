// Path traversal through the origin: encoded, doubly encoded, backslash, NUL and overlong UTF-8
// attempts, sent byte for byte, never reach storage and never return the secret beside the media dir.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskStorage } from '../../../src/storage/disk-storage.js';
import type { MediaStorage } from '../../../src/storage/media-storage.js';
import { rawRequest, startMediaTestApp, type MediaTestApp } from './media-test-app.js';

const SECRET = 'TOP-SECRET-7d1e';

/** Records every key the route hands to storage. */
function spyStorage(inner: MediaStorage, keys: string[]): MediaStorage {
  return {
    write: (key, data) => inner.write(key, data),
    writeAtomic: (key, data) => inner.writeAtomic(key, data),
    append: (key, data) => inner.append(key, data),
    writeStream: (key, source) => inner.writeStream(key, source),
    stat: (key) => (keys.push(key), inner.stat(key)),
    read: (key, range) => (keys.push(key), inner.read(key, range)),
    readAll: (key) => (keys.push(key), inner.readAll(key)),
    delete: (key) => inner.delete(key),
    deletePrefix: (prefix) => inner.deletePrefix(prefix),
    list: (prefix) => inner.list(prefix),
    folders: (prefix) => inner.folders(prefix),
  };
}

const ATTEMPTS = [
  '/live/..%2f..%2fetc/passwd',
  '/live/..%2f..%2fx/index.m3u8',
  '/live/x/..%2f..%2f..%2fsecret.m3u8',
  '/%2e%2e/x/index.m3u8',
  '/live/%2e%2e/x/index.m3u8',
  '/live/%2E%2E/%2E%2E/index.m3u8',
  '/%252e%252e/x/index.m3u8',
  '/live/%252e%252e%252f%252e%252e%252fx/index.m3u8',
  '/live/x/%252e%252e%252fsecret.m3u8',
  '/live/..%5c..%5cx/index.m3u8',
  '/live/x/..%5c..%5c..%5csecret.m3u8',
  '/live/..\\..\\x/index.m3u8',
  '/live/x/index.m3u8%00.ts',
  '/live/x%00/index.m3u8',
  '/live/x/%00',
  '/%c0%ae%c0%ae/x/index.m3u8',
  '/live/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae/index.m3u8',
  '/live/%e0%80%ae%e0%80%ae/index.m3u8',
  '/live/x/%',
  '/../x/index.m3u8',
  '/live/../../x/index.m3u8',
  '/./x/index.m3u8',
  '//x/index.m3u8',
  '/live//index.m3u8',
  '/%2fetc/x/passwd',
  '/live/%2fetc%2fpasswd/index.m3u8',
  '/live/x/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.m3u8',
  '/live/x/secret.m3u8/..',
  '/live/x/index.m3u8/',
  '/live/.x/index.m3u8',
  '/C:%5cWindows/x/index.m3u8',
];

describe('path traversal', () => {
  let dir: string;
  let app: MediaTestApp;
  const keys: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-traversal-'));
    const media = join(dir, 'media');
    // Secrets beside the media dir, under names a successful traversal would serve.
    await writeFile(join(dir, 'secret.m3u8'), SECRET);
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'x', 'index.m3u8'), SECRET);
    await mkdir(join(dir, 'etc'));
    await writeFile(join(dir, 'etc', 'passwd'), SECRET);
    await writeFile(join(dir, 'index.m3u8'), SECRET);
    const storage = new DiskStorage(media);
    await storage.writeAtomic('live/x/index.m3u8', '#EXTM3U\n#PUBLIC\n');
    app = await startMediaTestApp({ storage: spyStorage(storage, keys) });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the public playlist (control)', async () => {
    const res = await rawRequest(app.port, '/live/x/index.m3u8');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('#EXTM3U\n#PUBLIC\n');
  });

  it.each(ATTEMPTS)('%s → 404 or 400, without the secret and without touching storage', async (path) => {
    keys.length = 0;
    for (const method of ['GET', 'HEAD']) {
      const res = await rawRequest(app.port, path, { method });
      expect([400, 404]).toContain(res.status);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.toString()).not.toContain(SECRET);
      expect(res.body.toString()).not.toContain('PUBLIC');
    }
    expect(keys).toEqual([]);
  });

  it('logs no error for any attempt', () => {
    expect(app.log.withLevel('error')).toEqual([]);
  });
});
