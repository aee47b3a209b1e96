// The watch folder (chokidar): an .flv file that appears in it, once it has stopped growing, is
// imported as a recording by the import-flv job; the job moves it to done/ or failed/ afterwards.
import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FSWatcher } from 'chokidar';
import type { JobQueue } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import { streamNameOfFile } from './flv-import.js';

export const DONE_FOLDER = 'done';
export const FAILED_FOLDER = 'failed';

export interface WatchFolderOptions {
  readonly dir: string;
  readonly app: string;
  readonly queue: JobQueue;
  readonly logger: Logger;
  /** How long a file's size must stay the same before it counts as complete (an upload in progress). */
  readonly stableMs?: number;
}

export interface WatchFolder {
  /** Resolves once the initial scan is done. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export async function startWatchFolder(opts: WatchFolderOptions): Promise<WatchFolder> {
  const log = opts.logger.child({ component: 'watch-folder', dir: opts.dir });
  await mkdir(opts.dir, { recursive: true });
  // Loaded here: a server without a watch folder does not need chokidar.
  const { watch } = await import('chokidar');
  const watcher: FSWatcher = watch(opts.dir, {
    depth: 0,
    ignoreInitial: false,
    awaitWriteFinish: { stabilityThreshold: opts.stableMs ?? 2000, pollInterval: 100 },
    ignored: (path: string) => basename(path).startsWith('.'),
  });
  watcher.on('add', (path: string) => {
    if (dirname(path) !== opts.dir || !/\.flv$/i.test(path)) return;
    void stat(path).then(
      (st) => {
        const jobId = `import-${createHash('sha256').update(`${path}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16)}`;
        opts.queue.add('import-flv', { path, app: opts.app, name: streamNameOfFile(path) }, { jobId });
        log.info({ file: basename(path), bytes: st.size }, 'file dropped into the watch folder: importing');
      },
      (err: unknown) => log.warn({ file: basename(path), err }, 'watch-folder file vanished before it could be imported'),
    );
  });
  watcher.on('error', (err: unknown) => log.error({ err }, 'watch folder error'));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  log.info('watching for FLV files');
  return { ready, close: () => watcher.close() };
}

/** Moves an imported file out of the watch folder (done/ or failed/), keeping its name unique. */
export async function moveImportedFile(path: string, outcome: 'done' | 'failed'): Promise<string> {
  const folder = join(dirname(path), outcome === 'done' ? DONE_FOLDER : FAILED_FOLDER);
  await mkdir(folder, { recursive: true });
  const target = join(folder, `${Date.now()}-${basename(path)}`);
  await rename(path, target);
  return target;
}
