// The low-latency object cache: parts, LL playlists and the live MPD are served from memory at
// once, parts become byte ranges of their segment once it is stored, manifests reach the backing
// store by a coalesced write-through (and by flush), deferred manifests are rendered once when
// first read, deletes win over a pending write-through; everything else goes straight through. The MediaStorage contract runs on it in media-storage-contract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveObjectCache } from '../../../src/storage/live-object-cache.js';
import type { MediaStorage } from '../../../src/storage/media-storage.js';
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
    expect(await cache.stat('live/s/v-900.1.m4s'), 'a part read in memory keeps its ETag').toMatchObject({ size: 3, etag: partTag });
    expect(partTag).toMatch(/^"h-/);
    const unread = (await cache.stat('live/s/v-900.0.m4s'))?.etag;
    expect(unread, 'a part nobody read was not hashed: it gets a version tag').toMatch(/^"v-/);
    expect((await cache.stat('live/s/v-900.0.m4s'))?.etag, 'and keeps it').toBe(unread);
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

  it('says it keeps the views of parts (held in memory as given), and copies the rest as its backing store does', async () => {
    const part = text('part');
    await cache.write('live/s/v-0.0.m4s', [part]);
    expect(cache.copiesWrites('live/s/v-0.0.m4s')).toBe(false);
    part.fill(0x2e);
    expect(Buffer.from((await cache.readAll('live/s/v-0.0.m4s'))!).toString(), 'the part is the caller memory').toBe('....');
    expect(cache.copiesWrites('live/s/v-0.m4s')).toBe(true);
    expect(cache.copiesWrites('live/s/seg-3.ts')).toBe(true);
    const undeclared: MediaStorage = Object.assign(Object.create(MemoryStorage.prototype) as MemoryStorage, { copiesWrites: undefined });
    expect(new LiveObjectCache(undeclared, { writeBehindMs: 40 }).copiesWrites('live/s/seg-3.ts'), 'a backing store that does not say').toBe(false);
  });

  it('orders writes only where they reach an ordered backing store: never the objects it shows from memory at once', async () => {
    const ordered: MediaStorage = Object.assign(Object.create(MemoryStorage.prototype) as MemoryStorage, { appliesInOrder: () => true });
    const over = new LiveObjectCache(ordered, { writeBehindMs: 40 });
    expect(over.appliesInOrder('live/s/seg-3.ts')).toBe(true);
    expect(over.appliesInOrder('live/s/index.m3u8')).toBe(true);
    expect(over.appliesInOrder('live/s/v-0.m4s')).toBe(true);
    expect(over.appliesInOrder('live/s/v-0.1.m4s'), 'a part').toBe(false);
    expect(over.appliesInOrder('live/s/ll-v.m3u8'), 'an LL playlist').toBe(false);
    expect(over.appliesInOrder('live/s/index.mpd'), 'the live MPD').toBe(false);
    expect(cache.appliesInOrder('live/s/seg-3.ts'), 'a backing store that does not say').toBe(false);
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

  it('keeps the live MPD in memory like the LL playlists', async () => {
    await cache.writeAtomic('live/s/index.mpd', '<MPD a/>');
    await cache.writeAtomic('live/s/index.mpd', '<MPD b/>');
    expect(inner.written).toEqual([]);
    expect(Buffer.from((await cache.readAll('live/s/index.mpd'))!).toString()).toBe('<MPD b/>');
    await cache.flush();
    expect(inner.written).toEqual(['live/s/index.mpd']);
    expect(Buffer.from((await inner.readAll('live/s/index.mpd'))!).toString()).toBe('<MPD b/>');
  });

  it('renders a deferred manifest once, when it is first read, and never a version nobody read', async () => {
    const rendered: number[] = [];
    const version = (i: number) => () => {
      rendered.push(i);
      return `#EXTM3U\n#${i}\n`;
    };
    for (let i = 0; i < 4; i++) await cache.writeDeferred('live/s/ll-v.m3u8', version(i));
    expect(rendered, 'nothing rendered before a read').toEqual([]);
    expect(cache.memoryObjects).toBe(1);
    const stat = await cache.stat('live/s/ll-v.m3u8');
    expect(stat).toMatchObject({ size: '#EXTM3U\n#3\n'.length });
    expect(Buffer.from((await cache.readAll('live/s/ll-v.m3u8'))!).toString()).toBe('#EXTM3U\n#3\n');
    expect((await drain(await cache.read('live/s/ll-v.m3u8')))?.toString()).toBe('#EXTM3U\n#3\n');
    expect((await cache.stat('live/s/ll-v.m3u8'))?.etag, 'the same version keeps its ETag').toBe(stat?.etag);
    expect(rendered, 'only the newest version, once').toEqual([3]);
    await cache.writeDeferred('live/s/ll-v.m3u8', version(4));
    expect((await cache.stat('live/s/ll-v.m3u8'))?.etag).not.toBe(stat?.etag);
    await cache.writeDeferred('live/s/ll-v.m3u8', version(5));
    await cache.flush();
    expect(rendered, 'the write-through renders the newest version').toEqual([3, 4, 5]);
    expect(Buffer.from((await inner.readAll('live/s/ll-v.m3u8'))!).toString()).toBe('#EXTM3U\n#5\n');
  });

  it('serves the last version rendered when a deferred manifest cannot be rendered, and reports it', async () => {
    const errors: string[] = [];
    cache = new LiveObjectCache(inner, { writeBehindMs: 40, onError: (err, key) => errors.push(`${key}: ${(err as Error).message}`) });
    await cache.writeDeferred('live/s/ll-a.m3u8', () => '#EXTM3U\n#good\n');
    expect(await cache.stat('live/s/ll-a.m3u8')).toBeDefined();
    await cache.writeDeferred('live/s/ll-a.m3u8', () => {
      throw new Error('bad playlist');
    });
    expect(Buffer.from((await cache.readAll('live/s/ll-a.m3u8'))!).toString()).toBe('#EXTM3U\n#good\n');
    expect(errors).toEqual(['live/s/ll-a.m3u8: bad playlist']);
    await cache.writeDeferred('live/s/ll-a-delta.m3u8', () => {
      throw new Error('no version yet');
    });
    expect(await cache.stat('live/s/ll-a-delta.m3u8'), 'no version at all: missing').toBeUndefined();
  });

  it('renders a deferred object that is not a live manifest at once, into the backing store', async () => {
    await cache.writeDeferred('live/s/index.m3u8', () => '#EXTM3U\n#ts\n');
    expect(inner.written).toEqual(['live/s/index.m3u8']);
    expect(Buffer.from((await inner.readAll('live/s/index.m3u8'))!).toString()).toBe('#EXTM3U\n#ts\n');
  });

  it('refuses bad keys like the backing store', async () => {
    await expect(cache.write('../x/v-1.0.m4s', [text('x')])).rejects.toMatchObject({ code: 'invalid-key' });
    await expect(cache.writeAtomic('a/../ll-v.m3u8', 'x')).rejects.toMatchObject({ code: 'invalid-key' });
  });
});
