// MediaFiles hands a write's memory back (its release callback) only once the storage has
// resolved the write and says it copied the bytes: never before, never on a failed write, never
// to a storage that keeps the views it was given (parts in the LiveObjectCache).
import { describe, expect, it } from 'vitest';
import { MediaFiles } from '../../../src/outputs/media-files.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { LiveObjectCache } from '../../../src/storage/live-object-cache.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
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
