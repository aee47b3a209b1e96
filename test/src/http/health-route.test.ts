// /healthz and /readyz: liveness always 200; readiness 200 only when both listeners are up, a
// probe object can be written to storage and deleted, and Redis (when configured) answers in time;
// otherwise 503 naming the check that failed.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoute, readinessProbeKey, type HealthRouteDeps, type Listening } from '../../../src/http/health-route.js';
import { JOB_NAMES, JobQueueUnavailableError, type JobCounts, type JobName, type JobQueue } from '../../../src/jobs/job-types.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import type { MediaStorage } from '../../../src/storage/media-storage.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { StorageError } from '../../../src/storage/storage-errors.js';
import { checkStreamName } from '../../../src/streams/stream-names.js';

interface Readiness {
  readonly status: string;
  readonly failed?: string[];
  readonly checks: Record<string, string>;
}

function queueWith(counts: JobQueue['counts']): JobQueue {
  const unused = (): never => {
    throw new Error('not used');
  };
  return { backend: 'bullmq', add: unused, start: unused, counts, failed: unused, idle: unused, drained: unused, close: unused };
}

function zeroCounts(): { [N in JobName]: JobCounts } {
  const out = {} as { [N in JobName]: JobCounts };
  for (const name of JOB_NAMES) out[name] = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
  return out;
}

/** A storage whose writeAtomic fails like a full or read-only disk. */
class FailingStorage extends MemoryStorage {
  override writeAtomic(key: string): Promise<never> {
    return Promise.reject(new StorageError('io', 'writeAtomic', key, 'disk full (ENOSPC)'));
  }
}

describe('health routes', () => {
  let server: Server | undefined;
  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  };
  afterEach(stop);

  async function start(overrides: Partial<HealthRouteDeps> = {}): Promise<{ base: string; storage: MediaStorage; log: ReturnType<typeof createMemoryLogger> }> {
    const log = createMemoryLogger({ level: 'info' });
    const storage = overrides.storage ?? new MemoryStorage();
    const app = express();
    app.use(healthRoute({ listening: () => ({ rtmp: true, http: true }), storage, logger: log.logger, timeoutMs: 100, ...overrides }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, storage, log };
  }

  async function readyz(base: string): Promise<{ status: number; body: Readiness; cache: string | null }> {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as Readiness, cache: res.headers.get('cache-control') };
  }

  it('GET /healthz is 200 {status: ok} even when nothing else is ready', async () => {
    const { base } = await start({ listening: () => ({ rtmp: false, http: false }), storage: new FailingStorage() });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /readyz is 200 when listening, storage is writable and Redis answers; the probe object is gone', async () => {
    const { base, storage } = await start({ queue: queueWith(async () => zeroCounts()) });
    const r = await readyz(base);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ready', checks: { rtmp: 'ok', http: 'ok', storage: 'ok', redis: 'ok' } });
    expect(r.cache).toBe('no-store');
    expect(await storage.list(''), 'the probe object was deleted').toEqual([]);
  });

  it('probes under the reserved app name, which no stream can use', () => {
    const key = readinessProbeKey(1234);
    expect(key).toBe('admin/readyz-1234');
    expect(checkStreamName('app', key.split('/')[0])).toMatch(/reserved/);
  });

  it('reports Redis as not configured when there is no queue to check', async () => {
    const { base } = await start();
    const r = await readyz(base);
    expect(r.status).toBe(200);
    expect(r.body.checks.redis).toBe('not configured');
  });

  it('GET /readyz is 503 naming storage when a write fails, and logs the change once', async () => {
    const { base, log } = await start({ storage: new FailingStorage() });
    for (let i = 0; i < 3; i++) {
      const r = await readyz(base);
      expect(r.status).toBe(503);
      expect(r.body.status).toBe('not ready');
      expect(r.body.failed).toEqual(['storage']);
      expect(r.body.checks.storage).toMatch(/^failed: .*ENOSPC/);
    }
    expect(log.withLevel('warn').filter((e) => e.msg.startsWith('not ready'))).toHaveLength(1);
  });

  it('GET /readyz is 503 naming redis when the queue is unreachable or does not answer in time', async () => {
    for (const counts of [
      () => Promise.reject(new JobQueueUnavailableError('counts')),
      () => new Promise<never>(() => undefined),
    ] as JobQueue['counts'][]) {
      const { base } = await start({ queue: queueWith(counts) });
      const started = Date.now();
      const r = await readyz(base);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(r.status).toBe(503);
      expect(r.body.failed).toEqual(['redis']);
      expect(r.body.checks.storage).toBe('ok');
      await stop();
    }
  });

  it('GET /readyz is 503 while a listener is down', async () => {
    let listening: Listening = { rtmp: false, http: true };
    const { base } = await start({ listening: () => listening });
    expect((await readyz(base)).body.failed).toEqual(['rtmp']);
    listening = { rtmp: true, http: true };
    expect((await readyz(base)).status).toBe(200);
  });
});
