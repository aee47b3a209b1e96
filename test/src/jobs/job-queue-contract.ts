// The JobQueue contract, run against every backend (embedded and BullMQ): typed payloads,
// retries with attempt numbers, permanent failures, giving up, jobId dedupe, delays, per-kind
// concurrency, idle(), close() waiting for a running job, and counts().
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONCURRENCY,
  PermanentJobError,
  resolveRetryPolicies,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobName,
  type JobPayloads,
  type JobQueue,
  type RetryOverrides,
} from '../../../src/jobs/job-types.js';
import { createMemoryLogger, type MemoryLogger } from '../../../src/logging/memory-logger.js';

export interface QueueFixture {
  readonly queue: JobQueue;
  /** Closes the queue and removes whatever it left behind (Redis keys). */
  dispose(): Promise<void>;
}

export interface QueueFactoryOptions {
  readonly logger: MemoryLogger['logger'];
  readonly retry: RetryOverrides;
}

export type QueueFactory = (opts: QueueFactoryOptions) => Promise<QueueFixture>;

/** Short backoffs so retries take milliseconds. */
export const TEST_RETRY: RetryOverrides = {
  'finalize-recording': { backoffMs: 5 },
  'export-mp4': { attempts: 3, backoffMs: 5 },
  'cleanup': { backoffMs: 5 },
  'deliver-webhook': { backoffMs: 5 },
  'import-flv': { backoffMs: 5 },
};
const POLICY = resolveRetryPolicies(TEST_RETRY);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Handlers that do nothing unless a test gives its own for a kind. */
export function handlersWith(own: Partial<{ [N in JobName]: JobHandler<N> }>): JobHandlers {
  const noop = async (): Promise<void> => undefined;
  return {
    'finalize-recording': own['finalize-recording'] ?? noop,
    'export-mp4': own['export-mp4'] ?? noop,
    'cleanup': own['cleanup'] ?? noop,
    'deliver-webhook': own['deliver-webhook'] ?? noop,
    'import-flv': own['import-flv'] ?? noop,
  };
}

/** Resolves when `check` is true (polling), or fails the test after `ms`. */
export async function waitFor(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function jobQueueContract(backend: string, create: QueueFactory): void {
  describe(`JobQueue contract: ${backend}`, () => {
    let memory: MemoryLogger;
    let fixture: QueueFixture;
    let queue: JobQueue;

    beforeEach(async () => {
      memory = createMemoryLogger();
      fixture = await create({ logger: memory.logger, retry: TEST_RETRY });
      queue = fixture.queue;
    });
    afterEach(async () => fixture.dispose());

    const messages = (level: 'warn' | 'error', msg: string) => memory.withLevel(level).filter((e) => e.msg === msg);

    it('passes each handler its typed payload and a context with the job id and attempt', async () => {
      const seen: { name: JobName; payload: unknown; ctx: JobContext }[] = [];
      await queue.start(
        handlersWith({
          'finalize-recording': async (payload, ctx) => void seen.push({ name: 'finalize-recording', payload, ctx }),
          'import-flv': async (payload, ctx) => void seen.push({ name: 'import-flv', payload, ctx }),
          'deliver-webhook': async (payload, ctx) => void seen.push({ name: 'deliver-webhook', payload, ctx }),
        }),
      );
      const event: JobPayloads['deliver-webhook']['event'] = { id: 'ev-1', type: 'stream.publish', time: '2025-01-01T00:00:00.000Z', app: 'live', name: 'cam' };
      queue.add('finalize-recording', { recordingId: 'rec-1' }, { jobId: 'finalize:rec-1' });
      queue.add('import-flv', { path: '/watch/a.flv', app: 'live', name: 'a' });
      queue.add('deliver-webhook', { event }, { jobId: '42' });
      await queue.idle();
      const byName = new Map(seen.map((s) => [s.name, s]));
      expect(byName.get('finalize-recording')).toEqual({
        name: 'finalize-recording',
        payload: { recordingId: 'rec-1' },
        ctx: { jobId: 'finalize:rec-1', attempt: 1, maxAttempts: POLICY['finalize-recording'].attempts },
      });
      expect(byName.get('import-flv')?.payload).toEqual({ path: '/watch/a.flv', app: 'live', name: 'a' });
      expect(byName.get('import-flv')?.ctx.jobId).toMatch(/.{8,}/);
      expect(byName.get('deliver-webhook')?.payload).toEqual({ event });
      expect(byName.get('deliver-webhook')?.ctx.jobId).toBe('42');
      expect(seen).toHaveLength(3);
    });

    it('retries a failing job with attempt numbers 1, 2, 3 until it succeeds, one warn line per failure', async () => {
      const attempts: number[] = [];
      await queue.start(
        handlersWith({
          'finalize-recording': async (_p, ctx) => {
            attempts.push(ctx.attempt);
            if (ctx.attempt < 3) throw new Error(`disk busy ${ctx.attempt}`);
          },
        }),
      );
      queue.add('finalize-recording', { recordingId: 'r' }, { jobId: 'retry-me' });
      await queue.idle();
      expect(attempts).toEqual([1, 2, 3]);
      const warns = messages('warn', 'job failed; will retry');
      expect(warns.map((w) => [w.fields.attempt, w.fields.err, w.fields.jobId, w.fields.job, w.fields.component])).toEqual([
        [1, 'disk busy 1', 'retry-me', 'finalize-recording', 'jobs'],
        [2, 'disk busy 2', 'retry-me', 'finalize-recording', 'jobs'],
      ]);
      expect(memory.withLevel('error')).toEqual([]);
      expect(await queue.failed()).toEqual([]);
    });

    it('fails a job at once on PermanentJobError, without retrying, and lists it in failed()', async () => {
      let calls = 0;
      await queue.start(
        handlersWith({
          'deliver-webhook': async () => {
            calls++;
            throw new PermanentJobError('receiver said 410 Gone');
          },
        }),
      );
      const before = Date.now();
      queue.add('deliver-webhook', { event: { id: 'e', type: 'stream.unpublish', time: '2025-01-01T00:00:00.000Z', app: 'a', name: 'n' } }, { jobId: 'hook-1' });
      await queue.idle();
      expect(calls).toBe(1);
      const failed = await queue.failed();
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ name: 'deliver-webhook', jobId: 'hook-1', attempts: 1, error: 'receiver said 410 Gone' });
      expect(failed[0].finishedAtMs).toBeGreaterThanOrEqual(before - 1000);
      expect(messages('warn', 'job failed; will retry')).toEqual([]);
      const errors = messages('error', 'job failed');
      expect(errors).toHaveLength(1);
      expect(errors[0].fields).toMatchObject({ job: 'deliver-webhook', jobId: 'hook-1', attempt: 1, err: 'receiver said 410 Gone' });
    });

    it("gives up after the policy's attempts (whatever the handler throws) and keeps the failure, newest first", async () => {
      const attempts: number[] = [];
      await queue.start(
        handlersWith({
          'export-mp4': async (payload, ctx) => {
            attempts.push(ctx.attempt);
            if (payload.recordingId === 'odd') throw 'not an Error object';
            throw new Error('ffmpeg exploded');
          },
        }),
      );
      queue.add('export-mp4', { recordingId: 'a' }, { jobId: 'mp4-a' });
      await queue.idle();
      await sleep(5);
      queue.add('export-mp4', { recordingId: 'odd' }, { jobId: 'mp4-odd' });
      await queue.idle();
      const max = POLICY['export-mp4'].attempts;
      expect(attempts).toEqual([...Array.from({ length: max }, (_, i) => i + 1), ...Array.from({ length: max }, (_, i) => i + 1)]);
      const failed = await queue.failed();
      expect(failed.map((f) => [f.jobId, f.attempts, f.error])).toEqual([
        ['mp4-odd', max, 'not an Error object'],
        ['mp4-a', max, 'ffmpeg exploded'],
      ]);
      expect(await queue.failed(1)).toHaveLength(1);
      expect(messages('warn', 'job failed; will retry')).toHaveLength(2 * (max - 1));
      expect(messages('error', 'job failed').map((e) => e.fields.attempt)).toEqual([max, max]);
    });

    it('does not add a job whose id is waiting, running or recently completed', async () => {
      const runs: string[] = [];
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      queue.add('cleanup', { reason: 'periodic' }, { jobId: 'sweep' });
      queue.add('cleanup', { reason: 'startup' }, { jobId: 'sweep' }); // waiting: ignored
      await queue.start(
        handlersWith({
          'cleanup': async (payload, ctx) => {
            runs.push(`${ctx.jobId}:${payload.reason}`);
            await gate;
          },
        }),
      );
      await waitFor(() => runs.length === 1, 5000, 'first run');
      queue.add('cleanup', { reason: 'startup' }, { jobId: 'sweep' }); // running: ignored
      release();
      await queue.idle();
      queue.add('cleanup', { reason: 'startup' }, { jobId: 'sweep' }); // completed: ignored
      queue.add('cleanup', { reason: 'startup' }, { jobId: 'other' });
      await queue.idle();
      expect(runs).toEqual(['sweep:periodic', 'other:startup']);
      // The same id under another kind is another job.
      queue.add('finalize-recording', { recordingId: 'x' }, { jobId: 'sweep' });
      await queue.idle();
      expect((await queue.counts())['finalize-recording'].completed).toBe(1);
    });

    it('runs a delayed job no earlier than its delay, after undelayed jobs added later', async () => {
      const order: { id: string; atMs: number }[] = [];
      await queue.start(handlersWith({ 'cleanup': async (_p, ctx) => void order.push({ id: ctx.jobId, atMs: Date.now() }) }));
      const t0 = Date.now();
      queue.add('cleanup', { reason: 'periodic' }, { jobId: 'later', delayMs: 400 });
      queue.add('cleanup', { reason: 'periodic' }, { jobId: 'now' });
      await queue.idle();
      expect(order.map((o) => o.id)).toEqual(['now', 'later']);
      expect(order[1].atMs - t0).toBeGreaterThanOrEqual(380);
      expect(order[1].atMs - t0).toBeLessThan(5000);
    });

    it('never runs more jobs of a kind at once than its concurrency', async () => {
      const running = new Map<JobName, number>();
      const peak = new Map<JobName, number>();
      const track = async (name: JobName): Promise<void> => {
        const now = (running.get(name) ?? 0) + 1;
        running.set(name, now);
        peak.set(name, Math.max(peak.get(name) ?? 0, now));
        await sleep(80);
        running.set(name, (running.get(name) ?? 1) - 1);
      };
      for (let i = 0; i < 6; i++) queue.add('finalize-recording', { recordingId: `r${i}` });
      for (let i = 0; i < 3; i++) queue.add('export-mp4', { recordingId: `m${i}` });
      await queue.start(handlersWith({ 'finalize-recording': () => track('finalize-recording'), 'export-mp4': () => track('export-mp4') }));
      await queue.idle();
      expect(peak.get('finalize-recording')).toBe(CONCURRENCY['finalize-recording']);
      expect(peak.get('export-mp4')).toBe(CONCURRENCY['export-mp4']);
      const counts = await queue.counts();
      expect(counts['finalize-recording'].completed).toBe(6);
      expect(counts['export-mp4'].completed).toBe(3);
    });

    it('idle() waits for jobs that handlers add, and for retries', async () => {
      const done: string[] = [];
      await queue.start(
        handlersWith({
          'finalize-recording': async (p, ctx) => {
            await sleep(30);
            if (ctx.attempt === 1) throw new Error('not yet');
            queue.add('export-mp4', { recordingId: p.recordingId }, { jobId: `mp4-${p.recordingId}` });
            done.push(`finalize:${p.recordingId}`);
          },
          'export-mp4': async (p) => {
            await sleep(30);
            done.push(`mp4:${p.recordingId}`);
          },
        }),
      );
      queue.add('finalize-recording', { recordingId: 'r1' });
      await queue.idle();
      expect(done).toEqual(['finalize:r1', 'mp4:r1']);
      await queue.idle(); // idle again resolves at once
    });

    it('drained() waits for jobs that can run now and those they add, not for jobs due later', async () => {
      const done: string[] = [];
      await queue.start(
        handlersWith({
          'finalize-recording': async (p) => {
            await sleep(30);
            queue.add('export-mp4', { recordingId: p.recordingId }, { jobId: `mp4-${p.recordingId}` });
            done.push(`finalize:${p.recordingId}`);
          },
          'export-mp4': async (p) => {
            await sleep(30);
            done.push(`mp4:${p.recordingId}`);
          },
          cleanup: async () => {
            done.push('cleanup');
          },
        }),
      );
      queue.add('cleanup', { reason: 'periodic' }, { jobId: 'in-a-minute', delayMs: 60_000 });
      queue.add('finalize-recording', { recordingId: 'r1' });
      const started = Date.now();
      await queue.drained();
      expect(done, 'the runnable jobs ran, the delayed one did not').toEqual(['finalize:r1', 'mp4:r1']);
      expect(Date.now() - started, 'without waiting for the delayed job').toBeLessThan(30_000);
      expect((await queue.counts()).cleanup.delayed, 'the delayed job is still queued').toBe(1);
    });

    it('close() stops taking jobs and waits for a running one to finish', async () => {
      let started = false;
      let finished = false;
      const runs: string[] = [];
      await queue.start(
        handlersWith({
          'import-flv': async (p) => {
            runs.push(p.name);
            started = true;
            await sleep(300);
            finished = true;
          },
        }),
      );
      queue.add('import-flv', { path: '/w/a.flv', app: 'live', name: 'a' });
      await waitFor(() => started, 5000, 'job start');
      queue.add('import-flv', { path: '/w/b.flv', app: 'live', name: 'b' });
      const t0 = Date.now();
      await queue.close(5000);
      expect(finished).toBe(true);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      expect(runs).toEqual(['a']);
      await queue.idle(); // resolves after close
    });

    it('counts() reports completed, failed, delayed and waiting jobs per kind', async () => {
      queue.add('cleanup', { reason: 'periodic' }, { jobId: 'far', delayMs: 60_000 });
      queue.add('export-mp4', { recordingId: 'queued' });
      // Not started yet: the job waits.
      let counts = await queue.counts();
      for (let i = 0; i < 100 && counts['export-mp4'].waiting === 0; i++) {
        await sleep(20);
        counts = await queue.counts();
      }
      expect(counts['export-mp4']).toEqual({ waiting: 1, active: 0, delayed: 0, failed: 0, completed: 0 });
      await queue.start(
        handlersWith({
          'finalize-recording': async (p) => {
            if (p.recordingId === 'bad') throw new PermanentJobError('gone');
          },
          'export-mp4': async () => {
            await sleep(10);
          },
        }),
      );
      queue.add('finalize-recording', { recordingId: 'a' });
      queue.add('finalize-recording', { recordingId: 'b' });
      queue.add('finalize-recording', { recordingId: 'bad' });
      // idle() would wait a minute for the delayed job: poll the counts instead.
      counts = await queue.counts();
      const deadline = Date.now() + 5000;
      while ((counts['finalize-recording'].completed < 2 || counts['finalize-recording'].failed < 1 || counts['export-mp4'].completed < 1) && Date.now() < deadline) {
        await sleep(20);
        counts = await queue.counts();
      }
      expect(counts['finalize-recording']).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1, completed: 2 });
      expect(counts['export-mp4']).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 1 });
      expect(counts['cleanup']).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 0, completed: 0 });
      expect(counts['deliver-webhook']).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 });
    });
  });
}
