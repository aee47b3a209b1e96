// Failures at the origin: storage faults answer 500 no-store and are logged once with context,
// a body that fails mid-way cuts the connection, and clients that leave mid-download release the
// storage stream and its file descriptor. The server keeps serving throughout.
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskStorage } from '../../../src/storage/disk-storage.js';
import type { MediaStorage } from '../../../src/storage/media-storage.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { StorageError } from '../../../src/storage/storage-errors.js';
import { startMediaTestApp, type MediaTestApp } from './media-test-app.js';

let app: MediaTestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  app = undefined;
  dir = undefined;
});

/** MemoryStorage whose reads can be replaced per test. */
function faultyStorage(overrides: Partial<Pick<MediaStorage, 'stat' | 'read' | 'readAll'>>): MemoryStorage {
  const storage = new MemoryStorage();
  Object.assign(storage, overrides);
  return storage;
}

const until = async (condition: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('storage faults', () => {
  it.each([
    ['stat', { stat: async () => Promise.reject(new StorageError('io', 'stat', 'live/s/seg-1.ts', 'EIO: disk on fire')) }, '/live/s/seg-1.ts'],
    ['readAll', { stat: async () => ({ size: 1, mtimeMs: 0, etag: '"x"' }), readAll: async () => Promise.reject(new Error('boom')) }, '/live/s/index.m3u8'],
    ['read', { stat: async () => ({ size: 1, mtimeMs: 0, etag: '"x"' }), read: async () => Promise.reject(new Error('boom')) }, '/live/s/seg-1.ts'],
  ] as const)('a failing %s → 500 no-store, one error line with the key', async (_op, overrides, path) => {
    app = await startMediaTestApp({ storage: faultyStorage(overrides) });
    const res = await fetch(app.url(path));
    expect(res.status).toBe(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
    expect(await res.text()).not.toMatch(/disk on fire|boom/);
    const errors = app.log.withLevel('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].fields).toMatchObject({ component: 'media-origin', key: path.slice(1), method: 'GET', url: path });
    expect(errors[0].fields.err).toBeDefined();
  });

  it('an object that disappears between stat and read → 500, logged once', async () => {
    app = await startMediaTestApp({ storage: faultyStorage({ stat: async () => ({ size: 4, mtimeMs: 0, etag: '"x"' }), read: async () => undefined }) });
    const res = await fetch(app.url('/live/s/seg-1.ts'));
    expect(res.status).toBe(500);
    expect(app.log.withLevel('error')).toHaveLength(1);
  });

  it('a body that fails mid-way cuts the connection, is logged once, and the server keeps serving', async () => {
    const storage = faultyStorage({
      stat: async (key) => (key.endsWith('seg-1.ts') ? { size: 100_000, mtimeMs: 0, etag: '"x"' } : MemoryStorage.prototype.stat.call(storage, key)),
      read: async (key, range) => {
        if (!key.endsWith('seg-1.ts')) return MemoryStorage.prototype.read.call(storage, key, range);
        let chunks = 0;
        return new Readable({
          read() {
            chunks += 1;
            if (chunks <= 3) setImmediate(() => this.push(Buffer.alloc(1000)));
            else this.destroy(new Error('EIO while reading'));
          },
        });
      },
    });
    await storage.writeAtomic('live/s/index.m3u8', '#EXTM3U\n');
    app = await startMediaTestApp({ storage });
    // Headers (200, Content-Length 100000) may or may not have left; either way the response fails.
    await expect(fetch(app.url('/live/s/seg-1.ts')).then((res) => res.arrayBuffer())).rejects.toThrow();
    await until(() => app!.log.withLevel('error').length > 0);
    expect(app.log.withLevel('error')).toHaveLength(1);
    expect(app.log.withLevel('error')[0].fields).toMatchObject({ key: 'live/s/seg-1.ts', status: 200 });
    const again = await fetch(app.url('/live/s/index.m3u8'));
    expect(await again.text()).toBe('#EXTM3U\n');
  });
});

describe('clients that leave mid-download', () => {
  it('destroy the storage stream and release its file descriptor, without error lines', async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-abort-'));
    const disk = new DiskStorage(dir);
    await disk.write('live/s/seg-1.ts', [Buffer.alloc(32 * 1024 * 1024, 1)]);
    const streams: (NodeJS.ReadableStream & { destroyed?: boolean; readableEnded?: boolean })[] = [];
    const storage: MediaStorage = Object.assign(Object.create(disk) as DiskStorage, {
      read: async (key: string, range?: { start: number; end: number }) => {
        const stream = await disk.read(key, range);
        if (stream) streams.push(stream);
        return stream;
      },
    });
    app = await startMediaTestApp({ storage });
    const fds = () => readdirSync('/proc/self/fd').length;
    const warm = await fetch(app.url('/live/s/seg-1.ts'), { method: 'HEAD' });
    expect(warm.status).toBe(200);
    const before = fds();
    for (let i = 0; i < 10; i += 1) {
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: app!.port, path: '/live/s/seg-1.ts', agent: false }, (res) => {
          res.once('data', () => {
            req.destroy(); // leave after the first chunk; the server is blocked on backpressure
            resolve();
          });
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
        req.end();
      });
    }
    await until(() => streams.length === 10 && streams.every((s) => s.destroyed === true));
    expect(streams.every((s) => s.readableEnded === false)).toBe(true); // really cut short
    await until(() => fds() <= before);
    expect(app.log.withLevel('error')).toEqual([]);
    const after = await fetch(app.url('/live/s/seg-1.ts'), { headers: { Range: 'bytes=0-3' } });
    expect(after.status).toBe(206);
    expect(Buffer.from(await after.arrayBuffer())).toEqual(Buffer.alloc(4, 1));
  });
});
