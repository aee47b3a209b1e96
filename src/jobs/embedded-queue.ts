// EmbeddedJobQueue: the in-process JobQueue used when no Redis is configured. Same contract as
// the BullMQ backend (per-kind concurrency, delays, exponential-backoff retries, jobId dedupe,
// failed-job history); jobs live in memory only, so they are lost if the process exits.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import {
  JOB_NAMES,
  PermanentJobError,
  jobErrorMessage,
  resolveConcurrency,
  resolveRetryPolicies,
  retryDelayMs,
  runJobHandler,
  type ConcurrencyOverrides,
  type FailedJob,
  type JobContext,
  type JobCounts,
  type JobHandlers,
  type JobName,
  type JobOptions,
  type JobPayloads,
  type JobQueue,
  type RetryOverrides,
  type RetryPolicy,
} from './job-types.js';

/** Finished job ids remembered so that re-adding them is ignored. */
export const EMBEDDED_DEDUPE_WINDOW = 1000;
/** Failed jobs kept for failed(). */
export const EMBEDDED_KEEP_FAILED = 100;
/** Default wait for running jobs in close(). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

export interface EmbeddedJobQueueOptions {
  readonly logger: Logger;
  readonly retry?: RetryOverrides;
  readonly concurrency?: ConcurrencyOverrides;
  readonly dedupeWindow?: number;
  readonly keepFailed?: number;
  /** Clock for finishedAtMs (tests). */
  readonly now?: () => number;
}

interface EmbeddedJob {
  readonly name: JobName;
  readonly jobId: string;
  readonly key: string;
  /** Attempts started so far. */
  attempts: number;
  /** Calls the handler of this job's kind with its (typed) payload. */
  readonly run: (handlers: JobHandlers, ctx: JobContext) => Promise<void>;
}

interface KindState {
  readonly waiting: EmbeddedJob[];
  active: number;
  delayed: number;
  /** Completed jobs still in the dedupe window. */
  completed: number;
}

const jobKey = (name: JobName, jobId: string): string => `${name}\u0000${jobId}`;

export class EmbeddedJobQueue implements JobQueue {
  readonly backend = 'embedded' as const;
  private readonly log: Logger;
  private readonly retry: { readonly [N in JobName]: RetryPolicy };
  private readonly concurrency: { readonly [N in JobName]: number };
  private readonly dedupeWindow: number;
  private readonly keepFailed: number;
  private readonly now: () => number;
  private readonly kinds = new Map<JobName, KindState>();
  /** Jobs waiting, delayed or running, by key. */
  private readonly live = new Set<string>();
  /** Recently finished jobs (insertion order = finish order), by key. */
  private readonly recent = new Map<string, { name: JobName; outcome: 'completed' | 'failed' }>();
  private readonly failedJobs: FailedJob[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** idle() and drained() callers, and whether delayed jobs count for them. */
  private idleWaiters: { readonly resolve: () => void; readonly countDelayed: boolean }[] = [];
  private drainWaiters: (() => void)[] = [];
  private handlers: JobHandlers | undefined;
  private closing = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(options: EmbeddedJobQueueOptions) {
    this.log = options.logger.child({ component: 'jobs', backend: 'embedded' });
    this.retry = resolveRetryPolicies(options.retry);
    this.concurrency = resolveConcurrency(options.concurrency);
    this.dedupeWindow = Math.max(0, options.dedupeWindow ?? EMBEDDED_DEDUPE_WINDOW);
    this.keepFailed = Math.max(0, options.keepFailed ?? EMBEDDED_KEEP_FAILED);
    this.now = options.now ?? Date.now;
    for (const name of JOB_NAMES) this.kinds.set(name, { waiting: [], active: 0, delayed: 0, completed: 0 });
  }

  add<N extends JobName>(name: N, payload: JobPayloads[N], opts: JobOptions = {}): void {
    if (this.closing) {
      this.log.warn({ job: name, jobId: opts.jobId }, 'job added after close; dropped');
      return;
    }
    const jobId = opts.jobId ?? randomUUID();
    const key = jobKey(name, jobId);
    if (this.live.has(key) || this.recent.has(key)) {
      this.log.debug({ job: name, jobId }, 'duplicate job ignored');
      return;
    }
    let copy: JobPayloads[N];
    try {
      copy = structuredClone(payload);
    } catch (err) {
      this.log.error({ job: name, jobId, err: jobErrorMessage(err) }, 'job payload cannot be copied; dropped');
      return;
    }
    const job: EmbeddedJob = { name, jobId, key, attempts: 0, run: (handlers, ctx) => runJobHandler(handlers, name, copy, ctx) };
    this.live.add(key);
    const delayMs = Math.max(0, opts.delayMs ?? 0);
    if (delayMs > 0) this.delay(job, delayMs);
    else this.enqueue(job);
  }

  async start(handlers: JobHandlers): Promise<void> {
    if (this.closing) throw new Error('EmbeddedJobQueue: start() after close()');
    if (this.handlers !== undefined) throw new Error('EmbeddedJobQueue: start() called twice');
    this.handlers = handlers;
    for (const name of JOB_NAMES) this.pump(name);
  }

  async counts(): Promise<{ readonly [N in JobName]: JobCounts }> {
    const out = {} as { [N in JobName]: JobCounts };
    for (const name of JOB_NAMES) {
      const k = this.kind(name);
      const failed = this.failedJobs.filter((f) => f.name === name).length;
      out[name] = { waiting: k.waiting.length, active: k.active, delayed: k.delayed, failed, completed: k.completed };
    }
    return out;
  }

  async failed(limit = 50): Promise<FailedJob[]> {
    return this.failedJobs.slice(0, Math.max(0, limit));
  }

  idle(): Promise<void> {
    return this.whenIdle(true);
  }

  drained(): Promise<void> {
    return this.whenIdle(false);
  }

  private whenIdle(countDelayed: boolean): Promise<void> {
    if (this.isIdle(countDelayed)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push({ resolve, countDelayed }));
  }

  close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    this.closePromise ??= this.shutdown(timeoutMs);
    return this.closePromise;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    this.closing = true;
    if (this.activeCount() > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await new Promise<boolean>((resolve) => {
        this.drainWaiters.push(() => resolve(false));
        timer = setTimeout(() => resolve(true), timeoutMs);
        timer.unref();
      });
      clearTimeout(timer);
      if (timedOut) this.log.warn({ running: this.activeCount(), timeoutMs }, 'close timed out with jobs still running');
    }
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    let dropped = 0;
    for (const k of this.kinds.values()) {
      dropped += k.waiting.length + k.delayed;
      k.waiting.length = 0;
      k.delayed = 0;
    }
    if (dropped > 0) this.log.warn({ dropped }, 'jobs not run before close were dropped');
    this.closed = true;
    this.notify();
  }

  private kind(name: JobName): KindState {
    const k = this.kinds.get(name);
    if (k === undefined) throw new Error(`EmbeddedJobQueue: unknown job kind ${String(name)}`);
    return k;
  }

  private enqueue(job: EmbeddedJob): void {
    this.kind(job.name).waiting.push(job);
    this.pump(job.name);
  }

  /** Runs `job` after `ms`; the timer never keeps the process alive. */
  private delay(job: EmbeddedJob, ms: number): void {
    if (this.closed) {
      this.log.warn({ job: job.name, jobId: job.jobId }, 'jobs not run before close were dropped');
      return;
    }
    const k = this.kind(job.name);
    k.delayed++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      k.delayed--;
      this.enqueue(job);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private pump(name: JobName): void {
    const handlers = this.handlers;
    if (handlers === undefined || this.closing) return;
    const k = this.kind(name);
    while (k.active < this.concurrency[name] && k.waiting.length > 0) {
      const job = k.waiting.shift() as EmbeddedJob;
      k.active++;
      job.attempts++;
      this.execute(job, handlers).catch((err: unknown) => this.log.error({ job: name, jobId: job.jobId, err: jobErrorMessage(err) }, 'job runner fault'));
    }
  }

  private async execute(job: EmbeddedJob, handlers: JobHandlers): Promise<void> {
    const policy = this.retry[job.name];
    const attempt = job.attempts;
    const fields = { job: job.name, jobId: job.jobId, attempt, maxAttempts: policy.attempts };
    let failure: { readonly err: unknown } | undefined;
    try {
      await job.run(handlers, { jobId: job.jobId, attempt, maxAttempts: policy.attempts });
    } catch (err) {
      failure = { err };
    }
    const k = this.kind(job.name);
    k.active--;
    if (failure === undefined) {
      this.log.debug(fields, 'job completed');
      this.finish(job, 'completed');
    } else {
      const message = jobErrorMessage(failure.err);
      const permanent = failure.err instanceof PermanentJobError;
      if (!permanent && attempt < policy.attempts) {
        const retryInMs = retryDelayMs(policy, attempt);
        this.log.warn({ ...fields, retryInMs, err: message }, 'job failed; will retry');
        this.delay(job, retryInMs);
      } else {
        this.log.error({ ...fields, permanent, err: message }, 'job failed');
        this.failedJobs.unshift({ name: job.name, jobId: job.jobId, attempts: attempt, error: message, finishedAtMs: this.now() });
        if (this.failedJobs.length > this.keepFailed) this.failedJobs.length = this.keepFailed;
        this.finish(job, 'failed');
      }
    }
    this.pump(job.name);
    this.notify();
  }

  private finish(job: EmbeddedJob, outcome: 'completed' | 'failed'): void {
    this.live.delete(job.key);
    if (outcome === 'completed') this.kind(job.name).completed++;
    this.recent.set(job.key, { name: job.name, outcome });
    while (this.recent.size > this.dedupeWindow) {
      const [oldestKey, oldest] = this.recent.entries().next().value as [string, { name: JobName; outcome: 'completed' | 'failed' }];
      this.recent.delete(oldestKey);
      if (oldest.outcome === 'completed') this.kind(oldest.name).completed--;
    }
  }

  private activeCount(): number {
    let n = 0;
    for (const k of this.kinds.values()) n += k.active;
    return n;
  }

  private isIdle(countDelayed: boolean): boolean {
    if (this.closed) return true;
    for (const k of this.kinds.values()) if (k.waiting.length > 0 || k.active > 0 || (countDelayed && k.delayed > 0)) return false;
    return true;
  }

  private notify(): void {
    if (this.activeCount() === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
    if (this.idleWaiters.length === 0) return;
    const waiting: typeof this.idleWaiters = [];
    const done: typeof this.idleWaiters = [];
    for (const w of this.idleWaiters) (this.isIdle(w.countDelayed) ? done : waiting).push(w);
    this.idleWaiters = waiting;
    for (const w of done) w.resolve();
  }
}
