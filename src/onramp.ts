// Starts and stops one Onramp process: the stream registry, RTMP/RTMPS listeners and the HTTP
// server, all from one validated config. Used by the CLI, the tests and the benchmark.
import { IoPressure } from './outputs/io-pressure.js';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { OnrampConfig } from './config/config-schema.js';
import type { Logger } from './logging/logger.js';
import { createHttpApp } from './http/create-app.js';
import { LocalChangeNotifier } from './outputs/change-notifier.js';
import { CmafSink } from './outputs/cmaf-sink.js';
import { OutputManager } from './outputs/output-manager.js';
import { startRtmpServer } from './rtmp/rtmp-server.js';
import { DiskStorage } from './storage/disk-storage.js';
import { LiveObjectCache } from './storage/live-object-cache.js';
import type { MediaStorage } from './storage/media-storage.js';
import { StreamRegistry } from './streams/stream-registry.js';
import { createJobQueue } from './jobs/create-job-queue.js';
import type { JobQueue } from './jobs/job-types.js';
import { startJobs } from './jobs/job-wiring.js';
import { RecordingCatalog } from './recording/recording-catalog.js';
import { RecordingManager } from './recording/recording-manager.js';
import { WebhookNotifier } from './webhooks/webhook-notifier.js';
import { MetricsRegistry } from './metrics/metrics-registry.js';
import { HttpViewers } from './http/http-viewers.js';

/** Codecs the HLS/DASH packagers take; others are relayed to RTMP players only. */
export const PACKAGED_CODECS: ReadonlySet<string> = new Set(['avc1', 'mp4a', '.mp3']);

/** How often a low-latency playlist (and the live MPD) held in memory is written through to
 *  disk, for a restart after a crash to find and close (shutdown writes the last versions at
 *  once). Replacing a file is the costliest write there is (on ext4 the rename over the old file
 *  starts writing the new one back and frees the old one's blocks, discarding them when mounted
 *  with `discard`, within the call): every 10 s these took about a quarter of the writer thread
 *  at 100 streams. */
const LL_WRITE_BEHIND_MS = 30_000;

export interface OnrampOptions {
  readonly config: OnrampConfig;
  readonly logger: Logger;
  /** Injected for tests; defaults to the wall clock. */
  readonly nowMs?: () => number;
  readonly newSessionId?: () => string;
  /** Where media goes; defaults to the disk under config.mediaDir. */
  readonly storage?: MediaStorage;
  /** The job queue; defaults to BullMQ when config.redisUrl is set, else the embedded runner. */
  readonly queue?: JobQueue;
  /** The storage-backlog gauge that pauses ingest; defaults to IO_HIGH_WATER_BYTES / IO_LOW_WATER_BYTES. */
  readonly ioPressure?: IoPressure;
}

export interface RunningOnramp {
  readonly rtmpPort: number;
  readonly rtmpsPort: number | undefined;
  readonly httpPort: number;
  readonly registry: StreamRegistry;
  readonly storage: MediaStorage;
  readonly outputs: OutputManager;
  readonly queue: JobQueue;
  readonly catalog: RecordingCatalog;
  readonly recordings: RecordingManager;
  /** This process's metrics (served at /metrics). */
  readonly metrics: MetricsRegistry;
  /**
   * Graceful stop: no new connections, publishers told and disconnected, every playlist ended
   * (EXT-X-ENDLIST, static MPD), recordings written and finalized, running jobs finished, HTTP
   * closed. Waiting for queued jobs stops at `jobsDeadlineMs` (what is left runs at the next start).
   */
  close(opts?: { readonly jobsDeadlineMs?: number }): Promise<void>;
}

export async function startOnramp(opts: OnrampOptions): Promise<RunningOnramp> {
  const { config, logger } = opts;
  const nowMs = opts.nowMs ?? (() => Date.now());
  const newSessionId = opts.newSessionId ?? (() => randomUUID().slice(0, 8));
  // Low-latency HLS parts and playlists change several times a second: they are kept in memory
  // (see live-object-cache.ts); the rest goes to disk as it is written.
  const storage = opts.storage ?? new LiveObjectCache(new DiskStorage(config.mediaDir), {
    writeBehindMs: LL_WRITE_BEHIND_MS,
    onError: (err, key) => logger.error({ component: 'storage', err, key }, 'playlist write-through failed'),
  });
  const notifier = new LocalChangeNotifier();
  const queue = opts.queue ?? (await createJobQueue({ redisUrl: config.redisUrl, prefix: config.jobs.prefix, logger }));
  const catalog = new RecordingCatalog(storage, logger);
  const webhooks = new WebhookNotifier({ queue, url: config.webhooks.url, nowMs });
  const metrics = new MetricsRegistry();
  const viewers = new HttpViewers({ nowMs });
  const recordings = new RecordingManager({ recording: config.recording, hls: config.hls, storage, catalog, queue, logger, nowMs });
  const ioPressure = opts.ioPressure ?? new IoPressure();
  const outputs = new OutputManager({
    config,
    storage,
    logger,
    nowMs,
    ioPressure,
    segmentObserver: metrics.segments,
    extraSinks: (stream, files, firstSequence) => [
      ...(config.cmaf.enabled ? [new CmafSink(files('cmaf'), config.cmaf, config.hls, notifier, nowMs, firstSequence)] : []),
      ...[recordings.autoSink(stream.app, stream.name)].filter((s) => s !== undefined),
    ],
  });
  recordings.attach(outputs);
  const registry = new StreamRegistry({
    onPublish: (stream) => {
      outputs.onPublish(stream);
      webhooks.publish(stream.app, stream.name);
    },
    onUnpublish: (stream) => webhooks.unpublish(stream.app, stream.name),
    publisherTakeover: config.streams.publisherTakeover,
    staleAfterMs: config.streams.staleAfterMs,
    gopCache: config.streams.gopCache,
    maxGopCacheBytes: config.streams.maxGopCacheBytes,
    nowMs,
    onBadTag: (message) => logger.warn({ component: 'streams' }, `bad media tag dropped: ${message}`),
    onTrack: (stream, kind, track) => {
      const fields = { component: 'streams', stream: `${stream.app}/${stream.name}`, kind, codec: track.codec, codecString: track.codecString };
      if (PACKAGED_CODECS.has(track.codec)) logger.info(fields, `${kind} track: ${track.codecString ?? track.codec}`);
      else logger.info(fields, `${kind} track: ${track.codec} is relayed over RTMP but cannot be packaged for HLS/DASH yet`);
    },
  });
  outputs.attach(registry);
  metrics.watchStreams(registry, viewers);
  metrics.watchQueue(queue);
  const jobs = await startJobs({ config, storage, logger, nowMs, queue, catalog, recordings, webhooks, inUse: (app, name) => outputs.packagingFor(app, name) !== undefined });
  let rtmp: Awaited<ReturnType<typeof startRtmpServer>>;
  try {
    rtmp = await startRtmpServer({ config, registry, logger, nowMs, newSessionId, ioPressure });
  } catch (err) {
    await jobs.close();
    throw err;
  }
  let rtmpClosed = false;
  let http: Server;
  let httpPort: number;
  try {
    const listening = (): { rtmp: boolean; http: boolean } => ({ rtmp: !rtmpClosed, http: http.listening });
    // The queue dashboard (and the packages behind it) only for the BullMQ backend.
    const queueBoard = queue.backend === 'bullmq' ? (await import('./jobs/queue-board.js')).queueBoardRouter(queue) : undefined;
    http = createServer(createHttpApp({ config, registry, storage, logger, notifier, rtmpPort: () => rtmp.rtmpPort, rtmpsPort: () => rtmp.rtmpsPort, catalog, recordings, queue, listening, metrics, viewers, queueBoard }));
    httpPort = await new Promise<number>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.http.port, config.host, () => {
        http.off('error', reject);
        const addr = http.address();
        resolve(typeof addr === 'object' && addr ? addr.port : config.http.port);
      });
    });
  } catch (err) {
    await rtmp.close();
    await jobs.close();
    throw err;
  }
  // After listening, accept errors (EMFILE...) are logged; they must not take the process down.
  http.on('error', (err) => logger.error({ component: 'http', err }, 'http server error'));
  logger.info({ component: 'http', port: httpPort }, 'http listening');
  return {
    rtmpPort: rtmp.rtmpPort,
    rtmpsPort: rtmp.rtmpsPort,
    httpPort,
    registry,
    storage,
    outputs,
    queue,
    catalog,
    recordings,
    metrics,
    async close(closeOpts = {}) {
      // Stop ingest first, then end every playlist (EXT-X-ENDLIST) and recording before HTTP goes
      // away; the jobs this brings (finalizing recordings) run until the deadline, and running
      // jobs finish; anything left is picked up at the next start.
      rtmpClosed = true;
      await rtmp.close();
      await outputs.close();
      await recordings.idle();
      if (closeOpts.jobsDeadlineMs !== undefined) {
        const left = closeOpts.jobsDeadlineMs - Date.now();
        if (left > 0) {
          let timer: NodeJS.Timeout | undefined;
          // Jobs that can run now; those due later stay queued (Redis) or are redone at the next start.
          await Promise.race([queue.drained(), new Promise<void>((r) => (timer = setTimeout(r, left)))]);
          clearTimeout(timer);
        }
      }
      await jobs.close();
      if (storage instanceof LiveObjectCache) await storage.flush();
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await httpClosed;
    },
  };
}
