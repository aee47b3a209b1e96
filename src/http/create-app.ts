// The Express application: request ids and metrics first, health and /metrics, the API, then the
// media origin. It never listens by itself.
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { OnrampConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/logger.js';
import type { MediaStorage } from '../storage/media-storage.js';
import type { StreamRegistry } from '../streams/stream-registry.js';
import { cors } from './cors.js';
import type { ChangeNotifier } from '../outputs/change-notifier.js';
import { llHlsRoute } from './ll-hls-route.js';
import { mediaRoute } from './media-route.js';
import { mpdRoute } from './mpd-route.js';
import { streamsRoute } from './streams-route.js';
import type { JobQueue } from '../jobs/job-types.js';
import type { RecordingCatalog } from '../recording/recording-catalog.js';
import type { RecordingManager } from '../recording/recording-manager.js';
import { recordingsRoute } from './recordings-route.js';
import { vodRoute } from './vod-route.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import { healthRoute, type Listening } from './health-route.js';
import type { HttpViewers } from './http-viewers.js';
import { metricsRoute } from './metrics-route.js';
import { requestIdMiddleware, requestLog } from './request-id.js';
import { httpPlayAccess } from '../auth/http-play-access.js';
import { redactUrl } from '../auth/redact-url.js';
import { webRoute } from './web-route.js';

export interface HttpDeps {
  readonly config: OnrampConfig;
  readonly registry: StreamRegistry;
  readonly storage: MediaStorage;
  readonly logger: Logger;
  readonly rtmpPort: () => number;
  /** The RTMPS port listening, when RTMPS is on. */
  readonly rtmpsPort?: () => number | undefined;
  readonly notifier: ChangeNotifier;
  readonly catalog: RecordingCatalog;
  readonly recordings: RecordingManager;
  readonly queue: JobQueue;
  /** Whether the RTMP and HTTP listeners are up, for /readyz. */
  readonly listening: () => Listening;
  /** Serves /metrics and counts requests; without it there is no /metrics. */
  readonly metrics?: MetricsRegistry;
  /** The HTTP viewer estimate, fed by playlist fetches and shown in /api/streams. */
  readonly viewers?: HttpViewers;
  /** The job queue dashboard (queue-board.ts), mounted when given (BullMQ backend only). */
  readonly queueBoard?: Router;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  const log = deps.logger.child({ component: 'http' });
  app.disable('x-powered-by');
  app.set('etag', false);
  // First: every request gets an id and is counted, whatever answers it.
  app.use(requestIdMiddleware({ logger: log }));
  if (deps.metrics !== undefined) app.use(deps.metrics.http.middleware());
  if (deps.viewers !== undefined) app.use(deps.viewers.middleware());
  app.use(healthRoute({
    listening: deps.listening,
    storage: deps.storage,
    // Redis is checked only where it is used: the BullMQ backend (the embedded runner has no store).
    queue: deps.queue.backend === 'bullmq' ? deps.queue : undefined,
    logger: deps.logger,
  }));
  if (deps.metrics !== undefined) app.use(metricsRoute(deps.metrics));
  app.use(cors(deps.config.http.corsOrigins));
  app.use(streamsRoute({ registry: deps.registry, hlsEnabled: deps.config.hls.enabled, cmafEnabled: deps.config.cmaf.enabled, rtmpPort: deps.rtmpPort, viewers: deps.viewers }));
  app.use(recordingsRoute({ catalog: deps.catalog, recordings: deps.recordings, queue: deps.queue, logger: deps.logger }));
  if (deps.queueBoard !== undefined) app.use(deps.queueBoard);
  app.use(vodRoute({ storage: deps.storage, catalog: deps.catalog, logger: deps.logger }));
  // Live media: IP rules and playback tokens first; tokenized playlists hand the token on.
  const playAccess = httpPlayAccess({ play: deps.config.auth.play, logger: deps.logger });
  app.use(playAccess.guard);
  app.use(mpdRoute({ storage: deps.storage, logger: deps.logger, rewriteManifest: playAccess.rewrite }));
  app.use(llHlsRoute({ storage: deps.storage, notifier: deps.notifier, logger: deps.logger, rewriteManifest: playAccess.rewrite }));
  app.use(mediaRoute({ storage: deps.storage, logger: deps.logger, rewriteManifest: playAccess.rewrite }));
  // The web page (dashboard, player, recordings, how to stream) and the player libraries.
  app.use(webRoute({ config: deps.config, rtmpPort: deps.rtmpPort, rtmpsPort: deps.rtmpsPort, jobsBackend: deps.queue.backend }));
  app.use((_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    requestLog(req, log).error({ err, url: redactUrl(req.originalUrl) }, 'http handler failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
  return app;
}
