// An estimate of the HTTP viewers of each live stream: distinct clients (IP address and
// User-Agent) that fetched one of its playlists or manifests successfully in the last 30 s.
// Memory is bounded (entries expire, a cap on all entries) and cleaned up without timers.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { streamKey } from '../streams/stream-names.js';
import { parseMediaPath } from './media-path.js';

export const VIEWER_WINDOW_MS = 30_000;
/** Clients remembered across all streams (~ 300 bytes each); beyond it new clients are not counted until some expire. */
export const MAX_VIEWER_ENTRIES = 100_000;
/** User-Agents are cut to this length in the client key. */
const MAX_USER_AGENT_CHARS = 200;

export interface HttpViewersOptions {
  readonly nowMs: () => number;
  readonly windowMs?: number;
  readonly maxEntries?: number;
}

export class HttpViewers {
  /** Per stream, client key → last fetch time, oldest first (re-inserted on every fetch). */
  private readonly streams = new Map<string, Map<string, number>>();
  private entries = 0;
  private lastSweepMs = 0;
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(private readonly opts: HttpViewersOptions) {
    this.windowMs = opts.windowMs ?? VIEWER_WINDOW_MS;
    this.maxEntries = opts.maxEntries ?? MAX_VIEWER_ENTRIES;
  }

  /** Clients remembered now (for tests of the bound). */
  get size(): number {
    return this.entries;
  }

  /** `client` fetched a playlist or manifest of app/name. */
  seen(app: string, name: string, client: string): void {
    const now = this.opts.nowMs();
    if (now - this.lastSweepMs >= this.windowMs) this.sweep(now);
    const key = streamKey(app, name);
    let clients = this.streams.get(key);
    if (clients === undefined) {
      clients = new Map();
      this.streams.set(key, clients);
    }
    if (clients.delete(client)) this.entries--;
    else this.expire(clients, now);
    if (this.entries >= this.maxEntries) this.sweep(now);
    if (this.entries >= this.maxEntries) {
      if (clients.size === 0) this.streams.delete(key);
      return;
    }
    clients.set(client, now);
    this.entries++;
  }

  /** Distinct clients of app/name in the last window. */
  count(app: string, name: string): number {
    const key = streamKey(app, name);
    const clients = this.streams.get(key);
    if (clients === undefined) return 0;
    this.expire(clients, this.opts.nowMs());
    if (clients.size === 0) this.streams.delete(key);
    return clients.size;
  }

  /** Records successful playlist and manifest fetches of live paths (/{app}/{name}/{file}). */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      if ((req.method === 'GET' || req.method === 'HEAD') && isPlaylistUrl(req.originalUrl)) {
        res.once('finish', () => {
          if (res.statusCode >= 400) return;
          const url = req.originalUrl;
          const q = url.indexOf('?');
          const path = parseMediaPath(q === -1 ? url : url.slice(0, q));
          if (path === undefined) return;
          this.seen(path.app, path.name, clientKey(req));
        });
      }
      next();
    };
  }

  private expire(clients: Map<string, number>, now: number): void {
    for (const [client, at] of clients) {
      if (now - at < this.windowMs) break;
      clients.delete(client);
      this.entries--;
    }
  }

  private sweep(now: number): void {
    this.lastSweepMs = now;
    for (const [key, clients] of this.streams) {
      this.expire(clients, now);
      if (clients.size === 0) this.streams.delete(key);
    }
  }
}

function isPlaylistUrl(url: string): boolean {
  const q = url.indexOf('?');
  const end = q === -1 ? url.length : q;
  return url.endsWith('.m3u8', end) || url.endsWith('.mpd', end);
}

function clientKey(req: Request): string {
  const ua = req.get('user-agent') ?? '';
  return `${req.ip ?? req.socket.remoteAddress ?? '?'} ${ua.length > MAX_USER_AGENT_CHARS ? ua.slice(0, MAX_USER_AGENT_CHARS) : ua}`;
}
