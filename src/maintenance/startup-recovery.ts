// What a restart does about a previous process that died (kill -9, power loss): recordings that
// were being written are finalized from what is on storage, unfinished MP4 exports are queued
// again, and live playlists left behind are closed (EXT-X-ENDLIST) so players stop waiting; the
// cleanup job deletes those files after the ended-stream retention.
import type { JobQueue } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import type { RecordingCatalog } from '../recording/recording-catalog.js';
import { VOD_ROOT } from '../recording/recording-paths.js';
import type { MediaStorage } from '../storage/media-storage.js';

export interface RecoveryDeps {
  readonly storage: MediaStorage;
  readonly catalog: RecordingCatalog;
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly nowMs: () => number;
  readonly endedRetentionMs: number;
}

export interface RecoveryReport {
  readonly recordingsToFinalize: number;
  readonly exportsRequeued: number;
  readonly playlistsClosed: number;
}

export async function recoverAtStartup(deps: RecoveryDeps): Promise<RecoveryReport> {
  const log = deps.logger.child({ component: 'recovery' });
  const boot = deps.nowMs();
  await deps.catalog.load();
  let recordingsToFinalize = 0;
  let exportsRequeued = 0;
  for (const m of deps.catalog.list()) {
    if (m.state === 'recording' || m.state === 'finalizing') {
      if (m.state === 'recording') await deps.catalog.save({ ...m, state: 'finalizing' });
      // A new job id: an earlier finalize job of this recording may be kept as failed.
      deps.queue.add('finalize-recording', { recordingId: m.id }, { jobId: `finalize-${m.id}-${boot}` });
      recordingsToFinalize++;
      log.info({ recording: m.id, stream: `${m.app}/${m.name}` }, 'recording interrupted by a restart: finalizing it from storage');
    } else if (m.state === 'ready' && m.mp4.state === 'pending') {
      deps.queue.add('export-mp4', { recordingId: m.id }, { jobId: `mp4-${m.id}-${boot}` });
      exportsRequeued++;
    }
  }
  const playlistsClosed = await closeLeftoverPlaylists(deps.storage, log);
  deps.queue.add('cleanup', { reason: 'startup' }, { jobId: `cleanup-startup-${boot}`, delayMs: deps.endedRetentionMs + 1000 });
  return { recordingsToFinalize, exportsRequeued, playlistsClosed };
}

/** Appends EXT-X-ENDLIST to every live media playlist left open (a preload hint goes: nothing will come). */
async function closeLeftoverPlaylists(storage: MediaStorage, log: Logger): Promise<number> {
  let closed = 0;
  for (const app of await storage.folders('')) {
    if (app === VOD_ROOT) continue;
    for (const key of await storage.list(app)) {
      if (!key.endsWith('.m3u8')) continue;
      const bytes = await storage.readAll(key);
      if (bytes === undefined) continue;
      const text = Buffer.from(bytes).toString('utf8');
      if (!text.includes('#EXTINF') || text.includes('#EXT-X-ENDLIST')) continue;
      const lines = text.split('\n').filter((l) => !l.startsWith('#EXT-X-PRELOAD-HINT') && l !== '');
      await storage.writeAtomic(key, `${lines.join('\n')}\n#EXT-X-ENDLIST\n`);
      closed++;
    }
  }
  if (closed > 0) log.info({ playlists: closed }, 'live playlists left open by the previous process were closed');
  return closed;
}
