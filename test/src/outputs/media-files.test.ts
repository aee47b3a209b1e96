// MediaFiles hands a write's memory back (its release callback) only once the storage has
// resolved the write and says it copied the bytes: never before, never on a failed write, never
// to a storage that keeps the views it was given (parts in the LiveObjectCache).
import { describe, expect, it } from 'vitest';
import { MediaFiles } from '../../../src/outputs/media-files.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { LiveObjectCache } from '../../../src/storage/live-object-cache.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import type { MediaStorage } from '../../../src/storage/media-storage.js';
import { StorageError } from '../../../src/storage/storage-errors.js';

const { logger: log } = createMemoryLogger();
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A MemoryStorage whose writes wait until the test lets them finish. */
class GatedStorage extends MemoryStorage {
  private gates: (() => void)[] = [];
  fail = false;
  override async write(key: string, data: readonly Uint8Array[]) {
    await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.fail) throw new StorageError('io', 'write', key, 'disk full');
    return super.write(key, data);
  }
  /** Lets the writes waiting (at least one) finish. */
  async open(): Promise<void> {
    while (this.gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    for (const g of this.gates.splice(0)) g();
  }
}

/** The storage's methods as an object of bound functions, to be overridden one by one. */
function bindAll(storage: MemoryStorage): MediaStorage {
  const proto = Object.getPrototypeOf(storage) as Record<string, unknown>;
  const names = new Set([...Object.getOwnPropertyNames(proto), ...Object.getOwnPropertyNames(MemoryStorage.prototype)]);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const fn = (storage as unknown as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof fn === 'function') out[name] = (fn as (...a: unknown[]) => unknown).bind(storage);
  }
  return out as unknown as MediaStorage;
}

describe('MediaFiles', () => {
  it('releases a written segment after the storage has copied it, not before', async () => {
    const storage = new GatedStorage();
    const files = new MediaFiles(storage, 'live/s/', log);
    const released: string[] = [];
    files.write('seg-1.ts', [bytes('ts')], undefined, () => released.push('seg-1.ts'));
    await new Promise((r) => setTimeout(r, 5));
    expect(released, 'still being written').toEqual([]);
    await storage.open();
    await files.idle();
    expect(released).toEqual(['seg-1.ts']);
    expect(Buffer.from((await storage.readAll('live/s/seg-1.ts'))!).toString()).toBe('ts');
  });

  it('does not release memory when the write failed', async () => {
    const storage = new GatedStorage();
    storage.fail = true;
    const memory = createMemoryLogger();
    const files = new MediaFiles(storage, 'live/s/', memory.logger);
    let released = false;
    files.write('seg-1.ts', [bytes('ts')], undefined, () => (released = true));
    await storage.open();
    await files.idle();
    expect(released).toBe(false);
    expect(memory.entries.map((e) => e.msg)).toContain('media write failed');
  });

  it('writes a segment in pieces on storage that stages writes: each piece released once stored, nothing visible before the end', async () => {
    const storage = new MemoryStorage();
    const files = new MediaFiles(storage, 'live/s/', log);
    const released: string[] = [];
    files.writePiece('seg-1.ts', [bytes('ab')], () => released.push('piece 1'));
    files.writePiece('seg-1.ts', [bytes('cd')], () => released.push('piece 2'));
    await files.idle();
    expect(released, 'pieces released as they are stored').toEqual(['piece 1', 'piece 2']);
    expect(await storage.stat('live/s/seg-1.ts'), 'not published yet').toBeUndefined();
    let listed = false;
    files.finishPieces('seg-1.ts', [bytes('e')], () => (listed = true), () => released.push('tail'));
    await files.idle();
    expect(Buffer.from((await storage.readAll('live/s/seg-1.ts'))!).toString()).toBe('abcde');
    expect(released).toEqual(['piece 1', 'piece 2', 'tail']);
    expect(listed).toBe(true);
  });

  it('holds the pieces and writes them whole where the storage cannot stage (parts of the LiveObjectCache keep the views)', async () => {
    const storage = new GatedStorage();
    const plain: MediaStorage = { ...bindAll(storage), beginWrite: undefined };
    const files = new MediaFiles(plain, 'live/s/', log);
    const released: string[] = [];
    files.writePiece('seg-2.ts', [bytes('ab')], () => released.push('piece'));
    files.finishPieces('seg-2.ts', [bytes('c')], undefined, () => released.push('tail'));
    await new Promise((r) => setTimeout(r, 5));
    expect(released, 'held until the whole object is written').toEqual([]);
    await storage.open();
    await files.idle();
    expect(Buffer.from((await storage.readAll('live/s/seg-2.ts'))!).toString()).toBe('abc');
    expect(released).toEqual(['piece', 'tail']);
  });

  it('a piece that cannot be stored fails its object: nothing is published, the staged bytes are dropped, the error is logged', async () => {
    const storage = new MemoryStorage();
    const aborted: string[] = [];
    const failing: MediaStorage = {
      ...bindAll(storage),
      beginWrite: (key) => ({
        append: async () => {
          throw new StorageError('io', 'write', key, 'disk full');
        },
        commit: async () => {
          throw new Error('not reached');
        },
        abort: async () => {
          aborted.push(key);
        },
      }),
    };
    const memory = createMemoryLogger();
    const files = new MediaFiles(failing, 'live/s/', memory.logger);
    let listed = false;
    files.writePiece('seg-3.ts', [bytes('ab')]);
    files.writePiece('seg-3.ts', [bytes('cd')]);
    files.finishPieces('seg-3.ts', [bytes('e')], () => (listed = true));
    files.write('seg-4.ts', [bytes('next')]);
    await files.idle();
    expect(await storage.stat('live/s/seg-3.ts')).toBeUndefined();
    expect(aborted).toEqual(['live/s/seg-3.ts']);
    expect(listed, 'a failed object is not announced').toBe(false);
    expect(memory.entries.filter((e) => e.msg === 'media write failed').length, 'the first piece and the end').toBe(2);
    expect(Buffer.from((await storage.readAll('live/s/seg-4.ts'))!).toString(), 'later writes go on').toBe('next');
  });

  it('does not release memory the storage keeps (a part held by the LiveObjectCache)', async () => {
    const cache = new LiveObjectCache(new MemoryStorage(), { writeBehindMs: 40 });
    const files = new MediaFiles(cache, 'live/s/', log);
    const released: string[] = [];
    files.write('v-0.0.m4s', [bytes('part')], undefined, () => released.push('part'));
    files.write('seg-1.ts', [bytes('ts')], undefined, () => released.push('segment'));
    await files.idle();
    expect(released).toEqual(['segment']);
    await cache.flush();
  });
});
