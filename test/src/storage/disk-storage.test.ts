// DiskStorage specifics: where objects land, no temporary files left behind, confinement to the
// root (a secret beside it is never read, written or deleted), and read streams that release
// their file descriptors when destroyed early.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskStorage } from '../../../src/storage/disk-storage.js';
import { StorageKeyError } from '../../../src/storage/storage-errors.js';
import { text } from './storage-backends.js';

const SECRET = 'TOP-SECRET-beside-the-media-dir';

async function allEntries(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('DiskStorage', () => {
  let dir: string;
  let root: string;
  let storage: DiskStorage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-disk-'));
    root = join(dir, 'media');
    storage = new DiskStorage(root);
    await writeFile(join(dir, 'secret.txt'), SECRET);
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'x', 'index.m3u8'), SECRET);
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('maps keys to files under the root and leaves no temporary files', async () => {
    await storage.write('live/s/seg-000001.ts', [text('seg')]);
    for (let i = 0; i < 20; i += 1) await storage.writeAtomic('live/s/index.m3u8', `#EXTM3U\n#${i}\n`);
    expect(await readFile(join(root, 'live', 's', 'seg-000001.ts'), 'utf8')).toBe('seg');
    expect(await allEntries(root)).toEqual(['live', 'live/s', 'live/s/index.m3u8', 'live/s/seg-000001.ts']);
  });

  it('applies writes in the order they are issued (one writer thread): a playlist issued right after its segment never shows first', async () => {
    expect(storage.appliesInOrder()).toBe(true);
    for (let round = 0; round < 5; round++) {
      const segment = Buffer.alloc(3 * 1024 * 1024, round);
      const segmentWrite = storage.write(`live/s/seg-${round}.ts`, [segment]);
      const playlistWrite = storage.writeAtomic('live/s/index.m3u8', `#EXTM3U\nseg-${round}.ts\n`);
      // Poll while both are under way: once the playlist names the segment, it is there, whole.
      let checks = 0;
      for (let done = false; !done; ) {
        done = await Promise.race([Promise.all([segmentWrite, playlistWrite]).then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
        const text = await readFile(join(root, 'live/s/index.m3u8'), 'utf8').catch(() => '');
        if (text.includes(`seg-${round}.ts`)) {
          expect((await stat(join(root, `live/s/seg-${round}.ts`))).size, `seg-${round}.ts whole once listed`).toBe(segment.length);
          checks++;
        }
      }
      expect(checks).toBeGreaterThan(0);
    }
  });

  it('removes its temporary file when a write fails', async () => {
    await storage.write('live/s/seg-1.ts', [text('x')]);
    await mkdir(join(root, 'live', 's', 'folder.m3u8'));
    await expect(storage.writeAtomic('live/s/folder.m3u8', 'x')).rejects.toMatchObject({ code: 'conflict' });
    expect(await readdir(join(root, 'live', 's'))).toEqual(['folder.m3u8', 'seg-1.ts']);
  });

  it('does not list files whose names start with a dot (temporary files of other writers)', async () => {
    await storage.write('live/s/seg-1.ts', [text('x')]);
    await writeFile(join(root, 'live', 's', '.index.m3u8.abc.tmp'), 'partial');
    expect(await storage.list('live/s')).toEqual(['live/s/seg-1.ts']);
  });

  it.each(['../secret.txt', '../x/index.m3u8', 'live/../../secret.txt', '/' + 'etc/passwd', 'live\\..\\..\\secret.txt', '..'])(
    'never reaches outside the root for %j',
    async (key) => {
      await expect(storage.readAll(key)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.read(key)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.stat(key)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.writeAtomic(key, 'overwritten')).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.deletePrefix(key)).rejects.toBeInstanceOf(StorageKeyError);
      expect(await readFile(join(dir, 'secret.txt'), 'utf8')).toBe(SECRET);
      expect(await readFile(join(dir, 'x', 'index.m3u8'), 'utf8')).toBe(SECRET);
    },
  );

  it('treats a missing root as empty and creates it on the first write', async () => {
    expect(await storage.list('')).toEqual([]);
    expect(await storage.stat('live/s/index.m3u8')).toBeUndefined();
    await storage.writeAtomic('live/s/index.m3u8', '#EXTM3U\n');
    expect(await storage.list('')).toEqual(['live/s/index.m3u8']);
  });

  it('releases the file descriptor of a read stream destroyed before its end', async () => {
    await storage.write('live/s/seg-1.ts', [Buffer.alloc(4 * 1024 * 1024, 1)]);
    const before = openFds();
    for (let i = 0; i < 50; i += 1) {
      const stream = (await storage.read('live/s/seg-1.ts'))! as NodeJS.ReadableStream & { destroy(): void };
      await new Promise<void>((resolve) => stream.once('data', () => resolve()));
      stream.destroy();
      await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    }
    expect(openFds()).toBe(before);
  });

  it('releases the file descriptor of an object that is missing or a folder', async () => {
    await mkdir(join(root, 'live', 's', 'dir.ts'), { recursive: true });
    const before = openFds();
    for (let i = 0; i < 20; i += 1) {
      expect(await storage.read('live/s/dir.ts')).toBeUndefined();
      expect(await storage.stat('live/s/dir.ts')).toBeUndefined();
      expect(await storage.read('live/s/none.ts')).toBeUndefined();
    }
    expect(openFds()).toBe(before);
  });
});
