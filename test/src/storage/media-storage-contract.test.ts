// The MediaStorage contract, run against every backend: views, ranges, ETags, atomic replace,
// folder semantics of list/delete/deletePrefix, and clashes between objects and folders.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaStorage } from '../../../src/storage/media-storage.js';
import { CONTENT_ETAG_MAX_BYTES } from '../../../src/storage/object-etag.js';
import { StorageError } from '../../../src/storage/storage-errors.js';
import { STORAGE_BACKENDS, drain, text, type StorageFixture } from './storage-backends.js';

describe.each(STORAGE_BACKENDS)('%s', (_name, create) => {
  let fixture: StorageFixture;
  let storage: MediaStorage;
  beforeEach(async () => {
    fixture = await create();
    storage = fixture.storage;
  });
  afterEach(async () => fixture.dispose());

  describe('write and read', () => {
    it('writes a list of views (subarrays included) as one object and reports it like stat', async () => {
      const backing = text('xxHELLOyy');
      const written = await storage.write('live/s/seg-1.ts', [text('ab'), backing.subarray(2, 7), new Uint8Array(0), text('!')]);
      expect(Buffer.from((await storage.readAll('live/s/seg-1.ts'))!).toString()).toBe('abHELLO!');
      expect(written.size).toBe(8);
      expect(await storage.stat('live/s/seg-1.ts')).toEqual(written);
    });

    it('keeps its own copy: changing the caller views afterwards changes nothing', async () => {
      expect(storage.copiesWrites?.('a/b/c.m4s'), 'it says so, so callers may reuse the memory').toBe(true);
      const view = text('abcd');
      await storage.write('a/b/c.m4s', [view]);
      view.fill(0);
      const copy = (await storage.readAll('a/b/c.m4s'))!;
      copy.fill(1);
      expect(Buffer.from((await storage.readAll('a/b/c.m4s'))!).toString()).toBe('abcd');
    });

    it('creates parent folders and stores empty objects', async () => {
      await storage.write('deep/er/and/deeper/init.mp4', []);
      expect((await storage.stat('deep/er/and/deeper/init.mp4'))?.size).toBe(0);
      expect(await drain(await storage.read('deep/er/and/deeper/init.mp4'))).toEqual(Buffer.alloc(0));
    });

    it('writeAtomic takes a string (UTF-8) or views, and replaces the previous object', async () => {
      await storage.writeAtomic('live/s/index.m3u8', '#EXTM3U\n# é\n');
      expect(Buffer.from((await storage.readAll('live/s/index.m3u8'))!).toString('utf8')).toBe('#EXTM3U\n# é\n');
      expect((await storage.stat('live/s/index.m3u8'))?.size).toBe(13);
      await storage.writeAtomic('live/s/index.m3u8', [text('#EXTM3U'), text('\n')]);
      expect(Buffer.from((await storage.readAll('live/s/index.m3u8'))!).toString()).toBe('#EXTM3U\n');
    });

    it('beginWrite publishes pieces as one object at commit, and nothing of it before', async () => {
      const staged = storage.beginWrite?.('live/s/seg-7.ts');
      expect(staged, 'every backend here stages segment writes').toBeDefined();
      await storage.write('live/s/seg-7.ts', [text('old')]);
      const piece = text('ab');
      await staged!.append([piece, text('cd')]);
      piece.fill(0); // the storage has the bytes once append resolved
      await staged!.append([text('ef')]);
      expect(Buffer.from((await storage.readAll('live/s/seg-7.ts'))!).toString(), 'readers still see the object before').toBe('old');
      expect(await storage.list('live/s'), 'no staged object listed').toEqual(['live/s/seg-7.ts']);
      const stored = await staged!.commit([text('g')]);
      expect(Buffer.from((await storage.readAll('live/s/seg-7.ts'))!).toString()).toBe('abcdefg');
      expect(stored.size).toBe(7);
      expect(await storage.stat('live/s/seg-7.ts')).toMatchObject({ size: 7, mtimeMs: stored.mtimeMs });
      expect(await storage.list('live/s')).toEqual(['live/s/seg-7.ts']);
    });

    it('an aborted staged write leaves nothing, and a clashing one fails at its first piece', async () => {
      const staged = storage.beginWrite?.('live/s/seg-8.ts');
      await staged!.append([text('abc')]);
      await staged!.abort();
      expect(await storage.stat('live/s/seg-8.ts')).toBeUndefined();
      expect(await storage.list('live/s')).toEqual([]);
      await storage.write('live/file', [text('x')]);
      const clash = storage.beginWrite?.('live/file/seg-1.ts');
      // Memory copies pieces and meets the clash at commit; disk meets it when creating the file.
      const first = clash!.append([text('y')]).then(() => clash!.commit([]));
      await expect(first).rejects.toMatchObject({ code: 'conflict' });
      await clash!.abort();
      expect(Buffer.from((await storage.readAll('live/file'))!).toString()).toBe('x');
    });

    it('append creates an object and its folders, then adds to its end', async () => {
      await storage.append('vod/a/b/r1/v-0.m4s', [text('ab'), text('c')]);
      await storage.append('vod/a/b/r1/v-0.m4s', [text('de')]);
      expect(Buffer.from((await storage.readAll('vod/a/b/r1/v-0.m4s'))!).toString()).toBe('abcde');
      expect((await storage.stat('vod/a/b/r1/v-0.m4s'))?.size).toBe(5);
      await storage.write('vod/a/file', [text('x')]);
      await expect(storage.append('vod/a/file/below', [text('y')])).rejects.toMatchObject({ code: 'conflict' });
    });

    it('writeStream publishes a streamed object whole and replaces an older one', async () => {
      await storage.writeStream('vod/a/b/r1/recording.mp4', (async function* () {
        yield text('one,');
        yield text('two');
      })());
      expect(Buffer.from((await storage.readAll('vod/a/b/r1/recording.mp4'))!).toString()).toBe('one,two');
      const failing = (async function* () {
        yield text('partial');
        throw new Error('source failed');
      })();
      await expect(storage.writeStream('vod/a/b/r1/recording.mp4', failing)).rejects.toThrow(/source failed/);
      expect(Buffer.from((await storage.readAll('vod/a/b/r1/recording.mp4'))!).toString()).toBe('one,two');
      expect(await storage.list('vod/a/b/r1')).toEqual(['vod/a/b/r1/recording.mp4']);
      const stat = await storage.writeStream('vod/a/b/r1/recording.mp4', (async function* () { yield text('new'); })());
      expect(stat.size).toBe(3);
    });

    it('answers undefined for missing objects, for folders, and below missing folders', async () => {
      await storage.write('live/s/seg-1.ts', [text('x')]);
      for (const key of ['live/s/seg-2.ts', 'live/s', 'live/s/seg-1.ts/x', 'nothing/here']) {
        expect(await storage.stat(key)).toBeUndefined();
        expect(await storage.read(key)).toBeUndefined();
        expect(await storage.readAll(key)).toBeUndefined();
      }
    });

    it('reads inclusive byte ranges, clamping an end past the object', async () => {
      await storage.write('r/s/seg-1.ts', [text('0123456789')]);
      const range = async (start: number, end: number) => (await drain(await storage.read('r/s/seg-1.ts', { start, end })))!.toString();
      expect(await range(0, 0)).toBe('0');
      expect(await range(2, 5)).toBe('2345');
      expect(await range(7, 100)).toBe('789');
      expect(await range(10, 20)).toBe('');
      expect((await drain(await storage.read('r/s/seg-1.ts')))!.toString()).toBe('0123456789');
    });

    it('refuses invalid ranges with StorageError invalid-range', async () => {
      await storage.write('r/s/seg-1.ts', [text('0123')]);
      for (const range of [{ start: 3, end: 2 }, { start: -1, end: 2 }, { start: 0.5, end: 2 }, { start: 0, end: Number.NaN }]) {
        await expect(storage.read('r/s/seg-1.ts', range)).rejects.toMatchObject({ code: 'invalid-range', operation: 'read' });
      }
    });

    it('streams large objects in several chunks', async () => {
      const big = Buffer.alloc(1024 * 1024 + 5, 7);
      await storage.write('b/s/seg-1.ts', [big]);
      const stream = (await storage.read('b/s/seg-1.ts'))!;
      let chunks = 0;
      let total = 0;
      for await (const chunk of stream) {
        chunks += 1;
        total += (chunk as Buffer).byteLength;
      }
      expect(total).toBe(big.byteLength);
      expect(chunks).toBeGreaterThan(1);
    });
  });

  describe('ETags', () => {
    it('are quoted strong tags, equal for equal small content and different for different content of the same size', async () => {
      const a = await storage.writeAtomic('e/s/a.m3u8', '#EXTM3U\n#A\n');
      const b = await storage.writeAtomic('e/s/b.m3u8', '#EXTM3U\n#A\n');
      const c = await storage.writeAtomic('e/s/a.m3u8', '#EXTM3U\n#B\n');
      expect(a.etag).toMatch(/^"[!#-~]+"$/);
      expect(b.etag).toBe(a.etag);
      expect(c.etag).not.toBe(a.etag);
      expect((await storage.stat('e/s/a.m3u8'))?.etag).toBe(c.etag);
    });

    it('change on every rewrite of a large object, even with the same size', async () => {
      const size = CONTENT_ETAG_MAX_BYTES + 1;
      const first = await storage.write('e/s/seg-1.ts', [Buffer.alloc(size, 1)]);
      const second = await storage.write('e/s/seg-1.ts', [Buffer.alloc(size, 2)]);
      expect(second.size).toBe(size);
      expect(second.etag).not.toBe(first.etag);
      expect((await storage.stat('e/s/seg-1.ts'))?.etag).toBe(second.etag);
    });
  });

  it('never shows a partly written playlist to concurrent readers during 200 rewrites', async () => {
    const key = 'live/atomic/index.m3u8';
    const version = (i: number) => `#EXTM3U\n${`#EXTINF:2.000,\nseg-${i}.ts\n`.repeat(1 + (i % 17) * 40)}#END ${i}\n`;
    const isWhole = (s: string) => {
      const end = /#END (\d+)\n$/.exec(s);
      return s.startsWith('#EXTM3U\n') && end !== null && s === version(Number(end[1]));
    };
    await storage.writeAtomic(key, version(0));
    let done = false;
    const seen = { reads: 0, bad: [] as string[] };
    const reader = async (stream: boolean) => {
      while (!done) {
        const body = stream ? (await drain(await storage.read(key)))!.toString() : Buffer.from((await storage.readAll(key))!).toString();
        seen.reads += 1;
        if (!isWhole(body)) seen.bad.push(body.slice(-40));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const writer = async () => {
      for (let i = 1; i <= 200; i += 1) {
        await storage.writeAtomic(key, version(i));
        await new Promise((resolve) => setImmediate(resolve));
      }
      done = true;
    };
    await Promise.all([writer(), reader(false), reader(false), reader(true), reader(true)]);
    expect(seen.bad).toEqual([]);
    expect(seen.reads).toBeGreaterThan(20);
    expect(Buffer.from((await storage.readAll(key))!).toString()).toBe(version(200));
  });

  describe('list, delete, deletePrefix', () => {
    const KEYS = ['live/a/index.m3u8', 'live/a/seg-1.ts', 'live/a/sub/init.mp4', 'live/ab/seg-1.ts', 'vod/x/seg-1.ts'];
    beforeEach(async () => {
      for (const key of KEYS) await storage.write(key, [text(key)]);
    });

    it('lists every key below a folder, recursively and sorted; the trailing slash is optional', async () => {
      expect(await storage.list('live/a')).toEqual(['live/a/index.m3u8', 'live/a/seg-1.ts', 'live/a/sub/init.mp4']);
      expect(await storage.list('live/a/')).toEqual(await storage.list('live/a'));
      expect(await storage.list('live')).toEqual(KEYS.slice(0, 4));
      expect(await storage.list('')).toEqual(KEYS);
      expect(await storage.list('live/a/index.m3u8')).toEqual([]);
      expect(await storage.list('missing/folder')).toEqual([]);
    });

    it('names the folders directly below a folder, sorted, without files or deeper folders', async () => {
      await storage.write('tree/b/seg-1.ts', [text('x')]);
      await storage.write('tree/a/deep/seg-1.ts', [text('x')]);
      await storage.write('tree/file.txt', [text('x')]);
      await storage.write('vod/live/a/r/x.m4s', [text('x')]);
      expect(await storage.folders('')).toEqual(expect.arrayContaining(['tree', 'vod']));
      expect(await storage.folders('')).not.toContain('tree/a');
      expect(await storage.folders('tree')).toEqual(['a', 'b']);
      expect(await storage.folders('tree/a/')).toEqual(['deep']);
      expect(await storage.folders('missing')).toEqual([]);
    });

    it('deletes one object; deleting a missing object or a folder name does nothing', async () => {
      await storage.delete('live/a/seg-1.ts');
      await storage.delete('live/a/seg-1.ts');
      await storage.delete('live/a/sub');
      await storage.delete('no/such/key');
      expect(await storage.stat('live/a/seg-1.ts')).toBeUndefined();
      expect(await storage.list('')).toEqual(KEYS.filter((k) => k !== 'live/a/seg-1.ts'));
    });

    it('deletes a whole folder without touching a sibling whose name starts the same', async () => {
      await storage.deletePrefix('live/a');
      expect(await storage.list('')).toEqual(['live/ab/seg-1.ts', 'vod/x/seg-1.ts']);
      await storage.deletePrefix('live/a/');
      await storage.deletePrefix('never/existed');
      await storage.deletePrefix('vod/x/seg-1.ts'); // an object, not a folder
      expect(await storage.list('')).toEqual(['live/ab/seg-1.ts', 'vod/x/seg-1.ts']);
    });

    it('refuses to delete the root', async () => {
      for (const prefix of ['', '/']) await expect(storage.deletePrefix(prefix)).rejects.toMatchObject({ code: 'invalid-key' });
      expect(await storage.list('')).toEqual(KEYS);
    });

    it('lets a stream folder be written again after deletePrefix', async () => {
      await storage.deletePrefix('live/a');
      await storage.write('live/a/seg-1.ts', [text('again')]);
      expect(await storage.list('live/a')).toEqual(['live/a/seg-1.ts']);
    });

    it('refuses an object where a folder is, or below an object, with StorageError conflict', async () => {
      await expect(storage.write('live/a', [text('x')])).rejects.toMatchObject({ code: 'conflict', key: 'live/a' });
      await expect(storage.writeAtomic('live/a/seg-1.ts/x', 'x')).rejects.toBeInstanceOf(StorageError);
      expect(await storage.list('')).toEqual(KEYS);
    });
  });
});
