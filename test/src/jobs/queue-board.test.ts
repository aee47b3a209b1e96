// The Bull Board dashboard router: served over our BullMQ queues at /admin/queues (fetched
// through a real HTTP server on 127.0.0.1:0), and absent for the embedded backend; createJobQueue
// picks the backend from the Redis URL.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { BullMqJobQueue, queueNameFor } from '../../../src/jobs/bullmq-queue.js';
import { createJobQueue } from '../../../src/jobs/create-job-queue.js';
import { EmbeddedJobQueue } from '../../../src/jobs/embedded-queue.js';
import { JOB_NAMES } from '../../../src/jobs/job-types.js';
import { queueBoardRouter } from '../../../src/jobs/queue-board.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { SHARED_REDIS_PORT, SHARED_REDIS_URL as REDIS_URL, deleteKeys, redisAnswers } from '../../helpers/redis-server.js';

const redisUp = await redisAnswers(SHARED_REDIS_PORT);

describe('queueBoardRouter', () => {
  let server: Server | undefined;
  let queue: BullMqJobQueue | undefined;
  let prefix = '';

  afterEach(async () => {
    if (server !== undefined) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await queue?.close(1000);
    if (queue !== undefined) await deleteKeys(REDIS_URL, prefix);
    queue = undefined;
  });

  it('is undefined for the embedded backend', async () => {
    const embedded = await createJobQueue({ redisUrl: null, logger: createMemoryLogger().logger });
    expect(embedded).toBeInstanceOf(EmbeddedJobQueue);
    expect(embedded.backend).toBe('embedded');
    expect(queueBoardRouter(embedded)).toBeUndefined();
    await embedded.close();
  });

  it.runIf(redisUp)('serves the dashboard page and lists every BullMQ queue', async () => {
    prefix = `onramp-test-${randomUUID().slice(0, 8)}`;
    const created = await createJobQueue({ redisUrl: REDIS_URL, prefix, logger: createMemoryLogger().logger });
    expect(created).toBeInstanceOf(BullMqJobQueue);
    expect(created.backend).toBe('bullmq');
    queue = created as BullMqJobQueue;
    queue.add('cleanup', { reason: 'startup' }, { jobId: 'boot' });
    const router = queueBoardRouter(queue);
    expect(router).toBeDefined();
    const app = express();
    app.use(router!);
    app.use((_req, res) => void res.status(404).send('not the board'));
    const srv = createServer(app);
    server = srv;
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/admin/queues`;

    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain('<base href="/admin/queues/"');
    expect(html).toContain('Bull Dashboard');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${base}/${script!}`);
    expect(asset.status).toBe(200);
    await asset.arrayBuffer();

    const deadline = Date.now() + 5000;
    let body: { queues: { name: string; counts: Record<string, number> }[] } = { queues: [] };
    while (Date.now() < deadline) {
      const api = await fetch(`${base}/api/queues`);
      expect(api.status).toBe(200);
      body = (await api.json()) as typeof body;
      if (body.queues.find((q) => q.name === queueNameFor('cleanup'))?.counts.waiting === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(body.queues.map((q) => q.name).sort()).toEqual(JOB_NAMES.map(queueNameFor).sort());
    expect(body.queues.find((q) => q.name === queueNameFor('cleanup'))?.counts.waiting).toBe(1);
    // Only basePath belongs to the board.
    const root = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
    expect((await fetch(root)).status).toBe(404);
  });
});
