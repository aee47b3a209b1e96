// DASH manifests: /{app}/{name}/index.mpd read through storage, with the UTCTiming URL made
// absolute for the origin the client used (dash.js requests it as written, relative to the page),
// and the server's clock at /api/time (ISO 8601), so players never call a public time server.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ManifestRewrite } from '../auth/http-play-access.js';
import { redactUrl } from '../auth/redact-url.js';
import type { Logger } from '../logging/logger.js';
import { ORIGIN_PLACEHOLDER, TIME_PATH } from '../outputs/cmaf-sink.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { contentEtag } from '../storage/object-etag.js';
import { NO_STORE } from './cache-policy.js';
import { parseMediaPath } from './media-path.js';

export interface MpdRouteDeps {
  readonly storage: MediaStorage;
  readonly logger: Logger;
  /** Rewrites each MPD per response (hands a playback token on); see src/auth/. */
  readonly rewriteManifest?: ManifestRewrite;
}

export function mpdRoute(deps: MpdRouteDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'dash' });
  router.get(TIME_PATH, (_req, res) => {
    res.setHeader('Cache-Control', NO_STORE);
    res.type('text/plain').send(new Date().toISOString());
  });
  router.get(/\.mpd$/, (req: Request, res: Response, next: NextFunction) => {
    const target = parseMediaPath(req.path);
    if (!target || target.extension !== 'mpd') return next();
    deps.storage.readAll(target.key).then(
      (bytes) => {
        if (bytes === undefined) {
          res.setHeader('Cache-Control', NO_STORE);
          res.status(404).type('text/plain').end('not found\n');
          return;
        }
        const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
        const withOrigin = Buffer.from(bytes).toString('utf8').split(ORIGIN_PLACEHOLDER).join(origin);
        const text = deps.rewriteManifest === undefined ? withOrigin : deps.rewriteManifest(res, 'mpd', withOrigin);
        const body = Buffer.from(text);
        const etag = contentEtag([body]);
        res.setHeader('Content-Type', 'application/dash+xml');
        res.setHeader('Cache-Control', 'max-age=1');
        res.setHeader('ETag', etag);
        if (req.headers['if-none-match'] === etag) {
          res.status(304).end();
          return;
        }
        res.status(200).end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        log.error({ err, url: redactUrl(req.originalUrl) }, 'MPD response failed');
        if (!res.headersSent) res.status(500).setHeader('Cache-Control', NO_STORE).end();
      },
    );
  });
  return router;
}
