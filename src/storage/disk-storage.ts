// MediaStorage on the local file system under config.mediaDir: objects published by
// write-to-temp-then-rename in the same folder, keys confined to the root. Whole-object writes and
// appends go to the file writer's threads (one message each); everything else is fs/promises.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { checkByteRange, toViews, type ByteRange, type MediaStorage, type StagedWrite, type StoredObject } from './media-storage.js';
import { CONTENT_ETAG_MAX_BYTES, byteLength, contentEtag, contentEtagOf, versionEtag } from './object-etag.js';
import { sharedFileWriter, type FileWriter } from './file-writer.js';
import { StorageError, StorageKeyError, type StorageOperation } from './storage-errors.js';
import { checkStorageKey, normalizePrefix } from './storage-key.js';

/** Part of every temp name: this process's id and a random tag. */
const TEMP_TAG = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;

/** Errors that mean "no such object" for a reader. */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

export class DiskStorage implements MediaStorage {
  readonly root: string;
  /** Folders known to exist: a write into one skips mkdir (one file-system call fewer per object). */
  private readonly knownFolders = new Set<string>();
  private tempCounter = 0;

  constructor(
    rootDir: string,
    private readonly writer: FileWriter = sharedFileWriter(),
  ) {
    this.root = resolve(rootDir);
  }

  async write(key: string, data: readonly Uint8Array[]): Promise<StoredObject> {
    return this.publish('write', key, data);
  }

  async writeAtomic(key: string, data: string | readonly Uint8Array[]): Promise<StoredObject> {
    return this.publish('writeAtomic', key, toViews(data));
  }

  /** Pieces go to one writer thread, which keeps the temporary file open between them; commit
   *  renames it into place. A staged object is always large, so it gets a version ETag. */
  beginWrite(key: string): StagedWrite {
    const path = this.pathOf('write', key);
    const file = this.writer.stage(this.tempPath(dirname(path), key));
    const asStorageError = (err: unknown): never => {
      throw clashOrIo('write', key, err);
    };
    let size = 0;
    return {
      append: (data) => {
        size += byteLength(data);
        return file.append(data).catch(asStorageError);
      },
      commit: async (data) => {
        size += byteLength(data);
        const st = await file.publish(path, data).catch(asStorageError);
        return { size, mtimeMs: toMs(st.mtimeNs), etag: versionEtag(size, st.mtimeNs, st.ino) };
      },
      abort: () =>
        file.abort().catch((err: unknown) => {
          throw ioError('write', key, err);
        }),
    };
  }

  /** With one writer thread, requests are applied first in, first out. */
  appliesInOrder(): boolean {
    return this.writer.inOrder;
  }

  /** The bytes are copied to the writer (or into a buffer of their own) before the file is written. */
  copiesWrites(): boolean {
    return true;
  }

  async append(key: string, data: readonly Uint8Array[]): Promise<void> {
    const path = this.pathOf('append', key);
    try {
      await this.writer.append(path, data);
    } catch (err) {
      throw clashOrIo('append', key, err);
    }
  }

  async writeStream(key: string, source: AsyncIterable<Uint8Array>): Promise<StoredObject> {
    const path = this.pathOf('writeStream', key);
    const folder = dirname(path);
    const temp = this.tempPath(folder, key);
    let handle: FileHandle | undefined;
    try {
      handle = await this.openTemp(folder, temp);
      let size = 0;
      for await (const chunk of source) {
        const { bytesWritten } = await handle.write(chunk);
        if (bytesWritten !== chunk.byteLength) throw new Error(`short write: ${bytesWritten} of ${chunk.byteLength} bytes`);
        size += chunk.byteLength;
      }
      const st = await handle.stat({ bigint: true });
      await handle.close();
      handle = undefined;
      await rename(temp, path);
      return { size, mtimeMs: toMs(st.mtimeNs), etag: versionEtag(size, st.mtimeNs, st.ino) };
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      throw clashOrIo('writeStream', key, err);
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const handle = await this.openFile('stat', key);
    if (handle === undefined) return undefined;
    try {
      const st = await handle.stat({ bigint: true });
      if (st.size <= BigInt(CONTENT_ETAG_MAX_BYTES)) {
        const bytes = await handle.readFile();
        return { size: bytes.byteLength, mtimeMs: toMs(st.mtimeNs), etag: contentEtag([bytes]) };
      }
      return { size: Number(st.size), mtimeMs: toMs(st.mtimeNs), etag: versionEtag(Number(st.size), st.mtimeNs, st.ino) };
    } catch (err) {
      throw ioError('stat', key, err);
    } finally {
      await handle.close();
    }
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream | undefined> {
    if (range !== undefined) checkByteRange('read', key, range);
    const handle = await this.openFile('read', key);
    if (handle === undefined) return undefined;
    // The stream owns the handle from here: it closes it at the end, on error and on destroy().
    return handle.createReadStream(range === undefined ? {} : { start: range.start, end: range.end });
  }

  async readAll(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf('readAll', key);
    try {
      return await readFile(path);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw ioError('readAll', key, err);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf('delete', key);
    try {
      await unlink(path);
    } catch (err) {
      if (isMissing(err) || errCode(err) === 'EPERM') return; // EPERM: the key names a folder
      throw ioError('delete', key, err);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const folder = normalizePrefix('deletePrefix', prefix, false);
    const path = this.pathOf('deletePrefix', folder);
    try {
      const st = await lstat(path);
      if (!st.isDirectory()) return; // a prefix names a folder; an object of that name stays
      await rm(path, { recursive: true, force: true });
      for (const f of this.knownFolders) if (f === path || f.startsWith(path + sep)) this.knownFolders.delete(f);
    } catch (err) {
      if (isMissing(err)) return;
      throw ioError('deletePrefix', prefix, err);
    }
  }

  async folders(prefix: string): Promise<string[]> {
    const folder = normalizePrefix('folders', prefix, true);
    try {
      const entries = await readdir(folder === '' ? this.root : this.pathOf('folders', folder), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    } catch (err) {
      if (isMissing(err)) return [];
      throw ioError('folders', prefix, err);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = normalizePrefix('list', prefix, true);
    const keys: string[] = [];
    try {
      await this.walk(folder === '' ? this.root : this.pathOf('list', folder), folder, keys);
    } catch (err) {
      throw ioError('list', prefix, err);
    }
    return keys.sort();
  }

  /** Maps a checked key to its absolute path, refusing anything that resolves outside the root. */
  private pathOf(operation: StorageOperation, key: string): string {
    checkStorageKey(operation, key);
    const path = join(this.root, ...key.split('/'));
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new StorageKeyError(operation, key, 'resolves outside the storage root');
    }
    return path;
  }

  private async publish(operation: StorageOperation, key: string, data: readonly Uint8Array[]): Promise<StoredObject> {
    const path = this.pathOf(operation, key);
    const temp = this.tempPath(dirname(path), key);
    const size = byteLength(data);
    try {
      // The writer removes the temporary file when any step fails.
      // Small objects get a content ETag, hashed by the writer thread over the bytes it wrote.
      const st = await this.writer.publish(temp, path, data, size <= CONTENT_ETAG_MAX_BYTES);
      const etag = st.hash !== undefined ? contentEtagOf(st.hash) : versionEtag(size, st.mtimeNs, st.ino);
      return { size, mtimeMs: toMs(st.mtimeNs), etag };
    } catch (err) {
      throw clashOrIo(operation, key, err);
    }
  }

  /** A dot name in the object's folder, unique within this process by the counter and across processes by the pid and a random tag. */
  private tempPath(folder: string, key: string): string {
    return join(folder, `.${key.slice(key.lastIndexOf('/') + 1)}.${TEMP_TAG}.${(this.tempCounter++).toString(36)}.tmp`);
  }

  /** Creates the temp file, making its folder first when it is not known to exist (or vanished). */
  private openTemp(folder: string, temp: string): Promise<FileHandle> {
    return this.openIn(folder, () => open(temp, 'wx'));
  }

  /** Opens a file in `folder`, making the folder first when it is not known to exist (or vanished). */
  private async openIn(folder: string, openFile: () => Promise<FileHandle>): Promise<FileHandle> {
    if (this.knownFolders.has(folder)) {
      try {
        return await openFile();
      } catch (err) {
        if (errCode(err) !== 'ENOENT') throw err;
        this.knownFolders.delete(folder);
      }
    }
    await mkdir(folder, { recursive: true });
    this.knownFolders.add(folder);
    return openFile();
  }

  /** Opens a regular file for reading; undefined when it is missing or is not a file. */
  private async openFile(operation: StorageOperation, key: string): Promise<FileHandle | undefined> {
    const path = this.pathOf(operation, key);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw ioError(operation, key, err);
    }
    try {
      if ((await handle.stat()).isFile()) return handle;
    } catch (err) {
      await handle.close();
      throw ioError(operation, key, err);
    }
    await handle.close();
    return undefined;
  }

  /** Collects the keys of regular files below `dir`, skipping dot names (temporary files). */
  private async walk(dir: string, keyPrefix: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const key = keyPrefix === '' ? entry.name : `${keyPrefix}/${entry.name}`;
      if (entry.isDirectory()) await this.walk(join(dir, entry.name), key, out);
      else if (entry.isFile()) out.push(key);
    }
  }
}

function toMs(mtimeNs: bigint): number {
  return Number(mtimeNs / 1_000_000n) + Number(mtimeNs % 1_000_000n) / 1e6;
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function isMissing(err: unknown): boolean {
  return MISSING.has(errCode(err) ?? '');
}

function clashOrIo(operation: StorageOperation, key: string, err: unknown): StorageError {
  const code = errCode(err);
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST') {
    return new StorageError('conflict', operation, key, 'the key or one of its folders clashes with an existing object or folder', { cause: err });
  }
  return ioError(operation, key, err);
}

function ioError(operation: StorageOperation, key: string, err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new StorageError('io', operation, key, detail, { cause: err });
}
