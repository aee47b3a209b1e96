// The low-latency object cache: parts and LL playlists are served from memory at once, parts
// become byte ranges of their segment once it is stored, playlists reach the backing store by a
// coalesced write-through (and by flush), deletes win over a pending write-through; everything
// else goes straight through. The MediaStorage contract runs on it in media-storage-contract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveObjectCache } from '../../../src/storage/live-object-cache.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { drain, text } from './storage-backends.js';

class CountingStorage extends MemoryStorage {
  readonly written: string[] = [];
  override async write(key: string, data: readonly Uint8Array[]) {
    this.written.push(key);
    return super.write(key, data);
  }
  override async writeAtomic(key: string, data: string | readonly Uint8Array[]) {
    this.written.push(key);
    return super.writeAtomic(key, data);
  }
}

describe('LiveObjectCache', () => {
  let inner: CountingStorage;
  let cache: LiveObjectCache;
  beforeEach(() => {
    inner = new CountingStorage();
    cache = new LiveObjectCache(inner, { writeBehindMs: 40 });
  });
  afterEach(async () => cache.flush());

  it('keeps parts in memory until their segment is stored, then serves them as ranges of it', async () => {
    await cache.write('live/s/v-900.0.m4s', [text('AAAA')]);
    await cache.write('live/s/v-900.1.m4s', [text('BB'), text('B')]);
    expect(inner.written, 'no part reaches the backing store').toEqual([]);
    expect(Buffer.from((await cache.readAll('live/s/v-900.1.m4s'))!).toString()).toBe('BBB');
    const partTag = (await cache.stat('live/s/v-900.1.m4s'))?.etag;
    expect(cache.memoryObjects).toBe(2);
    await cache.write('live/s/v-900.m4s', [text('AAAA'), text('BBB')]);
    expect(inner.written).toEqual(['live/s/v-900.m4s']);
    expect(cache.memoryObjects, 'the parts hold no bytes any more').toBe(0);
    expect(Buffer.from((await cache.readAll('live/s/v-900.1.m4s'))!).toString()).toBe('BBB');
    expect((await drain(await cache.read('live/s/v-900.1.m4s', { start: 1, end: 5 })))?.toString(), 'a range of a part, clamped to it').toBe('BB');
    expect(await cache.stat('live/s/v-900.1.m4s')).toMatchObject({ size: 3, etag: partTag });
    expect(await cache.list('live/s')).toEqual(['live/s/v-900.0.m4s', 'live/s/v-900.1.m4s', 'live/s/v-900.m4s']);
    await cache.delete('live/s/v-900.0.m4s');
    expect(await cache.stat('live/s/v-900.0.m4s')).toBeUndefined();
  });

  it('keeps parts in memory when the segment stored is not made of them', async () => {
    await cache.write('live/s/a-5.0.m4s', [text('xy')]);
    await cache.write('live/s/a-5.m4s', [text('something else')]);
    expect(cache.memoryObjects).toBe(1);
    expect(Buffer.from((await cache.readAll('live/s/a-5.0.m4s'))!).toString()).toBe('xy');
  });

  it('serves LL playlists from memory and writes only the newest version through, once per interval', async () => {
    for (let i = 0; i < 5; i++) await cache.writeAtomic('live/s/ll-v.m3u8', `#EXTM3U\n#${i}\n`);
    await cache.writeAtomic('live/s/ll-v-delta.m3u8', '#EXTM3U\n#delta\n');
    expect(Buffer.from((await cache.readAll('live/s/ll-v.m3u8'))!).toString()).toBe('#EXTM3U\n#4\n');
    expect(inner.written).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
    expect(inner.written.sort()).toEqual(['live/s/ll-v-delta.m3u8', 'live/s/ll-v.m3u8']);
    expect(Buffer.from((await inner.readAll('live/s/ll-v.m3u8'))!).toString()).toBe('#EXTM3U\n#4\n');
    await cache.writeAtomic('live/s/ll-v.m3u8', '#EXTM3U\n#final\n#EXT-X-ENDLIST\n');
    await cache.flush();
    expect(Buffer.from((await inner.readAll('live/s/ll-v.m3u8'))!).toString(), 'flush writes the last version at once').toContain('#EXT-X-ENDLIST');
  });

  it('passes everything else straight through, and a delete wins over a pending write-through', async () => {
    await cache.writeAtomic('live/s/index.m3u8', '#EXTM3U\n');
    await cache.write('live/s/seg-1.ts', [text('ts')]);
    expect(inner.written).toEqual(['live/s/index.m3u8', 'live/s/seg-1.ts']);
    await cache.writeAtomic('live/s/ll-a.m3u8', '#EXTM3U\n');
    await cache.deletePrefix('live/s');
    await new Promise((r) => setTimeout(r, 80));
    expect(await inner.list('live'), 'nothing written after the folder was deleted').toEqual([]);
    expect(await cache.list('live')).toEqual([]);
  });

  it('refuses bad keys like the backing store', async () => {
    await expect(cache.write('../x/v-1.0.m4s', [text('x')])).rejects.toMatchObject({ code: 'invalid-key' });
    await expect(cache.writeAtomic('a/../ll-v.m3u8', 'x')).rejects.toMatchObject({ code: 'invalid-key' });
  });
});
