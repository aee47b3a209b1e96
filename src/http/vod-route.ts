// The VOD origin: GET/HEAD of /vod/{app}/{name}/{id}/{file} for finished recordings, and
// /vod/{app}/{name}/latest.m3u8|latest.mpd|latest.mp4 redirecting to the newest one. A recording
// in progress is not served (its files are still growing); segments are immutable.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logging/logger.js';
import { isRecordingId } from '../recording/recording-id.js';
import type { RecordingCatalog } from '../recording/recording-catalog.js';
import type { RecordingMeta } from '../recording/recording-meta.js';
import { RECORDED_INIT, RECORDED_SEGMENT, recordingUrlPath, VOD_ROOT } from '../recording/recording-paths.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { checkStreamName } from '../streams/stream-names.js';
import { IMMUTABLE_CACHE_CONTROL, NO_STORE } from './cache-policy.js';
import type { MediaExtension } from './content-types.js';
import { decodeSegment } from './media-path.js';
import { serveMediaRequest } from './media-route.js';
import { VOD_MP4, VOD_MPD, VOD_MULTIVARIANT } from '../../pipeline/packaging/vod-model.js';

/** A finished recording's manifests never change, but a deleted one should leave CDN caches in time. */
export const VOD_MANIFEST_CACHE_CONTROL = 'public, max-age=3600';

/** The files of a recording folder the origin serves. */
const VOD_FILE = new RegExp(`^(?:(?<manifest>index\\.m3u8|[va]\\.m3u8|index\\.mpd)|(?<segment>${RECORDED_SEGMENT.source.slice(1, -1)}|${RECORDED_INIT.source.slice(1, -1)})|(?<download>recording\\.mp4))$`);

const LATEST: Readonly<Record<string, string>> = { 'latest.m3u8': VOD_MULTIVARIANT, 'latest.mpd': VOD_MPD, 'latest.mp4': VOD_MP4 };

export interface VodRouteDeps {
  readonly storage: MediaStorage;
  readonly catalog: RecordingCatalog;
  readonly logger: Logger;
}

export function vodRoute(deps: VodRouteDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'vod-origin' });
  router.use(`/${VOD_ROOT}`, (req: Request, res: Response, next: NextFunction) => {
    const parts = req.path.split('/').map(decodeSegment);
    if (parts[0] !== '' || parts.some((p) => p === undefined)) return next();
    const [, app, name, idOrLatest, file] = parts as string[];
    if (app === undefined || name === undefined || checkStreamName('app', app) !== undefined || checkStreamName('stream', name) !== undefined) return next();
    // Own keys only: "constructor" or "__proto__" are not latest.* names.
    if (parts.length === 4 && Object.hasOwn(LATEST, idOrLatest)) {
      const target = LATEST[idOrLatest];
      const meta = deps.catalog.latest(app, name, target === VOD_MP4);
      res.setHeader('Cache-Control', 'no-cache');
      if (meta === undefined) {
        res.setHeader('Cache-Control', NO_STORE);
        res.status(404).json({ error: `no finished recording of ${app}/${name}` });
        return;
      }
      res.redirect(302, recordingUrlPath(meta, target));
      return;
    }
    if (parts.length !== 5 || !isRecordingId(idOrLatest)) return next();
    const match = VOD_FILE.exec(file)?.groups;
    if (match === undefined) return next();
    const meta = deps.catalog.get(idOrLatest);
    if (meta === undefined || meta.app !== app || meta.name !== name || !servable(meta, match.download !== undefined)) {
      res.setHeader('Cache-Control', NO_STORE);
      res.status(404).type('text/plain').end('not found\n');
      return;
    }
    const extension = file.slice(file.lastIndexOf('.') + 1) as MediaExtension;
    const cacheControl = match.segment !== undefined ? IMMUTABLE_CACHE_CONTROL : VOD_MANIFEST_CACHE_CONTROL;
    serveMediaRequest(deps.storage, log, req, res, { key: `${VOD_ROOT}/${app}/${name}/${idOrLatest}/${file}`, extension, mutable: false }, cacheControl);
  });
  return router;
}

function servable(meta: RecordingMeta, download: boolean): boolean {
  return download ? meta.mp4.state === 'ready' : meta.state === 'ready';
}
