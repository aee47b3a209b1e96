// Watches a live HLS media playlist and records when each new segment is first listed: on disk
// through inotify (fs.watch, no load on the server), or over HTTP by polling every few ms.
import { watch, type FSWatcher } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parseMediaPlaylist } from '../pipeline/inspect/hls-playlist-parser.js';

export interface SegmentSeen {
  readonly sequence: number;
  readonly durationSec: number;
  /** EXT-X-PROGRAM-DATE-TIME, when the playlist has it. */
  readonly programDateTimeMs?: number;
  /** Wall-clock time (Date.now()) it was first listed, within ± uncertaintyMs. */
  readonly seenAtMs: number;
  readonly uncertaintyMs: number;
}

export interface WatchResult {
  /** The playlist's URL or file. */
  readonly source: string;
  readonly targetDurationSec?: number;
  readonly segments: readonly SegmentSeen[];
  /** Reads of the playlist (HTTP requests or file reads). */
  readonly reads: number;
  readonly errors: number;
  readonly lastError?: string;
}

export interface PlaylistWatch {
  start(): void;
  stop(): Promise<WatchResult>;
}

/** Turns successive playlist texts into the list of segments with the time each was first seen. */
class SegmentLog {
  readonly segments: SegmentSeen[] = [];
  targetDurationSec: number | undefined;
  reads = 0;
  errors = 0;
  lastError: string | undefined;
  private lastSequence = -1;

  record(text: string, seenAtMs: number, uncertaintyMs: number): void {
    this.reads++;
    const playlist = parseMediaPlaylist(text);
    this.targetDurationSec ??= playlist.targetDurationSec;
    for (const seg of playlist.segments) {
      if (seg.sequence <= this.lastSequence) continue;
      this.lastSequence = seg.sequence;
      const s = { sequence: seg.sequence, durationSec: seg.durationSec, seenAtMs, uncertaintyMs };
      this.segments.push(seg.programDateTimeMs === undefined ? s : { ...s, programDateTimeMs: seg.programDateTimeMs });
    }
  }

  failed(err: unknown): void {
    this.errors++;
    this.lastError = err instanceof Error ? err.message : String(err);
  }

  result(source: string): WatchResult {
    const r = { source, targetDurationSec: this.targetDurationSec, segments: this.segments, reads: this.reads, errors: this.errors };
    return this.lastError === undefined ? r : { ...r, lastError: this.lastError };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the playlist URL every pollMs (conditional GETs). A segment counts as listed midway
 *  between the previous answer and the request that listed it. Each poll is a request the
 *  server must answer, so this adds load to what is measured. */
export class HttpPlaylistWatcher implements PlaylistWatch {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly log = new SegmentLog();

  constructor(
    private readonly url: string,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<WatchResult> {
    this.running = false;
    await this.loop;
    return this.log.result(this.url);
  }

  private async run(): Promise<void> {
    let etag: string | undefined;
    let previousAnswerAt = Date.now();
    while (this.running) {
      const sentAt = Date.now();
      try {
        const res = await fetch(this.url, { headers: etag ? { 'if-none-match': etag } : {} });
        const text = res.status === 200 ? await res.text() : (await res.arrayBuffer(), undefined);
        if (text !== undefined) {
          etag = res.headers.get('etag') ?? undefined;
          this.log.record(text, (previousAnswerAt + sentAt) / 2, (sentAt - previousAnswerAt) / 2);
        }
      } catch (err) {
        this.log.failed(err);
      }
      previousAnswerAt = Date.now();
      await sleep(this.pollMs);
    }
  }
}

/** Watches the playlist file the server writes (atomically, by rename) with inotify: a new
 *  version is seen within a millisecond of the rename that publishes it, at no cost to the
 *  server. A slow read every BACKSTOP_MS covers an event that might be missed. */
export class FilePlaylistWatcher implements PlaylistWatch {
  private static readonly DIR_POLL_MS = 10;
  private static readonly BACKSTOP_MS = 500;
  private running = false;
  private loop: Promise<void> | undefined;
  private watcher: FSWatcher | undefined;
  private reads: Promise<void> = Promise.resolve();
  private readonly log = new SegmentLog();

  constructor(private readonly path: string) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<WatchResult> {
    this.running = false;
    await this.loop;
    this.watcher?.close();
    await this.reads;
    return this.log.result(this.path);
  }

  private async run(): Promise<void> {
    const dir = dirname(this.path);
    const name = basename(this.path);
    while (this.running && !(await access(dir).then(() => true, () => false))) await sleep(FilePlaylistWatcher.DIR_POLL_MS);
    if (!this.running) return;
    try {
      this.watcher = watch(dir, (_event, file) => {
        if (file === name) this.read(Date.now(), 0);
      });
      this.watcher.on('error', () => undefined); // the folder goes away when the stream is cleaned up
    } catch (err) {
      this.log.failed(err);
    }
    let last = Date.now();
    while (this.running) {
      this.read((last + Date.now()) / 2, (Date.now() - last) / 2);
      last = Date.now();
      await sleep(FilePlaylistWatcher.BACKSTOP_MS);
    }
  }

  /** Reads are chained, so versions are recorded in the order they were published. */
  private read(seenAtMs: number, uncertaintyMs: number): void {
    this.reads = this.reads.then(async () => {
      const text = await readFile(this.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') this.log.failed(err);
        return undefined;
      });
      if (text === undefined) return;
      try {
        this.log.record(text, seenAtMs, uncertaintyMs);
      } catch (err) {
        this.log.failed(err);
      }
    });
  }
}
