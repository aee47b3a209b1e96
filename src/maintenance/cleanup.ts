// The cleanup job: deletes what has outlived its retention. Live folders of streams that are no
// longer packaged here (crash leftovers; normally a stream deletes its own files after
// hls.endedRetentionMs), and recordings past recording.retentionHours. Idempotent.
import type { Logger } from '../logging/logger.js';
import type { RecordingCatalog } from '../recording/recording-catalog.js';
import { VOD_ROOT } from '../recording/recording-paths.js';
import type { MediaStorage } from '../storage/media-storage.js';

export interface CleanupDeps {
  readonly storage: MediaStorage;
  readonly catalog: RecordingCatalog;
  readonly logger: Logger;
  readonly nowMs: () => number;
  /** Whether this process packages (or still keeps the files of) a live stream. */
  readonly inUse: (app: string, name: string) => boolean;
  readonly endedRetentionMs: number;
  /** 0 = keep recordings for ever. */
  readonly recordingRetentionHours: number;
}

export interface CleanupReport {
  readonly liveFoldersDeleted: number;
  readonly recordingsDeleted: number;
}

export async function runCleanup(deps: CleanupDeps): Promise<CleanupReport> {
  const log = deps.logger.child({ component: 'cleanup' });
  const now = deps.nowMs();
  let liveFoldersDeleted = 0;
  for (const app of await deps.storage.folders('')) {
    if (app === VOD_ROOT) continue;
    for (const name of await deps.storage.folders(app)) {
      if (deps.inUse(app, name)) continue;
      const prefix = `${app}/${name}`;
      const newest = await newestChange(deps.storage, prefix);
      if (newest !== undefined && now - newest < deps.endedRetentionMs) continue;
      await deps.storage.deletePrefix(prefix);
      liveFoldersDeleted++;
      log.info({ stream: prefix }, 'left-over live files deleted');
    }
  }
  let recordingsDeleted = 0;
  if (deps.recordingRetentionHours > 0) {
    const cutoff = now - deps.recordingRetentionHours * 3_600_000;
    for (const m of deps.catalog.list()) {
      if ((m.state !== 'ready' && m.state !== 'failed') || (m.endedAtMs ?? m.startedAtMs) > cutoff) continue;
      await deps.catalog.remove(m.id);
      recordingsDeleted++;
      log.info({ recording: m.id, stream: `${m.app}/${m.name}` }, 'recording past its retention deleted');
    }
  }
  return { liveFoldersDeleted, recordingsDeleted };
}

/** The newest modification time of the files below a folder (undefined when it is empty). */
async function newestChange(storage: MediaStorage, prefix: string): Promise<number | undefined> {
  let newest: number | undefined;
  for (const key of await storage.list(prefix)) {
    const st = await storage.stat(key);
    if (st !== undefined) newest = Math.max(newest ?? 0, st.mtimeMs);
  }
  return newest;
}
