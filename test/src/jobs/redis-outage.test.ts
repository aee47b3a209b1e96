// BullMqJobQueue while its Redis (a private redis-server) goes away and comes back: adds never
// block or throw, nothing reaches the process as an unhandled error, buffered jobs run exactly
// once afterwards, a job running across the outage is not run twice, and the log says
// "unreachable" once and "reachable again" once. The outage lasts ~5 s here (30 s in the issue).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BullMqJobQueue } from '../../../src/jobs/bullmq-queue.js';
import { JobQueueUnavailableError } from '../../../src/jobs/job-types.js';
import { createMemoryLogger, type MemoryLogger } from '../../../src/logging/memory-logger.js';
import { hasTool, requireTool } from '../../helpers/tools.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { TEST_RETRY, handlersWith, sleep, waitFor } from './job-queue-contract.js';

const haveRedisServer = hasTool('redis-server', ['--version']) || requireTool('redis-server', ['--version']);

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe.runIf(haveRedisServer)('BullMqJobQueue during a Redis outage', () => {
  let redis: RedisServer | undefined;
  let queue: BullMqJobQueue | undefined;
  let memory: MemoryLogger;
  const escaped: unknown[] = [];
  const onEscaped = (reason: unknown): void => void escaped.push(reason);

  beforeEach(async () => {
    escaped.length = 0;
    process.on('unhandledRejection', onEscaped);
    process.on('uncaughtException', onEscaped);
    memory = createMemoryLogger();
    redis = await startRedisServer();
    queue = new BullMqJobQueue({ redisUrl: redis.url, prefix: 'outage', logger: memory.logger, retry: TEST_RETRY });
  });

  afterEach(async () => {
    await queue?.close(2000);
    await redis?.dispose();
    process.off('unhandledRejection', onEscaped);
    process.off('uncaughtException', onEscaped);
  });

  const logged = (msg: string) => memory.entries.filter((e) => e.msg === msg);

  it('buffers adds made while Redis is down and runs each exactly once when it is back', async () => {
    const q = queue!;
    const server = redis!;
    const runs = new Map<string, number>();
    const count = async (_p: unknown, ctx: { jobId: string }): Promise<void> => void runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1);
    await q.start(handlersWith({ 'finalize-recording': count, 'deliver-webhook': count, 'cleanup': count }));
    q.add('finalize-recording', { recordingId: 'before' }, { jobId: 'before' });
    await within(q.idle(), 5000, 'idle before the outage');

    const outageStart = Date.now();
    await server.stop();
    await waitFor(() => logged('redis unreachable').length > 0, 5000, 'the outage to be noticed');

    const ids: string[] = [];
    let slowestAddMs = 0;
    for (let i = 0; i < 8; i++) {
      const jobId = `during-${i}`;
      ids.push(jobId);
      const t = performance.now();
      if (i % 2 === 0) q.add('finalize-recording', { recordingId: `r${i}` }, { jobId });
      else q.add('deliver-webhook', { event: { id: jobId, type: 'stream.publish', time: new Date().toISOString(), app: 'live', name: `s${i}` } }, { jobId });
      slowestAddMs = Math.max(slowestAddMs, performance.now() - t);
    }
    q.add('finalize-recording', { recordingId: 'r0' }, { jobId: 'during-0' }); // a repeat while buffered
    for (let i = 0; i < 2; i++) q.add('cleanup', { reason: 'periodic' }); // generated ids
    expect(slowestAddMs).toBeLessThan(20);
    expect(q.buffered).toBe(10);
    const t = performance.now();
    await expect(q.counts()).rejects.toBeInstanceOf(JobQueueUnavailableError);
    expect(performance.now() - t).toBeLessThan(1000);

    await sleep(Math.max(0, 5000 - (Date.now() - outageStart)));
    expect(runs.size).toBe(1); // nothing ran during the outage
    await server.restart();
    await within(q.idle(), 15_000, 'idle after the outage');
    await sleep(300); // a duplicate run would show up here

    for (const id of ['before', ...ids]) expect(runs.get(id), id).toBe(1);
    expect([...runs.values()].reduce((a, b) => a + b, 0)).toBe(11);
    expect(q.buffered).toBe(0);
    expect(logged('redis unreachable')).toHaveLength(1);
    expect(logged('redis unreachable')[0].level).toBe('error');
    expect(logged('redis reachable again')).toHaveLength(1);
    expect(logged('redis reachable again')[0].fields.outageMs).toBeGreaterThanOrEqual(4000);
    expect(memory.withLevel('warn')).toEqual([]);
    expect(escaped).toEqual([]);
  });

  it('lets a job that is running when Redis stops complete, once, and records it as completed', async () => {
    const q = queue!;
    const server = redis!;
    let runs = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let finishedAt = 0;
    await q.start(
      handlersWith({
        'export-mp4': async () => {
          runs++;
          await gate;
          finishedAt = Date.now();
        },
      }),
    );
    q.add('export-mp4', { recordingId: 'long' }, { jobId: 'long-export' });
    await waitFor(() => runs === 1, 5000, 'the job to start');
    await server.stop({ save: true }); // Redis keeps its data across this restart
    release();
    await waitFor(() => finishedAt > 0, 1000, 'the handler to finish');
    await sleep(3000);
    await server.restart();
    await within(q.idle(), 15_000, 'idle after the outage');
    const counts = await q.counts();
    expect(counts['export-mp4']).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 1 });
    await sleep(300);
    expect(runs).toBe(1);
    expect(logged('redis unreachable')).toHaveLength(1);
    expect(logged('redis reachable again')).toHaveLength(1);
    expect(escaped).toEqual([]);
  });

  it('starts while Redis is down, and runs what was added once Redis comes up', async () => {
    await queue!.close(500);
    const server = redis!;
    await server.stop();
    memory.clear();
    const q = new BullMqJobQueue({ redisUrl: server.url, prefix: 'late', logger: memory.logger, retry: TEST_RETRY });
    queue = q;
    const runs: string[] = [];
    const t = performance.now();
    q.add('import-flv', { path: '/w/a.flv', app: 'live', name: 'a' }, { jobId: 'flv-a' });
    await q.start(handlersWith({ 'import-flv': async (_p, ctx) => void runs.push(ctx.jobId) }));
    q.add('import-flv', { path: '/w/b.flv', app: 'live', name: 'b' }, { jobId: 'flv-b' });
    expect(performance.now() - t).toBeLessThan(200);
    await waitFor(() => logged('redis unreachable').length > 0, 5000, 'the outage to be noticed');
    await sleep(500);
    expect(runs).toEqual([]);
    await server.restart();
    await within(q.idle(), 15_000, 'idle after Redis came up');
    expect(runs.sort()).toEqual(['flv-a', 'flv-b']);
    expect(logged('redis unreachable')).toHaveLength(1);
    expect(logged('redis reachable again')).toHaveLength(1);
    expect(escaped).toEqual([]);
  });

  it('closes within its timeout during an outage and reports the adds it could not hand over', async () => {
    const q = queue!;
    await q.start(handlersWith({}));
    await redis!.stop();
    await waitFor(() => logged('redis unreachable').length > 0, 5000, 'the outage to be noticed');
    q.add('cleanup', { reason: 'periodic' });
    q.add('cleanup', { reason: 'startup' });
    const t = Date.now();
    await q.close(1000);
    expect(Date.now() - t).toBeLessThan(1600);
    const dropped = logged('buffered jobs could not be handed to redis before close; dropped');
    expect(dropped.map((e) => [e.level, e.fields.dropped])).toEqual([['error', 2]]);
    q.add('cleanup', { reason: 'periodic' }); // after close: ignored, with a warn line
    expect(logged('job added after close; dropped')).toHaveLength(1);
    expect(escaped).toEqual([]);
  });
});
