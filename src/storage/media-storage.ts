// The media storage interface: every segment, part, init segment, playlist and manifest is
// written and read through it, so the process that serves an object need not be the one that
// wrote it (ARCHITECTURE.md, "Designed for scale-out").
import { StorageError, type StorageOperation } from './storage-errors.js';

export interface StoredObject {
  readonly size: number;
  /** Modification time in ms since the epoch (fractional where the backend has sub-ms precision). */
  readonly mtimeMs: number;
  /** A strong entity tag, quotes included, ready for the ETag header (see object-etag.ts). */
  readonly etag: string;
}

/** An object being written in pieces (MediaStorage.beginWrite). Calls are made one at a time,
 *  each after the one before has settled. */
export interface StagedWrite {
  /** Adds bytes after those before; the views may be reused once it resolves. */
  append(data: readonly Uint8Array[]): Promise<void>;
  /** Adds the last bytes and publishes the object. After a failed append, it rejects. */
  commit(data: readonly Uint8Array[]): Promise<StoredObject>;
  /** Drops what was written; the object is left as it was before beginWrite. */
  abort(): Promise<void>;
}

/** Inclusive byte offsets, as in an HTTP Content-Range; `end` past the object's end is clamped. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Keys are forward-slash relative paths such as "live/mystream/seg-000001.ts" (storage-key.ts).
 * Every method refuses a bad key with StorageKeyError; I/O faults reject with StorageError.
 * Both write methods publish the object whole: readers see the previous object or the new one,
 * never a partly written one (a CDN must not cache a torn segment as immutable).
 */
export interface MediaStorage {
  /** Writes an object (segment, part, init segment) from a list of views without concatenating them first; never blocks the event loop; creates parent folders. */
  write(key: string, data: readonly Uint8Array[]): Promise<StoredObject>;
  /** Replaces an object atomically (temp name in the same folder, then rename). Used for playlists and manifests; strings are written as UTF-8. */
  writeAtomic(key: string, data: string | readonly Uint8Array[]): Promise<StoredObject>;
  /**
   * Optional: replaces a manifest like writeAtomic, with text that `render` makes when the object
   * is first read, if ever (a live playlist changes with every part, and most versions are never
   * read). `render` must return the text as of the call. Without it, callers render now and use
   * writeAtomic.
   */
  writeDeferred?(key: string, render: () => string): Promise<void>;
  /**
   * Optional: true when writes of `key` (write, writeAtomic, a staged write's calls) take effect
   * for readers in the order they are issued, after every such write issued before them: a
   * caller may then issue a playlist right after the segment it lists, without awaiting it.
   */
  appliesInOrder?(key: string): boolean;
  /**
   * Optional: true when write(key, …) keeps no reference to the views it was given once it has
   * resolved, so the caller may reuse their memory. Absent, or false: it may keep them.
   */
  copiesWrites?(key: string): boolean;
  /**
   * Optional: starts an object written in pieces while it is made (a live segment, so that its
   * bytes need not stay in memory until it is complete), published whole by commit(): like
   * write(), readers see the previous object or the new one, never a partly written one.
   * Undefined when this storage cannot stage this key: write it whole instead.
   */
  beginWrite?(key: string): StagedWrite | undefined;
  /**
   * Appends to an object, creating it (and its folders) when missing. Unlike the write methods
   * this is not atomic: a reader may see a part of the appended bytes, and a crash may leave a
   * torn tail. Used for recordings in progress, which are not served before they are finalized.
   */
  append(key: string, data: readonly Uint8Array[]): Promise<void>;
  /** Publishes an object from a stream of chunks, whole (temp name, then rename): for objects too large to hold in memory, such as an MP4 export. */
  writeStream(key: string, source: AsyncIterable<Uint8Array>): Promise<StoredObject>;
  /** undefined when missing (or when the key names a folder). */
  stat(key: string): Promise<StoredObject | undefined>;
  /** A readable stream of [start, end] inclusive or of the whole object; undefined if missing. */
  read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream | undefined>;
  /** A fresh copy of the whole object; undefined if missing. */
  readAll(key: string): Promise<Uint8Array | undefined>;
  /** Missing is fine. */
  delete(key: string): Promise<void>;
  /** Deletes every object below a folder such as "live/mystream" (a trailing '/' is optional); missing is fine. The root cannot be deleted this way. */
  deletePrefix(prefix: string): Promise<void>;
  /** Names of the folders directly below a folder ("" for the root), sorted; [] when it is missing. */
  folders(prefix: string): Promise<string[]>;
  /** Every key below a folder ("" for all), at any depth, sorted; [] when the folder is missing. */
  list(prefix: string): Promise<string[]>;
}

/** Throws StorageError('invalid-range') unless 0 ≤ start ≤ end, both safe integers. */
export function checkByteRange(operation: StorageOperation, key: string, range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new StorageError('invalid-range', operation, key, `invalid byte range [${String(start)}, ${String(end)}]`);
  }
}

/** Normalizes writeAtomic's input to a list of views. */
export function toViews(data: string | readonly Uint8Array[]): readonly Uint8Array[] {
  return typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data;
}
