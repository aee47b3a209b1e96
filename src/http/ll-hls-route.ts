// Low-latency HLS delivery (HLS 2nd edition §6.2.5): blocking playlist reload with _HLS_msn and
// _HLS_part (answered when the part exists, 400 beyond the live edge, 503 after 3 target
// durations), delta updates with _HLS_skip, and parts requested before they exist (preload
// hints) held until written. Everything is read through storage; waits end by notification.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ManifestRewrite } from '../auth/http-play-access.js';
import { redactUrl } from '../auth/redact-url.js';
import type { Logger } from '../logging/logger.js';
import type { ChangeNotifier } from '../outputs/change-notifier.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { contentEtag } from '../storage/object-etag.js';
import { NO_STORE } from './cache-policy.js';
import { playlistEdge, playlistReaches } from './ll-playlist-edge.js';
import { parseMediaPath } from './media-path.js';

export interface LlHlsRouteDeps {
  readonly storage: MediaStorage;
  readonly notifier: ChangeNotifier;
  readonly logger: Logger;
  /** Rewrites each playlist per response (hands a playback token on); see src/auth/. */
  readonly rewriteManifest?: ManifestRewrite;
}

/** Low-latency media playlists: ll-v.m3u8, ll-a.m3u8 (their delta forms end in -delta). */
const LL_PLAYLIST = /^ll-[va]\.m3u8$/;
/** Parts: v-<start>.<index>.m4s. */
const PART_FILE = /^[va]-\d+\.\d+\.m4s$/;
/** §6.2.5.2: a request more than this many parts past the last one gets 400 at once. */
const ADVANCE_PART_LIMIT = 3;
/** §6.2.5.2: a request for a segment more than this past the last one gets 400 at once. */
const ADVANCE_SEGMENT_LIMIT = 2;
/** How long a request for a part that does not exist yet may wait for it. */
const PART_WAIT_MS = 3000;

export function deltaPlaylistName(playlist: string): string {
  return playlist.replace(/\.m3u8$/, '-delta.m3u8');
}

export function llHlsRoute(deps: LlHlsRouteDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'll-hls' });
  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    const target = parseMediaPath(req.path);
    if (!target) return next();
    const work = LL_PLAYLIST.test(target.file)
      ? servePlaylist(deps, req, res, target.key)
      : PART_FILE.test(target.file)
        ? holdPart(deps, req, target.key).then(() => next())
        : Promise.resolve(next());
    work.catch((err: unknown) => {
      log.error({ err, url: redactUrl(req.originalUrl) }, 'low-latency HLS response failed');
      if (!res.headersSent) res.status(500).setHeader('Cache-Control', NO_STORE).end();
    });
  });
  return router;
}

type Query = { msn?: number; part?: number; skip: boolean } | { error: string };

function readQuery(req: Request): Query {
  const q = req.query;
  const int = (name: string): number | undefined | null => {
    const v = q[name];
    if (v === undefined) return undefined;
    return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null;
  };
  const msn = int('_HLS_msn');
  const part = int('_HLS_part');
  if (msn === null) return { error: '_HLS_msn must be a non-negative integer' };
  if (part === null) return { error: '_HLS_part must be a non-negative integer' };
  if (part !== undefined && msn === undefined) return { error: '_HLS_part needs _HLS_msn' };
  const skip = q._HLS_skip === 'YES' || q._HLS_skip === 'v2';
  return { msn, part, skip };
}

async function servePlaylist(deps: LlHlsRouteDeps, req: Request, res: Response, key: string): Promise<void> {
  const query = readQuery(req);
  if ('error' in query) return void sendError(res, 400, query.error);
  const deadline = Date.now();
  let changed = deps.notifier.next(key); // taken before reading, so no notification is missed
  let text = await readText(deps.storage, key);
  if (text === undefined) return void sendError(res, 404, 'not found');
  if (query.msn !== undefined) {
    let edge = playlistEdge(text);
    const tooFar =
      !edge.ended &&
      (query.msn > edge.lastSegmentMsn + ADVANCE_SEGMENT_LIMIT ||
        (query.part !== undefined && edge.lastPart !== undefined && query.msn === edge.lastPart.msn && query.part > edge.lastPart.index + ADVANCE_PART_LIMIT));
    if (tooFar) return void sendError(res, 400, `_HLS_msn=${query.msn} _HLS_part=${query.part ?? '-'} is too far beyond the live edge`);
    const limitMs = deadline + 3 * Math.max(1, edge.targetDurationSec) * 1000;
    while (!playlistReaches(edge, query.msn, query.part)) {
      const left = limitMs - Date.now();
      if (left <= 0 || !(await within(changed, left))) return void sendError(res, 503, 'the requested part did not become available in time');
      changed = deps.notifier.next(key);
      const next = await readText(deps.storage, key);
      if (next === undefined) return void sendError(res, 404, 'not found');
      text = next;
      edge = playlistEdge(text);
    }
  }
  if (query.skip) {
    const delta = await readText(deps.storage, deltaPlaylistName(key));
    // Serve the delta only if it is of the same version as the full playlist just read.
    if (delta !== undefined && sameEdge(delta, text)) text = delta;
  }
  if (deps.rewriteManifest !== undefined) text = deps.rewriteManifest(res, 'm3u8', text);
  const blocking = query.msn !== undefined;
  res.setHeader('Content-Type', 'application/vnd.apple.mpegurl');
  // A blocking response holds at least what it asked for: a CDN may keep it briefly (its URL,
  // query included, is the cache key); plain reloads must always revalidate.
  res.setHeader('Cache-Control', blocking ? 'public, max-age=2' : 'no-cache');
  res.setHeader('ETag', contentEtag([Buffer.from(text)]));
  res.status(200).end(req.method === 'HEAD' ? undefined : text);
}

async function holdPart(deps: LlHlsRouteDeps, req: Request, key: string): Promise<void> {
  if (req.method !== 'GET') return;
  const deadline = Date.now() + PART_WAIT_MS;
  for (;;) {
    const changed = deps.notifier.next(key);
    if (await deps.storage.stat(key)) return;
    const left = deadline - Date.now();
    if (left <= 0 || !(await within(changed, left))) return; // the media route answers 404
  }
}

function sameEdge(a: string, b: string): boolean {
  const x = playlistEdge(a);
  const y = playlistEdge(b);
  return x.lastSegmentMsn === y.lastSegmentMsn && x.lastPart?.msn === y.lastPart?.msn && x.lastPart?.index === y.lastPart?.index;
}

async function readText(storage: MediaStorage, key: string): Promise<string | undefined> {
  const bytes = await storage.readAll(key);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

/** Resolves true if `p` settles within `ms`, false otherwise. */
function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function sendError(res: Response, status: number, message: string): void {
  res.setHeader('Cache-Control', NO_STORE);
  res.status(status).type('text/plain').end(`${message}\n`);
}
