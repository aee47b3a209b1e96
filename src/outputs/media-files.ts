// The files one stream's outputs write: ordered non-blocking writes, deletion after a retention
// time, and the cleanup of everything (and of the empty folder) once the stream has ended.
import type { Logger } from '../logging/logger.js';
import type { MediaStorage, StagedWrite } from '../storage/media-storage.js';
import { byteLength } from '../storage/object-etag.js';
import type { IoPressure } from './io-pressure.js';
import { WriteQueue } from './write-queue.js';

/** An object written in pieces: staged on storage, or (where the storage cannot stage it) its
 *  pieces held until it is written whole. `failed` after a piece could not be written. */
type Pieces =
  | { readonly kind: 'staged'; readonly write: StagedWrite; failed: boolean }
  | { readonly kind: 'held'; readonly data: Uint8Array[]; readonly releases: (() => void)[] };

export class MediaFiles {
  private readonly writes: WriteQueue;
  private readonly written = new Set<string>();
  /** Objects being written in pieces, by name. */
  private readonly pieces = new Map<string, Pieces>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly storage: MediaStorage,
    /** The stream's folder, e.g. "live/mystream/". */
    readonly prefix: string,
    log: Logger,
    /** Counts the bytes waiting for storage (ingest pauses when there are too many). */
    private readonly pressure?: IoPressure,
  ) {
    this.writes = new WriteQueue((err) => log.error({ err }, 'media write failed'));
  }

  /** Writes queued or running (a measure of storage lag). */
  get queueDepth(): number {
    return this.writes.depth;
  }

  /** Writes an object. `release` hands the memory under `data` back once the storage holds no
   *  reference to it any more (storages that keep written views in memory never do). */
  write(name: string, data: readonly Uint8Array[], then?: () => void, release?: () => void): void {
    const key = this.prefix + name;
    this.written.add(key);
    this.push(key, data, async () => {
      await this.writeWhole(key, data, release);
      then?.();
    });
  }

  /**
   * Writes the next piece of an object that is still being made (a live segment): on storage
   * that stages writes it is written now and `release` is called once the storage has it, so
   * the memory need not be held until the object is complete; readers see nothing of it before
   * finishPieces(). Elsewhere the pieces are held and written whole by finishPieces().
   */
  writePiece(name: string, data: readonly Uint8Array[], release?: () => void): void {
    const key = this.prefix + name;
    this.push(key, data, async () => {
      let pieces = this.pieces.get(name);
      if (pieces === undefined) {
        const staged = this.storage.beginWrite?.(key);
        pieces = staged === undefined ? { kind: 'held', data: [], releases: [] } : { kind: 'staged', write: staged, failed: false };
        this.pieces.set(name, pieces);
      }
      if (pieces.kind === 'held') {
        pieces.data.push(...data);
        if (release !== undefined) pieces.releases.push(release);
        return;
      }
      if (pieces.failed) {
        release?.();
        return;
      }
      try {
        await pieces.write.append(data);
      } catch (err) {
        pieces.failed = true;
        throw err;
      }
      release?.();
    });
  }

  /** Writes the last bytes of an object begun with writePiece() and publishes it whole; then
   *  `then` runs and `release` is called as for write(). */
  finishPieces(name: string, data: readonly Uint8Array[], then?: () => void, release?: () => void): void {
    const key = this.prefix + name;
    this.written.add(key);
    this.push(key, data, async () => {
      const pieces = this.pieces.get(name);
      this.pieces.delete(name);
      if (pieces === undefined) {
        await this.writeWhole(key, data, release);
      } else if (pieces.kind === 'held') {
        await this.writeWhole(key, [...pieces.data, ...data], () => {
          for (const r of pieces.releases) r();
          release?.();
        });
      } else {
        try {
          if (pieces.failed) throw new Error(`${key}: an earlier piece could not be written`);
          await pieces.write.commit(data);
        } catch (err) {
          await pieces.write.abort().catch(() => undefined);
          throw err;
        }
        release?.();
      }
      then?.();
    });
  }

  /** Drops an object begun with writePiece() that will not be finished. */
  abandonPieces(name: string): void {
    this.writes.push(async () => {
      const pieces = this.pieces.get(name);
      this.pieces.delete(name);
      if (pieces?.kind === 'staged') await pieces.write.abort();
    });
  }

  /** Atomic replacement (playlists, manifests): readers see the old or the new text whole. The
   *  text may be given as a function that renders it: the storage then renders it when it is
   *  first read, if it can defer (writeDeferred), else now. */
  replace(name: string, text: string | (() => string), then?: () => void): void {
    const key = this.prefix + name;
    this.written.add(key);
    this.writes.push(async () => {
      if (typeof text === 'string') await this.storage.writeAtomic(key, text);
      else if (this.storage.writeDeferred !== undefined) await this.storage.writeDeferred(key, text);
      else await this.storage.writeAtomic(key, text());
      then?.();
    }, this.inOrder(key));
  }

  /** Writes of `key` may start before the writes before them have finished (see WriteQueue). */
  private inOrder(key: string): boolean {
    return this.storage.appliesInOrder?.(key) === true;
  }

  /** Queues a write of `data` to `key`, its bytes counted as waiting for storage until it settles. */
  private push(key: string, data: readonly Uint8Array[], task: () => Promise<void>): void {
    const bytes = byteLength(data);
    this.pressure?.queued(bytes);
    // task() issues its storage call before its first await, as an ordered write must.
    this.writes.push(() => task().finally(() => this.pressure?.done(bytes)), this.inOrder(key));
  }

  /** Writes an object whole; `release` runs once it is stored, if the storage copied the bytes. */
  private async writeWhole(key: string, data: readonly Uint8Array[], release?: () => void): Promise<void> {
    await this.storage.write(key, data);
    if (release !== undefined && this.storage.copiesWrites?.(key) === true) release();
  }

  /** Deletes a file after `afterMs` (players that are behind may still fetch it until then). */
  removeLater(name: string, afterMs: number): void {
    const key = this.prefix + name;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.written.delete(key);
      this.writes.push(() => this.storage.delete(key));
    }, afterMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** After `afterMs`, deletes every file written and then the folder if nothing else is in it. */
  cleanupLater(afterMs: number, folderUnused: () => boolean): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const key of this.written) this.writes.push(() => this.storage.delete(key));
      this.written.clear();
      this.writes.push(async () => {
        if (folderUnused() && (await this.storage.list(this.prefix)).length === 0) await this.storage.deletePrefix(this.prefix);
      });
    }, afterMs);
    timer.unref();
    this.timers.add(timer);
  }

  idle(): Promise<void> {
    return this.writes.idle();
  }

  /** Stops pending deletions; with `deleteFiles`, removes what was written now. */
  async dispose(deleteFiles: boolean): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.writes.idle();
    // Objects left half-written (their stream was stopped before they were finished).
    for (const pieces of this.pieces.values()) if (pieces.kind === 'staged') await pieces.write.abort().catch(() => undefined);
    this.pieces.clear();
    if (deleteFiles) {
      await Promise.all([...this.written].map((key) => this.storage.delete(key)));
      this.written.clear();
    }
  }
}
