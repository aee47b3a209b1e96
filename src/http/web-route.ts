// The web page: public/ (dashboard, player, recordings, how-to), the player libraries from
// node_modules at /lib/hls.js and /lib/dash.js (never a CDN), and GET /api/server, the facts the
// how-to panel shows (RTMP URL, keyframe interval). Mounted last, just before the 404 handler.
import express, { Router, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OnrampConfig } from '../config/config-schema.js';
import { ONRAMP_VERSION } from '../config/version.js';
import { NO_STORE } from './cache-policy.js';

export interface WebRouteDeps {
  readonly config: OnrampConfig;
  /** The RTMP port actually listening. */
  readonly rtmpPort: () => number;
  /** The RTMPS port actually listening, when RTMPS is on (defaults to the configured one). */
  readonly rtmpsPort?: () => number | undefined;
  readonly jobsBackend: string;
  /** Where index.html lives; found next to the sources (or the compiled copy) by default. */
  readonly publicDir?: string;
}

/** HTML is revalidated on every load, so a new version shows at once; scripts and styles for a
 *  minute, then revalidated by ETag; the libraries change only with npm, so for an hour. */
const HTML_CACHE = 'no-cache';
const ASSET_CACHE = 'public, max-age=60';
const LIBRARY_CACHE = 'public, max-age=3600';
const JS_TYPE = 'text/javascript; charset=utf-8';

const require = createRequire(import.meta.url);

/** The player libraries: URL → module specifier of the browser (UMD) build. Their source maps sit
 *  next to them under the name the build's sourceMappingURL gives. */
const LIBRARIES: Readonly<Record<string, string>> = {
  '/lib/hls.js': 'hls.js/dist/hls.min.js',
  '/lib/dash.js': 'dashjs', // "require" condition: dist/modern/umd/dash.all.min.js
};

export function webRoute(deps: WebRouteDeps): Router {
  const router = Router();
  const root = deps.publicDir ?? findPublicDir();
  for (const [url, specifier] of Object.entries(LIBRARIES)) serveLibrary(router, url, specifier);

  router.get('/api/server', (req, res) => {
    res.setHeader('Cache-Control', NO_STORE);
    res.json(serverInfo(req, deps));
  });
  router.use(
    express.static(root, {
      index: 'index.html',
      dotfiles: 'ignore',
      redirect: false,
      setHeaders: (res, path) => res.setHeader('Cache-Control', extname(path) === '.html' ? HTML_CACHE : ASSET_CACHE),
    }),
  );
  return router;
}

/** GET /api/server: what a publisher needs to know, with the host this request came in on. */
export function serverInfo(req: Request, deps: WebRouteDeps): Record<string, unknown> {
  const { config } = deps;
  const host = urlHost(req.hostname || 'localhost');
  const rtmpPort = deps.rtmpPort();
  const rtmpsPort = config.rtmps ? (deps.rtmpsPort?.() ?? config.rtmps.port) : undefined;
  const publish = config.auth.publish;
  return {
    version: ONRAMP_VERSION,
    rtmp: { port: rtmpPort, url: `rtmp://${host}:${rtmpPort}/live` },
    rtmps: rtmpsPort === undefined ? null : { port: rtmpsPort, url: `rtmps://${host}:${rtmpsPort}/live` },
    hls: { enabled: config.hls.enabled, segmentDurationMs: config.hls.segmentDurationMs },
    keyframeIntervalSec: config.hls.segmentDurationMs / 1000,
    cmaf: config.cmaf.enabled,
    recording: { streams: config.recording.streams, mp4: config.recording.mp4 },
    /** A stream name alone is not enough to publish: the key comes from the administrator. */
    publishKeyRequired: Object.keys(publish.keys).length > 0 || publish.secret !== null || publish.callbackUrl !== null,
    jobsBackend: deps.jobsBackend,
  };
}

function serveLibrary(router: Router, url: string, specifier: string): void {
  let file: string | undefined;
  try {
    file = require.resolve(specifier);
  } catch {
    file = undefined; // not installed: the page says the player is unavailable
  }
  router.get(url, (_req, res) => sendLibrary(res, file, JS_TYPE, url));
  if (file === undefined) return;
  const map = `${file}.map`;
  if (existsSync(map)) router.get(`/lib/${basename(map)}`, (_req, res) => sendLibrary(res, map, 'application/json; charset=utf-8', url));
}

function sendLibrary(res: Response, file: string | undefined, type: string, url: string): void {
  if (file === undefined) {
    res.setHeader('Cache-Control', NO_STORE);
    res.status(404).type('text/plain').send(`${url} is not installed on this server (npm install)\n`);
    return;
  }
  res.sendFile(file, { headers: { 'Content-Type': type, 'Cache-Control': LIBRARY_CACHE }, etag: true, lastModified: true });
}

/** public/ beside src/ (tsx, vitest) or two levels up from the compiled dist/src/http/. */
function findPublicDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../../public'), join(here, '../../../public')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

function urlHost(hostname: string): string {
  return hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
}
