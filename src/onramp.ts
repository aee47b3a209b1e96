// Starts and stops one Onramp process: the stream registry, RTMP/RTMPS listeners and the HTTP
// server, all from one validated config. Used by the CLI, the tests and the benchmark.
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
import type { MediaStorage } from './storage/media-storage.js';
import { StreamRegistry } from './streams/stream-registry.js';

/** Codecs the HLS/DASH packagers take; others are relayed to RTMP players only. */
export const PACKAGED_CODECS: ReadonlySet<string> = new Set(['avc1', 'mp4a', '.mp3']);

export interface OnrampOptions {
  readonly config: OnrampConfig;
  readonly logger: Logger;
  /** Injected for tests; defaults to the wall clock. */
  readonly nowMs?: () => number;
  readonly newSessionId?: () => string;
  /** Where media goes; defaults to the disk under config.mediaDir. */
  readonly storage?: MediaStorage;
}

export interface RunningOnramp {
  readonly rtmpPort: number;
  readonly rtmpsPort: number | undefined;
  readonly httpPort: number;
  readonly registry: StreamRegistry;
  readonly storage: MediaStorage;
  readonly outputs: OutputManager;
  close(): Promise<void>;
}

export async function startOnramp(opts: OnrampOptions): Promise<RunningOnramp> {
  const { config, logger } = opts;
  const nowMs = opts.nowMs ?? (() => Date.now());
  const newSessionId = opts.newSessionId ?? (() => randomUUID().slice(0, 8));
  const storage = opts.storage ?? new DiskStorage(config.mediaDir);
  const notifier = new LocalChangeNotifier();
  const outputs = new OutputManager({
    config,
    storage,
    logger,
    nowMs,
    extraSinks: (_stream, files, firstSequence) =>
      config.cmaf.enabled ? [new CmafSink(files('cmaf'), config.cmaf, config.hls, notifier, nowMs, firstSequence)] : [],
  });
  const registry = new StreamRegistry({
    onPublish: (stream) => outputs.onPublish(stream),
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
  const rtmp = await startRtmpServer({ config, registry, logger, nowMs, newSessionId });
  let http: Server;
  let httpPort: number;
  try {
    http = createServer(createHttpApp({ config, registry, storage, logger, notifier, rtmpPort: () => rtmp.rtmpPort }));
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
    async close() {
      // Stop ingest first, then end every playlist (EXT-X-ENDLIST) before HTTP goes away.
      await rtmp.close();
      await outputs.close();
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await httpClosed;
    },
  };
}
