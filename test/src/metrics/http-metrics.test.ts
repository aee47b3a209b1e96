// HTTP request metrics: the route label comes from a fixed set whatever the URL (never the raw
// path), statuses are counted when the response closes, an aborted request counts as 499.
import express from 'express';
import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyRoute, HTTP_ROUTE_LABELS, type HttpRouteLabel } from '../../../src/metrics/http-route-label.js';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import { waitFor } from '../../helpers/test-server.js';
import { parsePromText, samplesOf, valueOf } from './prom-text.js';

const CASES: readonly (readonly [string, HttpRouteLabel])[] = [
  ['/live/cam/index.m3u8', 'playlist'],
  ['/live/cam/ll-v.m3u8?_HLS_msn=12&_HLS_part=3', 'playlist'],
  ['/live/cam/index.mpd', 'manifest'],
  ['/live/cam/seg-1700000000.ts', 'segment'],
  ['/live/cam/v-123.4.m4s', 'segment'],
  ['/live/cam/init-v-0a1b2c3d.mp4', 'segment'],
  ['/api/streams', 'api'],
  ['/api/time?iso', 'api'],
  ['/api', 'api'],
  ['/vod/live/cam/20250101T000000Z-ab12/index.m3u8', 'vod'],
  ['/metrics', 'metrics'],
  ['/metrics?x=1', 'metrics'],
  ['/healthz', 'health'],
  ['/readyz', 'health'],
  ['/', 'web'],
  ['/app.js', 'web'],
  ['/style.css?v=3', 'web'],
  ['/admin/queues', 'web'],
  ['/metricsx', 'other'],
  ['/readyzz', 'other'],
  ['/apix/streams', 'other'],
  ['/wp-login.php', 'other'],
  ['/live/cam/index.m3u8.bak', 'other'],
  ['/x?y=.m3u8', 'other'],
];

describe('classifyRoute', () => {
  it.each(CASES)('%s → %s', (url, label) => expect(classifyRoute(url)).toBe(label));

  it('returns a label of the fixed set for any URL', () => {
    fc.assert(fc.property(fc.string(), (s) => HTTP_ROUTE_LABELS.includes(classifyRoute(`/${s}`))));
  });
});

describe('HTTP request metrics', () => {
  let server: Server;
  let port: number;
  const metrics = new MetricsRegistry({ processMetrics: false });
  beforeAll(async () => {
    const app = express();
    app.use(metrics.http.middleware());
    app.get('/live/cam/index.m3u8', (_req, res) => void res.type('application/vnd.apple.mpegurl').send('#EXTM3U\n'));
    app.get('/hang', () => undefined);
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.use((_req, res) => void res.status(404).end());
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).end());
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('counts by route label and status, never with a label taken from the URL', async () => {
    const hostile = ['/live/cam/seg-1.ts', '/%2e%2e/etc/passwd', '/live/evil"}name/index.m3u8', '/random-path-8d7f6e', `/${'a'.repeat(2000)}`];
    for (let i = 0; i < 3; i++) expect((await fetch(`http://127.0.0.1:${port}/live/cam/index.m3u8?i=${i}`)).status).toBe(200);
    for (const path of hostile) await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
    expect((await fetch(`http://127.0.0.1:${port}/boom`)).status).toBe(500);

    // A client that gives up before the response: counted once, as 499.
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/hang' });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 50);
    });
    const samples = await waitFor('the aborted request to be counted', async () => {
      const s = parsePromText(await metrics.scrape());
      return valueOf(s, 'onramp_http_requests_total', { route: 'other', status: '499' }) === 1 ? s : undefined;
    });
    expect(valueOf(samples, 'onramp_http_requests_total', { route: 'playlist', status: '200' })).toBe(3);
    expect(valueOf(samples, 'onramp_http_requests_total', { route: 'segment', status: '404' })).toBe(1);
    expect(valueOf(samples, 'onramp_http_requests_total', { route: 'playlist', status: '404' })).toBe(1);
    expect(valueOf(samples, 'onramp_http_requests_total', { route: 'other', status: '404' })).toBe(3);
    expect(valueOf(samples, 'onramp_http_requests_total', { route: 'other', status: '500' })).toBe(1);
    const series = samplesOf(samples, 'onramp_http_requests_total');
    for (const s of series) {
      expect(Object.keys(s.labels).sort()).toEqual(['route', 'status']);
      expect(HTTP_ROUTE_LABELS).toContain(s.labels.route);
      expect(s.labels.status).toMatch(/^[1-5]\d\d$/);
    }
    expect(series.reduce((n, s) => n + s.value, 0)).toBe(3 + hostile.length + 2);
  });
});
