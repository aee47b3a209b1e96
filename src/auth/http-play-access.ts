// Access to live media over HTTP (/{app}/{name}/{file}: playlists, LL-HLS playlists, MPDs,
// segments, parts, init segments): the auth.play IP lists, and with auth.play.secret a valid
// ?token=<expires>.<hex> on every request, else 403 (no-store). Playlists and MPDs served with a
// token hand it on to the URIs they list (manifest-tokens.ts). The VOD origin (/vod/…) is not
// guarded. Caching: a response to a tokenized request is `private` — a shared cache (CDN) would
// otherwise hand it to viewers it never checked, and playlists embed the viewer's token; the
// token travels in the URL, so no Vary header could make a shared cache tell viewers apart.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PlayAuthConfig } from '../config/config-schema.js';
import { NO_STORE } from '../http/cache-policy.js';
import type { MediaExtension } from '../http/content-types.js';
import { parseMediaPath } from '../http/media-path.js';
import type { Logger } from '../logging/logger.js';
import { IpRules, normalizeIp } from './ip-rules.js';
import { TOKEN_PARAM, tokenizeMpd, tokenizePlaylist } from './manifest-tokens.js';
import { verifyPlayToken } from './signed-url.js';

/** Rewrites a playlist or MPD body for the response it is sent in (identity when no token was verified). */
export type ManifestRewrite = (res: Response, extension: MediaExtension, text: string) => string;

export interface HttpPlayAccessOptions {
  readonly play: PlayAuthConfig;
  readonly logger: Logger;
  readonly nowMs?: () => number;
}

export interface HttpPlayAccess {
  /** Express middleware; mount it before the live media routes (mpd, LL-HLS, media). */
  readonly guard: RequestHandler;
  /** Pass to mediaRoute, llHlsRoute and mpdRoute as `rewriteManifest`. */
  readonly rewrite: ManifestRewrite;
}

export function httpPlayAccess(options: HttpPlayAccessOptions): HttpPlayAccess {
  const { secret } = options.play;
  const ipRules = new IpRules(options.play.allow, options.play.deny);
  const nowMs = options.nowMs ?? Date.now;
  const log = options.logger.child({ component: 'play-access' });
  /** The token each response's request carried, once verified. */
  const verified = new WeakMap<Response, string>();

  const guard = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'OPTIONS') return next();
    const target = parseMediaPath(req.path);
    if (target === undefined) return next();
    const ip = normalizeIp(req.socket.remoteAddress ?? '');
    const where = { path: `/${target.app}/${target.name}/${target.file}`, ip };
    const byIp = ipRules.check(ip);
    if (!byIp.ok) return deny(res, log, byIp.reason, where);
    if (secret === null) return next();
    const raw = req.query[TOKEN_PARAM];
    const token = typeof raw === 'string' ? raw : undefined;
    const verdict = verifyPlayToken(secret, target.app, target.name, token, Math.floor(nowMs() / 1000));
    if (!verdict.ok || token === undefined) return deny(res, log, verdict.ok ? 'token missing' : verdict.reason, where);
    verified.set(res, token);
    keepPrivate(res);
    next();
  };

  const rewrite: ManifestRewrite = (res, extension, text) => {
    const token = verified.get(res);
    if (token === undefined) return text;
    if (extension === 'm3u8') return tokenizePlaylist(text, token);
    if (extension === 'mpd') return tokenizeMpd(text, token);
    return text;
  };

  return { guard, rewrite };
}

/** 403 that no cache keeps; logged at debug (players retry, one line per request would flood info). */
function deny(res: Response, log: Logger, reason: string, where: { path: string; ip: string }): void {
  log.debug({ ...where, reason }, `media request refused: ${reason}`);
  res.setHeader('Cache-Control', NO_STORE);
  res.status(403).type('text/plain').end(`forbidden: ${reason}\n`);
}

/** Makes the Cache-Control of whatever this response sends `private` (no-store stays as is). */
function keepPrivate(res: Response): void {
  const writeHead = res.writeHead;
  const patched = (...args: unknown[]): unknown => {
    const value = res.getHeader('Cache-Control');
    if (!res.headersSent) res.setHeader('Cache-Control', privateCacheControl(typeof value === 'string' ? value : undefined));
    return Reflect.apply(writeHead, res, args);
  };
  res.writeHead = patched as typeof res.writeHead;
}

/** `public, max-age=2` → `private, max-age=2`; `max-age=1` → `private, max-age=1`; no-store unchanged. */
export function privateCacheControl(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'private, no-cache';
  if (/(^|,)\s*(no-store|private)\s*(,|$)/i.test(value)) return value;
  const directives = value.split(',').map((d) => d.trim()).filter((d) => d !== '' && d.toLowerCase() !== 'public');
  return ['private', ...directives].join(', ');
}
