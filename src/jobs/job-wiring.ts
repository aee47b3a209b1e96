// Connects the job queue to the service: the handler of every job kind, start-up recovery, the
// periodic cleanup, and the watch folder. Returns what shutdown must stop.
import type { OnrampConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/logger.js';
import { runCleanup } from '../maintenance/cleanup.js';
import { recoverAtStartup } from '../maintenance/startup-recovery.js';
import { importFlv } from '../recording/flv-import.js';
import { exportRecordingMp4 } from '../recording/mp4-export.js';
import type { RecordingCatalog } from '../recording/recording-catalog.js';
import { finalizeRecording } from '../recording/recording-finalizer.js';
import type { RecordingManager } from '../recording/recording-manager.js';
import type { RecordingMeta } from '../recording/recording-meta.js';
import { recordingUrlPath } from '../recording/recording-paths.js';
import { moveImportedFile, startWatchFolder, type WatchFolder } from '../recording/watch-folder.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { createWebhookDeliveryHandler } from '../webhooks/webhook-delivery.js';
import type { WebhookNotifier } from '../webhooks/webhook-notifier.js';
import { PermanentJobError, type JobHandlers, type JobQueue } from './job-types.js';
import { VOD_MP4, VOD_MPD, VOD_MULTIVARIANT } from '../../pipeline/packaging/vod-model.js';

export interface JobWiringDeps {
  readonly config: OnrampConfig;
  readonly storage: MediaStorage;
  readonly logger: Logger;
  readonly nowMs: () => number;
  readonly queue: JobQueue;
  readonly catalog: RecordingCatalog;
  readonly recordings: RecordingManager;
  readonly webhooks: WebhookNotifier;
  /** Whether a live stream's folder is in use by this process. */
  readonly inUse: (app: string, name: string) => boolean;
}

export interface RunningJobs {
  close(): Promise<void>;
}

export async function startJobs(deps: JobWiringDeps): Promise<RunningJobs> {
  const { config, storage, logger, queue, catalog } = deps;
  const log = logger.child({ component: 'jobs' });
  const recordingReady = (meta: RecordingMeta): void => {
    deps.webhooks.recordingReady(meta.app, meta.name, {
      id: meta.id, durationSec: meta.durationSec, bytes: meta.bytes,
      hls: recordingUrlPath(meta, VOD_MULTIVARIANT), dash: recordingUrlPath(meta, VOD_MPD), mp4: recordingUrlPath(meta, VOD_MP4),
    });
  };
  const deliver = config.webhooks.url === null
    ? undefined
    : createWebhookDeliveryHandler({ url: config.webhooks.url, secret: config.webhooks.secret, timeoutMs: config.webhooks.timeoutMs, logger });
  const handlers: JobHandlers = {
    'finalize-recording': (p) => finalizeRecording({
      storage, catalog, logger,
      isActive: (id) => deps.recordings.isActive(id),
      onReady: (meta) => {
        // recording.ready is sent once every output exists: after the MP4 when it is exported.
        if (meta.mp4.state === 'off') recordingReady(meta);
        else queue.add('export-mp4', { recordingId: meta.id }, { jobId: `mp4-${meta.id}` });
      },
    }, p.recordingId),
    'export-mp4': async (p, ctx) => {
      try {
        const meta = await exportRecordingMp4({ storage, catalog, logger }, p.recordingId);
        if (meta !== undefined) recordingReady(meta);
      } catch (err) {
        if (err instanceof PermanentJobError || ctx.attempt >= ctx.maxAttempts) {
          await catalog.update(p.recordingId, (m) => ({ ...m, mp4: { state: 'failed', bytes: 0 } }));
          const meta = catalog.get(p.recordingId);
          if (meta?.state === 'ready') recordingReady(meta); // HLS and DASH still work
        }
        throw err;
      }
    },
    'cleanup': async (p) => {
      const report = await runCleanup({
        storage, catalog, logger, nowMs: deps.nowMs, inUse: deps.inUse,
        endedRetentionMs: config.hls.endedRetentionMs, recordingRetentionHours: config.recording.retentionHours,
      });
      log.debug({ reason: p.reason, ...report }, 'cleanup done');
    },
    'deliver-webhook': async (p, ctx) => {
      if (deliver === undefined) throw new PermanentJobError('no webhook URL is configured any more');
      await deliver(p, ctx);
    },
    'import-flv': async (p) => {
      try {
        await importFlv({
          storage, catalog, queue, logger, mp4: config.recording.mp4,
          fragmentDurationMs: config.recording.fragmentDurationMs, targetDurationSec: config.hls.segmentDurationMs / 1000,
        }, p.path, p.app, p.name);
      } catch (err) {
        if (err instanceof PermanentJobError) await moveImportedFile(p.path, 'failed').catch(() => undefined);
        throw err;
      }
      await moveImportedFile(p.path, 'done').catch((err: unknown) => log.warn({ err, file: p.path }, 'imported file could not be moved to done/'));
    },
  };
  const recovery = await recoverAtStartup({ storage, catalog, queue, logger, nowMs: deps.nowMs, endedRetentionMs: config.hls.endedRetentionMs });
  if (recovery.recordingsToFinalize + recovery.exportsRequeued + recovery.playlistsClosed > 0) log.info({ ...recovery }, 'start-up recovery');
  await queue.start(handlers);
  const interval = config.jobs.cleanupIntervalMs;
  const timer = setInterval(() => {
    // One cleanup per interval even with several processes on one Redis: the id names the slot.
    queue.add('cleanup', { reason: 'periodic' }, { jobId: `cleanup-${Math.floor(deps.nowMs() / interval)}` });
  }, interval);
  timer.unref();
  let watchFolder: WatchFolder | undefined;
  if (config.watch.dir !== null) {
    watchFolder = await startWatchFolder({ dir: config.watch.dir, app: config.watch.app, queue, logger });
  }
  if (config.webhooks.url !== null && config.webhooks.secret === null) {
    log.warn('webhooks.url is set without webhooks.secret: webhook requests are not signed');
  }
  return {
    async close() {
      clearInterval(timer);
      await watchFolder?.close();
      await queue.close(10_000);
    },
  };
}
