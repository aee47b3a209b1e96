// MediaStorage in process memory, with the same semantics as DiskStorage: for tests and for an
// origin-only role fed from elsewhere. Objects are copied on write and on readAll.
import { Readable } from 'node:stream';
import { checkByteRange, toViews, type ByteRange, type MediaStorage, type StagedWrite, type StoredObject } from './media-storage.js';
import { CONTENT_ETAG_MAX_BYTES, contentEtag, versionEtag } from './object-etag.js';
import { StorageError, type StorageOperation } from './storage-errors.js';
import { checkStorageKey, normalizePrefix } from './storage-key.js';

interface MemoryObject extends StoredObject {
  readonly bytes: Buffer;
}

export interface MemoryStorageOptions {
  /** Clock for mtimeMs; defaults to Date.now. */
  readonly nowMs?: () => number;
}

/** Streams hand out at most this many bytes per chunk, like a file read stream. */
const READ_CHUNK_BYTES = 64 * 1024;

export class MemoryStorage implements MediaStorage {
  private readonly objects = new Map<string, MemoryObject>();
  /** How many objects lie below each folder, so a key can be checked against folders in O(depth). */
  private readonly folderCounts = new Map<string, number>();
  private readonly nowMs: () => number;
  private writes = 0;

  constructor(options: MemoryStorageOptions = {}) {
    this.nowMs = options.nowMs ?? (() => Date.now());
  }

  async write(key: string, data: readonly Uint8Array[]): Promise<StoredObject> {
    return this.publish('write', key, data);
  }

  async writeAtomic(key: string, data: string | readonly Uint8Array[]): Promise<StoredObject> {
    return this.publish('writeAtomic', key, toViews(data));
  }

  /** Pieces are copied as they come and published as one object by commit. */
  beginWrite(key: string): StagedWrite {
    checkStorageKey('write', key);
    const pieces: Buffer[] = [];
    return {
      append: async (data) => {
        pieces.push(Buffer.concat(data));
      },
      commit: async (data) => this.publish('write', key, [...pieces, ...data]),
      abort: async () => {
        pieces.length = 0;
      },
    };
  }

  /** Objects are stored as a copy of the views given. */
  copiesWrites(): boolean {
    return true;
  }

  async append(key: string, data: readonly Uint8Array[]): Promise<void> {
    checkStorageKey('append', key);
    const existing = this.objects.get(key);
    await this.publish('append', key, existing ? [existing.bytes, ...data] : data);
  }

  async writeStream(key: string, source: AsyncIterable<Uint8Array>): Promise<StoredObject> {
    checkStorageKey('writeStream', key);
    const chunks: Uint8Array[] = [];
    for await (const chunk of source) chunks.push(chunk);
    return this.publish('writeStream', key, chunks);
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    checkStorageKey('stat', key);
    const object = this.objects.get(key);
    return object && { size: object.size, mtimeMs: object.mtimeMs, etag: object.etag };
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream | undefined> {
    checkStorageKey('read', key);
    if (range !== undefined) checkByteRange('read', key, range);
    const object = this.objects.get(key);
    if (object === undefined) return undefined;
    const bytes = range === undefined ? object.bytes : object.bytes.subarray(range.start, range.end + 1);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.byteLength; at += READ_CHUNK_BYTES) chunks.push(bytes.subarray(at, at + READ_CHUNK_BYTES));
    return Readable.from(chunks, { objectMode: false });
  }

  async readAll(key: string): Promise<Uint8Array | undefined> {
    checkStorageKey('readAll', key);
    const object = this.objects.get(key);
    return object && Buffer.from(object.bytes);
  }

  async delete(key: string): Promise<void> {
    checkStorageKey('delete', key);
    this.remove(key);
  }

  async deletePrefix(prefix: string): Promise<void> {
    const folder = `${normalizePrefix('deletePrefix', prefix, false)}/`;
    for (const key of [...this.objects.keys()]) {
      if (key.startsWith(folder)) this.remove(key);
    }
  }

  async folders(prefix: string): Promise<string[]> {
    const folder = normalizePrefix('folders', prefix, true);
    const start = folder === '' ? '' : `${folder}/`;
    const names = new Set<string>();
    for (const f of this.folderCounts.keys()) {
      if (f.startsWith(start) && !f.slice(start.length).includes('/')) names.add(f.slice(start.length));
    }
    return [...names].sort();
  }

  async list(prefix: string): Promise<string[]> {
    const folder = normalizePrefix('list', prefix, true);
    const start = folder === '' ? '' : `${folder}/`;
    return [...this.objects.keys()].filter((key) => key.startsWith(start)).sort();
  }

  private async publish(operation: StorageOperation, key: string, data: readonly Uint8Array[]): Promise<StoredObject> {
    checkStorageKey(operation, key);
    this.checkNoClash(operation, key);
    const bytes = Buffer.concat(data); // the one copy the store keeps; callers may reuse their views
    const mtimeMs = this.nowMs();
    this.writes += 1;
    const etag = bytes.byteLength <= CONTENT_ETAG_MAX_BYTES ? contentEtag([bytes]) : versionEtag(bytes.byteLength, mtimeMs, this.writes);
    const object: MemoryObject = { size: bytes.byteLength, mtimeMs, etag, bytes };
    if (!this.objects.has(key)) for (const folder of ancestors(key)) this.folderCounts.set(folder, (this.folderCounts.get(folder) ?? 0) + 1);
    this.objects.set(key, object);
    return { size: object.size, mtimeMs, etag };
  }

  /** Mirrors the file system: an object cannot also be a folder, nor sit below another object. */
  private checkNoClash(operation: StorageOperation, key: string): void {
    if (this.folderCounts.has(key) || ancestors(key).some((folder) => this.objects.has(folder))) {
      throw new StorageError('conflict', operation, key, 'the key or one of its folders clashes with an existing object or folder');
    }
  }

  private remove(key: string): void {
    if (!this.objects.delete(key)) return;
    for (const folder of ancestors(key)) {
      const count = (this.folderCounts.get(folder) ?? 1) - 1;
      if (count === 0) this.folderCounts.delete(folder);
      else this.folderCounts.set(folder, count);
    }
  }
}

/** "a/b/c" → ["a", "a/b"]. */
function ancestors(key: string): string[] {
  const out: string[] = [];
  for (let at = key.indexOf('/'); at !== -1; at = key.indexOf('/', at + 1)) out.push(key.slice(0, at));
  return out;
}
