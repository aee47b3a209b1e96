// Request ids: kept when the client sends a sane one, generated otherwise, echoed in the response,
// carried by requestLog(req, ...) lines; one summary line per request at debug, only 5xx at info.
import express, { type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_ID_PATTERN, requestId, requestIdMiddleware, requestLog } from '../../../src/http/request-id.js';
import type { LogLevel } from '../../../src/logging/logger.js';
import { createMemoryLogger, type MemoryLogger } from '../../../src/logging/memory-logger.js';

describe('request ids', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  });

  async function start(level: LogLevel): Promise<{ base: string; log: MemoryLogger }> {
    const log = createMemoryLogger({ level });
    const httpLog = log.logger.child({ component: 'http' });
    const app = express();
    app.use(requestIdMiddleware({ logger: httpLog }));
    app.get('/hello', (req: Request, res: Response) => {
      requestLog(req, log.logger.child({ component: 'hello' })).info('handler says hello');
      res.json({ id: requestId(req) });
    });
    app.get('/fail', (_req: Request, res: Response) => void res.status(503).end());
    app.use((_req: Request, res: Response) => void res.status(404).end());
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log };
  }

  it('generates a unique id per request, echoes it and gives it to the handler', async () => {
    const { base } = await start('info');
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${base}/hello`);
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(REQUEST_ID_PATTERN);
      expect(await res.json()).toEqual({ id });
      ids.add(id);
    }
    expect(ids.size).toBe(5);
  });

  it.each([
    ['abc-123_X.y', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['has space', false],
    ['semi;colon', false],
    ['ünïcode', false],
  ])('incoming X-Request-Id %j is kept: %s', async (incoming, kept) => {
    const { base } = await start('info');
    let res: globalThis.Response;
    try {
      res = await fetch(`${base}/hello`, { headers: { 'x-request-id': incoming } });
    } catch {
      return; // fetch itself refuses some header values; nothing reaches the server then
    }
    const id = res.headers.get('x-request-id') ?? '';
    expect(id === incoming).toBe(kept);
    expect(id).toMatch(REQUEST_ID_PATTERN);
  });

  it('puts reqId on the handler\'s lines and logs one line per request at debug', async () => {
    const { base, log } = await start('debug');
    await (await fetch(`${base}/hello`, { headers: { 'x-request-id': 'req-1' } })).arrayBuffer();
    await (await fetch(`${base}/missing?q=1`, { headers: { 'x-request-id': 'req-2' } })).arrayBuffer();
    const hello = log.entries.find((e) => e.msg === 'handler says hello');
    expect(hello?.fields).toMatchObject({ component: 'hello', reqId: 'req-1' });
    const lines = log.entries.filter((e) => e.msg === 'http request');
    expect(lines.map((e) => e.level)).toEqual(['debug', 'debug']);
    expect(lines[0].fields).toMatchObject({ component: 'http', reqId: 'req-1', method: 'GET', url: '/hello', status: 200 });
    expect(lines[1].fields).toMatchObject({ reqId: 'req-2', url: '/missing?q=1', status: 404 });
    expect(typeof lines[0].fields.ms).toBe('number');
  });

  it('is quiet at info: nothing per request except a 5xx, at warn with its reqId', async () => {
    const { base, log } = await start('info');
    for (let i = 0; i < 20; i++) await (await fetch(`${base}/missing`)).arrayBuffer();
    await (await fetch(`${base}/fail`, { headers: { 'x-request-id': 'bad-1' } })).arrayBuffer();
    const http = log.entries.filter((e) => e.fields.component === 'http');
    expect(http).toHaveLength(1);
    expect(http[0].level).toBe('warn');
    expect(http[0].fields).toMatchObject({ reqId: 'bad-1', status: 503, url: '/fail' });
  });
});
