// A small Express app for origin tests: cors + mediaRoute + the same 404/500 fallbacks as
// create-app.ts, listening on 127.0.0.1:0; plus a raw HTTP client that sends paths unnormalised.
import express, { type NextFunction, type Request, type Response } from 'express';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cors } from '../../../src/http/cors.js';
import { mediaRoute } from '../../../src/http/media-route.js';
import { createMemoryLogger, type MemoryLogger } from '../../../src/logging/memory-logger.js';
import type { MediaStorage } from '../../../src/storage/media-storage.js';

export interface MediaTestAppOptions {
  readonly storage: MediaStorage;
  readonly corsOrigins?: readonly string[];
  readonly playlistMaxAgeSec?: number;
}

export interface MediaTestApp {
  readonly port: number;
  readonly log: MemoryLogger;
  url(path: string): string;
  close(): Promise<void>;
}

export async function startMediaTestApp(options: MediaTestAppOptions): Promise<MediaTestApp> {
  const log = createMemoryLogger({ level: 'debug' });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(cors(options.corsOrigins ?? ['*']));
  app.use(mediaRoute({ storage: options.storage, logger: log.logger, playlistMaxAgeSec: options.playlistMaxAgeSec }));
  app.use((_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).json({ error: status === 500 ? 'internal error' : 'bad request' });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    log,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Sends `path` byte for byte (fetch and URL would resolve "..", "%2e%2e" and friends first). */
export function rawRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
