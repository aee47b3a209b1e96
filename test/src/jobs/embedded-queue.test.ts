// EmbeddedJobQueue: the JobQueue contract, plus what only the in-process runner has (bounded
// histories, timers that never keep the process alive, dropping what is left at close).
import { describe, expect, it } from 'vitest';
import { EmbeddedJobQueue } from '../../../src/jobs/embedded-queue.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { TEST_RETRY, handlersWith, jobQueueContract, sleep } from './job-queue-contract.js';

jobQueueContract('embedded', async ({ logger, retry }) => {
  const queue = new EmbeddedJobQueue({ logger, retry });
  return { queue, dispose: () => queue.close(1000) };
});

describe('EmbeddedJobQueue only', () => {
  it('keeps only the newest failed jobs, and forgets finished ids beyond the dedupe window', async () => {
    const { logger } = createMemoryLogger();
    const queue = new EmbeddedJobQueue({ logger, retry: TEST_RETRY, keepFailed: 2, dedupeWindow: 2 });
    const runs: string[] = [];
    await queue.start(
      handlersWith({
        'cleanup': async (_p, ctx) => {
          runs.push(ctx.jobId);
          throw new Error(`fail ${ctx.jobId}`);
        },
        'import-flv': async (_p, ctx) => void runs.push(ctx.jobId),
      }),
    );
    for (const id of ['c1', 'c2', 'c3']) {
      queue.add('cleanup', { reason: 'periodic' }, { jobId: id });
      await queue.idle();
    }
    expect((await queue.failed()).map((f) => f.jobId)).toEqual(['c3', 'c2']);
    expect((await queue.counts()).cleanup.failed).toBe(2);
    runs.length = 0;
    for (const id of ['a', 'b', 'c', 'a']) queue.add('import-flv', { path: '/p', app: 'x', name: id }, { jobId: id });
    await queue.idle();
    expect(runs).toEqual(['a', 'b', 'c']);
    queue.add('import-flv', { path: '/p', app: 'x', name: 'a' }, { jobId: 'a' }); // 'a' fell out of the window
    queue.add('import-flv', { path: '/p', app: 'x', name: 'c' }, { jobId: 'c' }); // 'c' is still in it
    await queue.idle();
    expect(runs).toEqual(['a', 'b', 'c', 'a']);
    expect((await queue.counts())['import-flv'].completed).toBe(2);
    await queue.close();
  });

  it('never keeps the process alive with its timers (delays and backoffs are unref-ed)', async () => {
    const { logger } = createMemoryLogger();
    const queue = new EmbeddedJobQueue({ logger, retry: { 'cleanup': { backoffMs: 60_000 } } });
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    let calls = 0;
    await queue.start(
      handlersWith({
        'cleanup': async () => {
          calls++;
          throw new Error('retry in a minute');
        },
      }),
    );
    queue.add('export-mp4', { recordingId: 'r' }, { delayMs: 60_000 });
    queue.add('cleanup', { reason: 'periodic' });
    await sleep(20);
    expect(calls).toBe(1);
    expect((await queue.counts()).cleanup.delayed).toBe(1);
    expect((await queue.counts())['export-mp4'].delayed).toBe(1);
    expect(timers()).toBe(before);
    await queue.close();
  });

  it('drops jobs still waiting at close with one warn line, and ignores adds after close', async () => {
    const memory = createMemoryLogger();
    const queue = new EmbeddedJobQueue({ logger: memory.logger, retry: TEST_RETRY });
    queue.add('cleanup', { reason: 'periodic' });
    queue.add('cleanup', { reason: 'periodic' }, { delayMs: 10_000 });
    await queue.close();
    expect(memory.withLevel('warn').map((e) => [e.msg, e.fields.dropped])).toEqual([['jobs not run before close were dropped', 2]]);
    queue.add('cleanup', { reason: 'periodic' });
    expect(memory.withLevel('warn').at(-1)?.msg).toBe('job added after close; dropped');
    await expect(queue.start(handlersWith({}))).rejects.toThrow(/after close/);
  });
});
