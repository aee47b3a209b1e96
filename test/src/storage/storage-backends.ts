// The MediaStorage backends every contract test runs against, each in a fresh state.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStorage } from '../../../src/storage/disk-storage.js';
import type { MediaStorage } from '../../../src/storage/media-storage.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { LiveObjectCache } from '../../../src/storage/live-object-cache.js';

export interface StorageFixture {
  readonly storage: MediaStorage;
  dispose(): Promise<void>;
}

export const STORAGE_BACKENDS: readonly (readonly [string, () => Promise<StorageFixture>])[] = [
  [
    'DiskStorage',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'onramp-storage-'));
      return { storage: new DiskStorage(join(dir, 'media')), dispose: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  ['MemoryStorage', async () => ({ storage: new MemoryStorage(), dispose: async () => undefined })],
  [
    'LiveObjectCache over DiskStorage',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'onramp-storage-'));
      const storage = new LiveObjectCache(new DiskStorage(join(dir, 'media')), { writeBehindMs: 50 });
      return { storage, dispose: async () => { await storage.flush(); await rm(dir, { recursive: true, force: true }); } };
    },
  ],
];

export async function drain(stream: NodeJS.ReadableStream | undefined): Promise<Buffer | undefined> {
  if (stream === undefined) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
