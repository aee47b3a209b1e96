// The web route alone: the page and its modules with their cache headers, the player libraries
// from node_modules with a JavaScript content type, and GET /api/server.
import express from 'express';
import { createServer, get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/default-config.js';
import { webRoute } from '../../../src/http/web-route.js';

/** A GET with headers fetch() would change (Host) or add to (conditional requests get no-cache). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

describe('webRoute', () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const app = express();
    app.use(webRoute({ config: defaultConfig({ recording: { streams: ['live'] } }), rtmpPort: () => 19350, jobsBackend: 'embedded' }));
    app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves index.html at / with no-cache, and modules and styles revalidated by ETag', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<script type="module" src="/js/app.js">');

    const js = await fetch(`${base}/js/app.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = js.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await get(`${base}/js/app.js`, { 'if-none-match': etag! })).status).toBe(304);
    expect((await fetch(`${base}/css/style.css`)).headers.get('content-type')).toMatch(/^text\/css/);
  });

  it.each([
    ['/lib/hls.js', 'Hls'],
    ['/lib/dash.js', 'dashjs'],
  ])('serves %s from node_modules as JavaScript', async (path, global) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await res.text()).toContain(global);
  });

  it('answers GET /api/server with the RTMP URL for the host the request came in on', async () => {
    const res = await get(`${base}/api/server`, { host: 'studio.example:8000' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(res.body)).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      rtmp: { port: 19350, url: 'rtmp://studio.example:19350/live' },
      rtmps: null,
      hls: { enabled: true, segmentDurationMs: 2000 },
      keyframeIntervalSec: 2,
      cmaf: true,
      recording: { streams: ['live'], mp4: true },
      publishKeyRequired: false,
      jobsBackend: 'embedded',
    });
  });

  it('leaves everything else to the routes after it', async () => {
    for (const path of ['/nothing.html', '/js/../../package.json', '/%2e%2e/package.json', '/.hidden']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found' });
    }
  });
});
