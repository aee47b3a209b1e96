// The files one stream's outputs write: ordered non-blocking writes, deletion after a retention
// time, and the cleanup of everything (and of the empty folder) once the stream has ended.
import type { Logger } from '../logging/logger.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { byteLength } from '../storage/object-etag.js';
import type { IoPressure } from './io-pressure.js';
import { WriteQueue } from './write-queue.js';

export class MediaFiles {
  private readonly writes: WriteQueue;
  private readonly written = new Set<string>();
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
    const bytes = byteLength(data);
    this.pressure?.queued(bytes);
    this.writes.push(async () => {
      try {
        await this.storage.write(key, data);
        if (release !== undefined && this.storage.copiesWrites?.(key) === true) release();
      } finally {
        this.pressure?.done(bytes);
      }
      then?.();
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
    });
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
    if (deleteFiles) {
      await Promise.all([...this.written].map((key) => this.storage.delete(key)));
      this.written.clear();
    }
  }
}
