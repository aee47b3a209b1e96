// BullMqJobQueue: the JobQueue on Redis through BullMQ, one Queue and one Worker per job kind
// (`onramp-<kind>`). add() never waits for Redis: adds go through an in-memory outbox that is
// handed to Redis whenever it is reachable, with a stable job id so a re-sent add whose reply
// was lost does not create a second job. Redis outages are logged once when they start and
// once when they end (RedisHealth), never once per reconnect attempt.
import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import { isRedisConnectionError, RedisHealth } from './redis-health.js';
import {
  JOB_NAMES,
  JobQueueUnavailableError,
  PermanentJobError,
  jobErrorMessage,
  resolveConcurrency,
  resolveRetryPolicies,
  retryDelayMs,
  runJobHandler,
  type ConcurrencyOverrides,
  type FailedJob,
  type JobCounts,
  type JobHandlers,
  type JobName,
  type JobOptions,
  type JobPayloads,
  type JobQueue,
  type RetryOverrides,
  type RetryPolicy,
} from './job-types.js';

export const QUEUE_NAME_PREFIX = 'onramp-';
export const DEFAULT_KEEP_COMPLETED = 1000;
export const DEFAULT_KEEP_FAILED = 1000;
export const DEFAULT_LOCK_DURATION_MS = 120_000;
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;
/** Adds buffered while Redis is unreachable; beyond this, new adds are dropped (and logged). */
export const OUTBOX_LIMIT = 10_000;
/** Jobs tracked for idle(); the oldest are forgotten beyond this. */
const PENDING_LIMIT = 10_000;
const PENDING_PRUNE_AT = 1000;
const ADD_BATCH = 100;
const ADD_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = 3000;
/** A non-connection error on add (e.g. Redis out of memory) is retried this often, then dropped. */
const ADD_MAX_FAILURES = 5;

export type JobData = JobPayloads[JobName];
export type OnrampQueue = Queue<JobData, void, JobName>;
type OnrampWorker = Worker<JobData, void, JobName>;
type OnrampJob = Job<JobData, void, JobName>;

export interface BullMqJobQueueOptions {
  readonly redisUrl: string;
  /** Redis key prefix; give each test its own. Default 'bull'. */
  readonly prefix?: string;
  readonly logger: Logger;
  readonly retry?: RetryOverrides;
  readonly concurrency?: ConcurrencyOverrides;
  readonly keepCompleted?: number;
  readonly keepFailed?: number;
  /** Upper bound of the reconnect backoff (default 1000 ms). */
  readonly reconnectMaxDelayMs?: number;
  /** How often idle() polls job states (default 50 ms). */
  readonly pollIntervalMs?: number;
  /**
   * How long a running job's lock lasts without renewal (default 120 s; BullMQ's own is 30 s).
   * It must outlast a Redis outage: a job whose lock expired while Redis was away cannot be
   * marked completed afterwards and is run again by the stalled-job check.
   */
  readonly lockDurationMs?: number;
  /** How often workers look for stalled jobs (default 30 s). */
  readonly stalledIntervalMs?: number;
}

interface PendingAdd {
  readonly key: string;
  readonly name: JobName;
  readonly data: JobData;
  readonly bullId: string;
  readonly delayMs: number;
  failures: number;
}

export const queueNameFor = (name: JobName): string => `${QUEUE_NAME_PREFIX}${name}`;

/** BullMQ refuses custom ids that look like integers or contain ':'; ours may be anything. */
export function toBullJobId(jobId: string): string {
  return `j${jobId.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'))}`;
}

export function fromBullJobId(bullId: string): string {
  if (!bullId.startsWith('j')) return bullId;
  return bullId.slice(1).replace(/%(25|3A)/g, (_m, c: string) => (c === '25' ? '%' : ':'));
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** Resolves with the promise's value, or rejects after `ms`; a late rejection is swallowed. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(jobErrorMessage(err)));
      },
    );
  });
}

/** True if the promise settled within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  promise.catch(() => undefined);
  const done = await Promise.race([promise.then(() => true, () => true), sleep(ms).then(() => false)]);
  return done;
}

export class BullMqJobQueue implements JobQueue {
  readonly backend = 'bullmq' as const;
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly retry: { readonly [N in JobName]: RetryPolicy };
  private readonly concurrency: { readonly [N in JobName]: number };
  private readonly keepCompleted: number;
  private readonly keepFailed: number;
  private readonly pollIntervalMs: number;
  private readonly lockDurationMs: number;
  private readonly stalledIntervalMs: number;
  private readonly health: RedisHealth;
  /** Used by the Queues: fails fast while Redis is away (the outbox retries). */
  private readonly producer: Redis;
  /** Never connects itself; every Worker duplicates it (offline queue on, no retry limit). */
  private readonly workerBase: Redis;
  private readonly duplicates = new Set<Redis>();
  private readonly queueByName = new Map<JobName, OnrampQueue>();
  private readonly workers: OnrampWorker[] = [];
  private outbox: PendingAdd[] = [];
  private readonly outboxKeys = new Set<string>();
  /** Added to Redis by this instance and not yet seen completed or failed for good. */
  private readonly pending = new Map<string, PendingAdd>();
  /** Errors our processor rethrew after logging them (the worker's 'failed' event skips them). */
  private readonly loggedErrors = new WeakSet<Error>();
  private flushing: Promise<void> | undefined;
  private pruning: Promise<unknown> | undefined;
  private outboxOverflowLogged = false;
  private started = false;
  private stopFlushing = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(options: BullMqJobQueueOptions) {
    this.prefix = options.prefix ?? 'bull';
    this.log = options.logger.child({ component: 'jobs', backend: 'bullmq' });
    this.retry = resolveRetryPolicies(options.retry);
    this.concurrency = resolveConcurrency(options.concurrency);
    this.keepCompleted = options.keepCompleted ?? DEFAULT_KEEP_COMPLETED;
    this.keepFailed = options.keepFailed ?? DEFAULT_KEEP_FAILED;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.lockDurationMs = options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
    this.stalledIntervalMs = options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS;
    const url = new URL(options.redisUrl);
    this.health = new RedisHealth(this.log, `${url.hostname}:${url.port || '6379'}`);
    const maxDelay = options.reconnectMaxDelayMs ?? 1000;
    const common: RedisOptions = {
      retryStrategy: (times: number) => Math.min(times * 100, maxDelay),
      connectTimeout: 3000,
    };
    this.producer = new Redis(options.redisUrl, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.health.watch(this.producer);
    this.producer.on('ready', () => void this.flush());
    this.workerBase = new Redis(options.redisUrl, { ...common, maxRetriesPerRequest: null, lazyConnect: true });
    this.workerBase.on('error', (err: Error) => this.health.reportError('worker-connection', err));
    const duplicate = this.workerBase.duplicate.bind(this.workerBase);
    this.workerBase.duplicate = (override?: Partial<RedisOptions>): Redis => {
      const client = duplicate({ ...override, lazyConnect: false });
      client.on('error', (err: Error) => this.health.reportError('worker-connection', err));
      this.duplicates.add(client);
      return client;
    };
    for (const name of JOB_NAMES) {
      const queue: OnrampQueue = new Queue<JobData, void, JobName>(queueNameFor(name), {
        connection: this.producer,
        prefix: this.prefix,
        // An INFO that fails during start-up would break the Queue for good; skip it.
        skipVersionCheck: true,
      });
      queue.on('error', (err: Error) => this.health.reportError(`queue:${name}`, err));
      this.queueByName.set(name, queue);
    }
  }

  /** The BullMQ queues, one per job kind (for the dashboard). */
  get queues(): readonly OnrampQueue[] {
    return [...this.queueByName.values()];
  }

  /** Adds waiting to be handed to Redis. */
  get buffered(): number {
    return this.outbox.length;
  }

  add<N extends JobName>(name: N, payload: JobPayloads[N], opts: JobOptions = {}): void {
    try {
      if (this.closed) {
        this.log.warn({ job: name, jobId: opts.jobId }, 'job added after close; dropped');
        return;
      }
      const bullId = toBullJobId(opts.jobId ?? randomUUID());
      const key = `${name}\u0000${bullId}`;
      if (this.outboxKeys.has(key)) {
        this.log.debug({ job: name, jobId: opts.jobId }, 'duplicate job ignored');
        return;
      }
      if (this.outbox.length >= OUTBOX_LIMIT) {
        if (!this.outboxOverflowLogged) this.log.error({ job: name, limit: OUTBOX_LIMIT }, 'job outbox full while redis is unreachable; dropping new jobs');
        this.outboxOverflowLogged = true;
        return;
      }
      this.outbox.push({ key, name, data: payload, bullId, delayMs: Math.max(0, opts.delayMs ?? 0), failures: 0 });
      this.outboxKeys.add(key);
      void this.flush();
    } catch (err) {
      this.log.error({ job: name, err: jobErrorMessage(err) }, 'job could not be added');
    }
  }

  async start(handlers: JobHandlers): Promise<void> {
    if (this.closePromise !== undefined) throw new Error('BullMqJobQueue: start() after close()');
    if (this.started) throw new Error('BullMqJobQueue: start() called twice');
    this.started = true;
    for (const name of JOB_NAMES) {
      const worker: OnrampWorker = new Worker<JobData, void, JobName>(queueNameFor(name), (job) => this.process(name, handlers, job), {
        connection: this.workerBase,
        prefix: this.prefix,
        concurrency: this.concurrency[name],
        lockDuration: this.lockDurationMs,
        stalledInterval: this.stalledIntervalMs,
        // BullMQ waits this long before retrying after a Redis error (default 15 s).
        runRetryDelay: 1000,
      });
      worker.on('error', (err: Error) => this.health.reportError(`worker:${name}`, err));
      worker.on('failed', (job: OnrampJob | undefined, err: Error) => {
        if (this.loggedErrors.has(err)) return;
        // Failed outside our handler, e.g. stalled too often.
        this.log.error({ job: name, jobId: job?.id === undefined ? undefined : fromBullJobId(job.id), err: err.message }, 'job failed');
      });
      this.workers.push(worker);
    }
  }

  async counts(): Promise<{ readonly [N in JobName]: JobCounts }> {
    const out = {} as { [N in JobName]: JobCounts };
    try {
      await Promise.all(
        JOB_NAMES.map(async (name) => {
          const c = await withTimeout(
            this.queueFor(name).getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed', 'completed'),
            QUERY_TIMEOUT_MS,
            'getJobCounts',
          );
          const n = (k: string): number => c[k] ?? 0;
          out[name] = {
            waiting: n('waiting') + n('prioritized') + n('waiting-children'),
            active: n('active'),
            delayed: n('delayed'),
            failed: n('failed'),
            completed: n('completed'),
          };
        }),
      );
    } catch (err) {
      throw new JobQueueUnavailableError('counts', { cause: err });
    }
    return out;
  }

  async failed(limit = 50): Promise<FailedJob[]> {
    if (limit <= 0) return [];
    let lists: FailedJob[][];
    try {
      lists = await Promise.all(
        JOB_NAMES.map(async (name) => {
          const jobs = await withTimeout(this.queueFor(name).getFailed(0, limit - 1), QUERY_TIMEOUT_MS, 'getFailed');
          return jobs.map(
            (job): FailedJob => ({
              name,
              jobId: fromBullJobId(job.id ?? ''),
              attempts: job.attemptsMade,
              error: job.failedReason,
              finishedAtMs: job.finishedOn ?? job.timestamp,
            }),
          );
        }),
      );
    } catch (err) {
      throw new JobQueueUnavailableError('failed', { cause: err });
    }
    return lists
      .flat()
      .sort((a, b) => b.finishedAtMs - a.finishedAtMs)
      .slice(0, limit);
  }

  idle(): Promise<void> {
    return this.whenIdle(true);
  }

  drained(): Promise<void> {
    return this.whenIdle(false);
  }

  private async whenIdle(countDelayed: boolean): Promise<void> {
    for (;;) {
      if (this.closed || (this.outbox.length === 0 && this.pending.size === 0)) return;
      if (this.pending.size > 0 && this.health.isUp) {
        const delayed = await this.prune(Infinity);
        if (!countDelayed && this.outbox.length === 0 && delayed === this.pending.size) return;
      }
      if (this.closed || (this.outbox.length === 0 && this.pending.size === 0)) return;
      await sleep(this.pollIntervalMs);
    }
  }

  close(timeoutMs = 10_000): Promise<void> {
    this.closePromise ??= this.shutdown(timeoutMs);
    return this.closePromise;
  }

  private queueFor(name: JobName): OnrampQueue {
    const queue = this.queueByName.get(name);
    if (queue === undefined) throw new Error(`BullMqJobQueue: unknown job kind ${String(name)}`);
    return queue;
  }

  private async process(name: JobName, handlers: JobHandlers, job: OnrampJob): Promise<void> {
    const jobId = fromBullJobId(job.id ?? '');
    const maxAttempts = job.opts.attempts ?? 1;
    const attempt = job.attemptsMade + 1;
    const fields = { job: name, jobId, attempt, maxAttempts };
    try {
      await runJobHandler(handlers, name, job.data, { jobId, attempt, maxAttempts });
      this.log.debug(fields, 'job completed');
    } catch (err) {
      const message = jobErrorMessage(err);
      const permanent = err instanceof PermanentJobError;
      if (permanent || attempt >= maxAttempts) {
        this.log.error({ ...fields, permanent, err: message }, 'job failed');
      } else {
        this.log.warn({ ...fields, retryInMs: retryDelayMs(this.retry[name], attempt), err: message }, 'job failed; will retry');
      }
      const thrown = permanent ? new UnrecoverableError(message) : err instanceof Error ? err : new Error(message);
      this.loggedErrors.add(thrown);
      throw thrown;
    }
  }

  private flush(): Promise<void> {
    if (this.outbox.length === 0 || this.stopFlushing) return Promise.resolve();
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Hands the outbox to Redis in order, waiting out outages; never throws. */
  private async flushLoop(): Promise<void> {
    while (this.outbox.length > 0 && !this.stopFlushing) {
      if (!this.health.isUp) {
        await this.health.waitUntilUp(1000);
        continue;
      }
      const batch = this.outbox.slice(0, ADD_BATCH);
      const results = await Promise.allSettled(batch.map((item) => withTimeout(this.send(item), ADD_TIMEOUT_MS, 'add')));
      const done = new Set<PendingAdd>();
      let retryLater = false;
      results.forEach((result, i) => {
        const item = batch[i];
        if (result.status === 'fulfilled') {
          done.add(item);
          this.pending.set(item.key, item);
        } else if (isRedisConnectionError(result.reason) || /timed out/.test(jobErrorMessage(result.reason))) {
          retryLater = true;
        } else if (++item.failures >= ADD_MAX_FAILURES) {
          done.add(item);
          this.log.error({ job: item.name, jobId: fromBullJobId(item.bullId), err: jobErrorMessage(result.reason) }, 'job could not be added to redis; dropped');
        } else {
          retryLater = true;
        }
      });
      if (done.size > 0) {
        this.outbox = this.outbox.filter((item) => !done.has(item));
        for (const item of done) this.outboxKeys.delete(item.key);
        if (this.outbox.length === 0) this.outboxOverflowLogged = false;
      }
      if (this.pending.size > PENDING_PRUNE_AT) this.prunePendingInBackground();
      if (retryLater) await sleep(200);
    }
  }

  private async send(item: PendingAdd): Promise<void> {
    const policy = this.retry[item.name];
    const opts: JobsOptions = {
      jobId: item.bullId,
      attempts: policy.attempts,
      backoff: { type: 'exponential', delay: policy.backoffMs },
      removeOnComplete: { count: this.keepCompleted },
      removeOnFail: { count: this.keepFailed },
    };
    if (item.delayMs > 0) opts.delay = item.delayMs;
    await this.queueFor(item.name).add(item.name, item.data, opts);
  }

  private prunePendingInBackground(): void {
    if (this.pruning !== undefined) return;
    this.pruning = this.prune(200).finally(() => {
      this.pruning = undefined;
    });
    while (this.pending.size > PENDING_LIMIT) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }

  /** Forgets pending jobs that completed, failed for good or no longer exist; returns how many of
   *  those looked at are delayed. */
  private async prune(max: number): Promise<number> {
    let delayed = 0;
    const items = [...this.pending.values()].slice(0, max);
    for (let i = 0; i < items.length; i += ADD_BATCH) {
      await Promise.all(
        items.slice(i, i + ADD_BATCH).map(async (item) => {
          try {
            const state = await withTimeout(this.queueFor(item.name).getJobState(item.bullId), QUERY_TIMEOUT_MS, 'getJobState');
            if (state === 'completed' || state === 'failed' || state === 'unknown') this.pending.delete(item.key);
            else if (state === 'delayed') delayed++;
          } catch {
            // Redis away: try again on the next poll.
          }
        }),
      );
    }
    return delayed;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const left = (): number => deadline - Date.now();
    // 1. Stop taking jobs; let running ones finish (they may still add jobs). During an outage
    //    this cannot complete (BullMQ quits its connections gracefully); the deadline bounds it.
    const workersClosed = Promise.all(this.workers.map((w) => w.close()));
    if (!(await settlesWithin(workersClosed, left()))) {
      this.log.warn({ timeoutMs }, 'close timed out waiting for workers; disconnecting');
    }
    // 2. Hand buffered adds over while time remains.
    if (this.outbox.length > 0) await settlesWithin(this.flush(), left());
    this.stopFlushing = true;
    this.closed = true;
    if (this.outbox.length > 0) {
      this.log.error({ dropped: this.outbox.length }, 'buffered jobs could not be handed to redis before close; dropped');
    }
    this.health.close();
    // 3. The queues share the producer connection, so closing them sends nothing.
    await settlesWithin(Promise.all(this.queues.map((q) => q.close())), Math.max(left(), 100));
    // 4. Whatever is still connected or reconnecting is cut now, so no socket or reconnect
    //    timer outlives close().
    for (const client of [this.producer, this.workerBase, ...this.duplicates]) {
      if (client.status !== 'end') client.disconnect();
    }
  }
}
