// A MediaStorage in front of another that keeps the objects of low-latency HLS in memory, where
// they change several times a second, instead of on disk (the CPU of CMAF was mostly file I/O):
//   - parts (v-<ticks>.<i>.m4s) live in memory until their segment (v-<ticks>.m4s) is written;
//     from then on they are served as byte ranges of it (a segment is its parts' bytes in order),
//     so memory holds only the open segment's parts;
//   - low-latency playlists and their delta forms (ll-v.m3u8, ll-a-delta.m3u8, …) and the live
//     DASH MPD (index.mpd) are served from memory and written through to the backing store at
//     most once per `writeBehindMs` (the newest version), and at once by flush() (shutdown), so
//     a restart finds recent copies;
//   - such a manifest may be stored as a function that renders it (writeDeferred): a playlist
//     changes with every part, and most versions are never read, so each is rendered when first
//     read or written through, or never.
// Everything else passes straight through. Readers see a new object as soon as write() resolves,
// exactly as with the backing store.
import { Readable } from 'node:stream';
import { checkByteRange, type ByteRange, type MediaStorage, type StagedWrite, type StoredObject } from './media-storage.js';
import { CONTENT_ETAG_MAX_BYTES, byteLength, contentEtag, versionEtag } from './object-etag.js';
import { checkStorageKey, normalizePrefix } from './storage-key.js';

/** A part of a CMAF segment: "<folder>/v-123.4.m4s" is part 4 of "<folder>/v-123.m4s". */
const PART_KEY = /^(?<segment>(?:.*\/)?[va]-\d+)\.(?<index>\d+)\.m4s$/;
const SEGMENT_KEY = /^(?:.*\/)?[va]-\d+\.m4s$/;
/** Manifests that change several times a segment or once per segment: low-latency media
 *  playlists and their delta-update forms, and the live DASH MPD. */
const LIVE_MANIFEST_KEY = /(?:^|\/)(?:ll-[va](?:-delta)?\.m3u8|index\.mpd)$/;

interface MemoryBytes {
  readonly kind: 'bytes';
  readonly data: readonly Uint8Array[];
  readonly size: number;
  readonly mtimeMs: number;
  readonly version: number;
  /** Computed on first use: most parts are fetched, but hashing is left to the first reader. */
  etag?: string;
}

/** A part whose bytes are now a range of its segment's object in the backing store. */
interface SegmentRange {
  readonly kind: 'range';
  readonly key: string;
  readonly offset: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly etag: string;
}

/** A manifest version not rendered yet (writeDeferred). */
interface DeferredText {
  readonly kind: 'deferred';
  readonly render: () => string;
  readonly mtimeMs: number;
  readonly version: number;
  /** The version before, served if this one cannot be rendered. */
  readonly previous?: MemoryBytes;
}

type Entry = MemoryBytes | SegmentRange | DeferredText;
/** What readers see: deferred entries are rendered first. */
type ReadyEntry = MemoryBytes | SegmentRange;

export interface LiveObjectCacheOptions {
  /** Most time between two write-throughs of one playlist. */
  readonly writeBehindMs: number;
  readonly nowMs?: () => number;
  /** A failed write-through (the memory copy is still served) or a deferred manifest that could
   *  not be rendered (the version before it is served). */
  readonly onError?: (err: unknown, key: string) => void;
}

export class LiveObjectCache implements MediaStorage {
  private readonly entries = new Map<string, Entry>();
  /** Playlists waiting for their write-through, and its timer. */
  private readonly dirty = new Map<string, NodeJS.Timeout>();
  /** Write-throughs under way, by key: a delete waits for its key's, so none lands after it. */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly nowMs: () => number;
  private versions = 0;

  constructor(
    private readonly inner: MediaStorage,
    private readonly opts: LiveObjectCacheOptions,
  ) {
    this.nowMs = opts.nowMs ?? (() => Date.now());
  }

  /** Objects held in memory (parts of open segments, playlists); for tests and metrics. */
  get memoryObjects(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.kind !== 'range') n++;
    return n;
  }

  async write(key: string, data: readonly Uint8Array[]): Promise<StoredObject> {
    if (PART_KEY.test(key)) {
      checkStorageKey('write', key);
      return this.keep(key, data);
    }
    const stored = await this.inner.write(key, data);
    if (SEGMENT_KEY.test(key)) this.partsToRanges(key, stored);
    return stored;
  }

  /** Staged writes pass through to the backing store (for segments; parts are kept in memory
   *  instead); a CMAF segment's parts become ranges of it once it is committed, as after write(). */
  beginWrite(key: string): StagedWrite | undefined {
    if (PART_KEY.test(key)) return undefined;
    const staged = this.inner.beginWrite?.(key);
    if (staged === undefined) return undefined;
    return {
      append: (data) => staged.append(data),
      commit: async (data) => {
        const stored = await staged.commit(data);
        if (SEGMENT_KEY.test(key)) this.partsToRanges(key, stored);
        return stored;
      },
      abort: () => staged.abort(),
    };
  }

  /** Objects kept in memory are visible as soon as they are written, so they are never ordered
   *  after writes still under way; everything else is as the backing store does. */
  appliesInOrder(key: string): boolean {
    return !PART_KEY.test(key) && !LIVE_MANIFEST_KEY.test(key) && this.inner.appliesInOrder?.(key) === true;
  }

  /** Parts are kept in memory as given; everything else is as the backing store does. */
  copiesWrites(key: string): boolean {
    return !PART_KEY.test(key) && this.inner.copiesWrites?.(key) === true;
  }

  async writeAtomic(key: string, data: string | readonly Uint8Array[]): Promise<StoredObject> {
    if (!LIVE_MANIFEST_KEY.test(key)) return this.inner.writeAtomic(key, data);
    checkStorageKey('writeAtomic', key);
    // Views are copied (the caller may reuse them, and the write-through happens later); a string
    // is encoded into a fresh buffer already.
    const copy = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.concat(data);
    const stored = this.keep(key, [copy]);
    this.writeBehind(key);
    return stored;
  }

  /**
   * Replaces a manifest with text rendered when it is first read (or written through): readers
   * see this version from now on, exactly as after writeAtomic. `render` must capture what it
   * renders now (a snapshot), not state that goes on changing. Keys that are not kept in memory
   * are rendered and written through at once.
   */
  async writeDeferred(key: string, render: () => string): Promise<void> {
    if (!LIVE_MANIFEST_KEY.test(key)) {
      await this.inner.writeAtomic(key, render());
      return;
    }
    checkStorageKey('writeAtomic', key);
    const before = this.entries.get(key);
    const previous = before?.kind === 'bytes' ? before : before?.kind === 'deferred' ? before.previous : undefined;
    this.entries.set(key, { kind: 'deferred', render, mtimeMs: this.nowMs(), version: ++this.versions, ...(previous ? { previous } : {}) });
    this.writeBehind(key);
  }

  append(key: string, data: readonly Uint8Array[]): Promise<void> {
    return this.inner.append(key, data);
  }

  writeStream(key: string, source: AsyncIterable<Uint8Array>): Promise<StoredObject> {
    return this.inner.writeStream(key, source);
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const entry = this.lookup(key);
    if (entry === undefined) return this.inner.stat(key);
    return { size: entry.size, mtimeMs: entry.mtimeMs, etag: this.etagOf(entry) };
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream | undefined> {
    if (range !== undefined) checkByteRange('read', key, range);
    const entry = this.lookup(key);
    if (entry === undefined) return this.inner.read(key, range);
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? entry.size - 1, entry.size - 1);
    if (entry.kind === 'range') return this.inner.read(entry.key, { start: entry.offset + start, end: entry.offset + end });
    // A whole part (what players ask for) goes out as its views, without a copy.
    if (start === 0 && end === entry.size - 1) return Readable.from(entry.data, { objectMode: false });
    return Readable.from([Buffer.concat(entry.data).subarray(start, end + 1)], { objectMode: false });
  }

  async readAll(key: string): Promise<Uint8Array | undefined> {
    const entry = this.lookup(key);
    if (entry === undefined) return this.inner.readAll(key);
    if (entry.kind === 'bytes') return Buffer.concat(entry.data);
    const stream = await this.inner.read(entry.key, { start: entry.offset, end: entry.offset + entry.size - 1 });
    if (stream === undefined) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async delete(key: string): Promise<void> {
    const entry = this.entries.get(key);
    this.forget(key);
    // A part never reached the backing store (it was bytes in memory, then a range of its
    // segment): nothing to delete there, and no file-system call for it.
    if (entry !== undefined && PART_KEY.test(key)) return;
    await this.writing.get(key);
    await this.inner.delete(key);
  }

  async deletePrefix(prefix: string): Promise<void> {
    const folder = `${normalizePrefix('deletePrefix', prefix, false)}/`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(folder)) this.forget(key);
    await Promise.all([...this.writing].filter(([key]) => key.startsWith(folder)).map(([, w]) => w));
    await this.inner.deletePrefix(prefix);
  }

  async list(prefix: string): Promise<string[]> {
    const folder = normalizePrefix('list', prefix, true);
    const start = folder === '' ? '' : `${folder}/`;
    const keys = new Set(await this.inner.list(prefix));
    for (const key of this.entries.keys()) if (key.startsWith(start)) keys.add(key);
    return [...keys].sort();
  }

  async folders(prefix: string): Promise<string[]> {
    const folder = normalizePrefix('folders', prefix, true);
    const start = folder === '' ? '' : `${folder}/`;
    const names = new Set(await this.inner.folders(prefix));
    for (const key of this.entries.keys()) {
      if (!key.startsWith(start)) continue;
      const rest = key.slice(start.length);
      const slash = rest.indexOf('/');
      if (slash > 0) names.add(rest.slice(0, slash));
    }
    return [...names].sort();
  }

  /** Writes every pending playlist through now (shutdown) and waits for the writes. */
  async flush(): Promise<void> {
    for (const key of [...this.dirty.keys()]) this.writeThrough(key);
    await Promise.all([...this.writing.values()]);
  }

  private keep(key: string, data: readonly Uint8Array[]): StoredObject {
    const entry: MemoryBytes = { kind: 'bytes', data, size: byteLength(data), mtimeMs: this.nowMs(), version: ++this.versions };
    this.entries.set(key, entry);
    // The ETag is computed when asked for (most writers never look at it).
    const etagOf = (e: MemoryBytes): string => this.etagOf(e);
    return { size: entry.size, mtimeMs: entry.mtimeMs, get etag() { return etagOf(entry); } };
  }

  /** Starts the write-behind timer of a memory manifest unless it runs already. */
  private writeBehind(key: string): void {
    if (this.dirty.has(key)) return;
    const timer = setTimeout(() => this.writeThrough(key), this.opts.writeBehindMs);
    timer.unref();
    this.dirty.set(key, timer);
  }

  /** The entry of a key as readers see it: a deferred manifest is rendered now, once. */
  private lookup(key: string): ReadyEntry | undefined {
    const entry = this.entries.get(key);
    if (entry?.kind !== 'deferred') return entry;
    let text: string;
    try {
      text = entry.render();
    } catch (err) {
      this.opts.onError?.(err, key);
      if (entry.previous === undefined) this.entries.delete(key);
      else this.entries.set(key, entry.previous);
      return entry.previous;
    }
    const data = [Buffer.from(text, 'utf8')];
    const ready: MemoryBytes = { kind: 'bytes', data, size: data[0].byteLength, mtimeMs: entry.mtimeMs, version: entry.version };
    this.entries.set(key, ready);
    return ready;
  }

  private etagOf(entry: ReadyEntry): string {
    if (entry.kind === 'range') return entry.etag;
    entry.etag ??= entry.size <= CONTENT_ETAG_MAX_BYTES ? contentEtag(entry.data) : memoryVersionEtag(entry);
    return entry.etag;
  }

  /** The segment is stored: its parts become ranges of it, in index order, when their bytes add up. */
  private partsToRanges(segmentKey: string, stored: StoredObject): void {
    const base = segmentKey.slice(0, -'.m4s'.length);
    const parts: [string, MemoryBytes][] = [];
    for (let i = 0; ; i++) {
      const key = `${base}.${i}.m4s`;
      const entry = this.entries.get(key);
      if (entry?.kind !== 'bytes') break;
      parts.push([key, entry]);
    }
    if (parts.length === 0 || parts.reduce((n, [, e]) => n + e.size, 0) !== stored.size) return; // not its parts: keep them in memory
    let offset = 0;
    for (const [key, e] of parts) {
      // A part keeps the ETag readers have seen; one nobody read gets a version tag rather than
      // a hash of bytes no one asked for (parts never change, and each write has its version).
      const etag = e.etag ?? memoryVersionEtag(e);
      this.entries.set(key, { kind: 'range', key: segmentKey, offset, size: e.size, mtimeMs: e.mtimeMs, etag });
      offset += e.size;
    }
  }

  private writeThrough(key: string): void {
    const timer = this.dirty.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.dirty.delete(key);
    const entry = this.lookup(key);
    if (entry?.kind !== 'bytes') return;
    const previous = this.writing.get(key) ?? Promise.resolve();
    const write: Promise<void> = previous
      .then(() => this.inner.writeAtomic(key, entry.data))
      .then(
        () => undefined,
        (err: unknown) => this.opts.onError?.(err, key),
      )
      .finally(() => {
        if (this.writing.get(key) === write) this.writing.delete(key);
      });
    this.writing.set(key, write);
  }

  private forget(key: string): void {
    this.entries.delete(key);
    const timer = this.dirty.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.dirty.delete(key);
  }
}

/** The version ETag of bytes held in memory: each write has its own version. */
function memoryVersionEtag(entry: MemoryBytes): string {
  return versionEtag(entry.size, Math.round(entry.mtimeMs), entry.version);
}
