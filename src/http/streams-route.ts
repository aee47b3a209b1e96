// GET /api/streams: one JSON entry per live stream, with its playback URLs.
import { Router, type Request } from 'express';
import type { StreamRegistry } from '../streams/stream-registry.js';
import type { HttpViewers } from './http-viewers.js';

export interface StreamsRouteDeps {
  readonly registry: StreamRegistry;
  readonly hlsEnabled: boolean;
  readonly cmafEnabled: boolean;
  /** The RTMP port players connect to (the one actually listening). */
  readonly rtmpPort: () => number;
  /** The HTTP viewer estimate; without it, `viewers.http` is 0. */
  readonly viewers?: HttpViewers;
}

export function streamsRoute(deps: StreamsRouteDeps): Router {
  const router = Router();
  router.get('/api/streams', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const streams = deps.registry.live().map((s) => {
      const d = s.describe();
      // `players` (RTMP) stays for existing clients; `viewers` adds the HTTP estimate beside it.
      const viewers = { rtmp: d.players, http: deps.viewers?.count(s.app, s.name) ?? 0 };
      return { ...d, viewers, playback: playbackUrls(req, deps, s.app, s.name) };
    });
    res.json({ streams });
  });
  return router;
}

function playbackUrls(req: Request, deps: StreamsRouteDeps, app: string, name: string): Record<string, string> {
  // The Host the client used reaches this server; behind a proxy, X-Forwarded-* are not trusted by default.
  const host = req.get('host') ?? `localhost`;
  const hostname = req.hostname || 'localhost';
  const path = `/${encodeURIComponent(app)}/${encodeURIComponent(name)}`;
  const urls: Record<string, string> = { rtmp: `rtmp://${hostname}:${deps.rtmpPort()}${path}` };
  if (deps.hlsEnabled) urls.hls = `${req.protocol}://${host}${path}/index.m3u8`;
  if (deps.cmafEnabled) {
    urls.llHls = `${req.protocol}://${host}${path}/ll.m3u8`;
    urls.dash = `${req.protocol}://${host}${path}/index.mpd`;
  }
  return urls;
}
