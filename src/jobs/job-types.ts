// Every job Onramp runs, with its typed payload. The same definitions serve both backends
// (BullMQ on Redis, the embedded in-process runner); handlers must be idempotent, since a job
// may run again after a crash or a lost acknowledgement.
import type { WebhookEvent } from '../webhooks/webhook-event.js';

export interface JobPayloads {
  /** A recording stopped (or was found unfinished at start-up): write its VOD playlists and MPD. */
  'finalize-recording': { readonly recordingId: string };
  /** Write a recording as one progressive MP4 (moov before mdat). */
  'export-mp4': { readonly recordingId: string };
  /** Delete what has outlived its retention: ended live folders, old recordings, crash leftovers. */
  'cleanup': { readonly reason: 'periodic' | 'startup' };
  /** POST one event to the configured webhook URL. */
  'deliver-webhook': { readonly event: WebhookEvent };
  /** Package an FLV file dropped into the watch folder as a recording. */
  'import-flv': { readonly path: string; readonly app: string; readonly name: string };
}

export type JobName = keyof JobPayloads;
export const JOB_NAMES: readonly JobName[] = ['finalize-recording', 'export-mp4', 'cleanup', 'deliver-webhook', 'import-flv'];

export interface JobContext {
  readonly jobId: string;
  /** 1 on the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<void>;
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

export interface JobOptions {
  /** A job with the id of one still waiting, running or recently finished is not added again. */
  readonly jobId?: string;
  readonly delayMs?: number;
}

/** Attempts and backoff per job kind: webhooks retry longest (the receiver may be down). */
export interface RetryPolicy {
  readonly attempts: number;
  /** First retry after this; doubled for each further attempt. */
  readonly backoffMs: number;
}

export const DEFAULT_RETRY: { readonly [N in JobName]: RetryPolicy } = {
  'finalize-recording': { attempts: 5, backoffMs: 1000 },
  'export-mp4': { attempts: 3, backoffMs: 5000 },
  'cleanup': { attempts: 2, backoffMs: 10_000 },
  'deliver-webhook': { attempts: 8, backoffMs: 1000 },
  'import-flv': { attempts: 2, backoffMs: 5000 },
};

/** How many jobs of a kind run at once in one process. */
export const CONCURRENCY: { readonly [N in JobName]: number } = {
  'finalize-recording': 2,
  'export-mp4': 1,
  'cleanup': 1,
  'deliver-webhook': 8,
  'import-flv': 1,
};

export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
}

export interface FailedJob {
  readonly name: JobName;
  readonly jobId: string;
  readonly attempts: number;
  readonly error: string;
  readonly finishedAtMs: number;
}

/**
 * The queue the service uses; `add` never throws and never waits for Redis: a job added while
 * Redis is unreachable is kept in memory and handed over once it is back.
 */
export interface JobQueue {
  readonly backend: 'bullmq' | 'embedded';
  add<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobOptions): void;
  /** Starts processing with these handlers (a process may also only add jobs: no start). */
  start(handlers: JobHandlers): Promise<void>;
  counts(): Promise<{ readonly [N in JobName]: JobCounts }>;
  /** Failed jobs kept for inspection, newest first. */
  failed(limit?: number): Promise<FailedJob[]>;
  /** Resolves when every job added so far (and every job those add) has completed or failed for good. For tests and shutdown. */
  idle(): Promise<void>;
  /**
   * Resolves when no job is waiting or running; jobs delayed to a later time (a retry after its
   * backoff, the cleanup of an ended stream's folder) do not count. What shutdown waits for: the
   * BullMQ backend keeps delayed jobs in Redis, and the embedded one has them redone at the next
   * start (startup recovery), so waiting for them would only delay the exit.
   */
  drained(): Promise<void>;
  /** Stops taking jobs, lets running ones finish (up to `timeoutMs`), hands buffered adds over if it can. */
  close(timeoutMs?: number): Promise<void>;
}

/** Thrown by a handler when retrying cannot help (a 4xx from a webhook receiver, a recording
 *  that no longer exists): the job fails at once, without further attempts. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Per-kind changes to DEFAULT_RETRY (tests use backoffs of a few milliseconds). */
export type RetryOverrides = { readonly [N in JobName]?: Partial<RetryPolicy> };

/** Per-kind changes to CONCURRENCY. */
export type ConcurrencyOverrides = { readonly [N in JobName]?: number };

/** DEFAULT_RETRY with the given overrides applied; attempts is at least 1, backoff at least 0. */
export function resolveRetryPolicies(overrides: RetryOverrides = {}): { readonly [N in JobName]: RetryPolicy } {
  const out = {} as { [N in JobName]: RetryPolicy };
  for (const name of JOB_NAMES) {
    const merged = { ...DEFAULT_RETRY[name], ...overrides[name] };
    out[name] = { attempts: Math.max(1, Math.floor(merged.attempts)), backoffMs: Math.max(0, merged.backoffMs) };
  }
  return out;
}

/** CONCURRENCY with the given overrides applied; at least 1 per kind. */
export function resolveConcurrency(overrides: ConcurrencyOverrides = {}): { readonly [N in JobName]: number } {
  const out = {} as { [N in JobName]: number };
  for (const name of JOB_NAMES) out[name] = Math.max(1, Math.floor(overrides[name] ?? CONCURRENCY[name]));
  return out;
}

/** Wait before the attempt after `failedAttempt` (1-based): backoffMs × 2^(failedAttempt−1). */
/** Runs the handler of job kind `name` (both backends dispatch through this). */
export function runJobHandler<N extends JobName>(handlers: JobHandlers, name: N, payload: JobPayloads[N], ctx: JobContext): Promise<void> {
  const handler = handlers[name];
  return handler(payload, ctx);
}

export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  return Math.round(policy.backoffMs * 2 ** (Math.max(1, failedAttempt) - 1));
}

/** The message of whatever a handler threw (handlers may throw non-Error values). */
export function jobErrorMessage(err: unknown): string {
  try {
    if (err instanceof Error) return String(err.message);
    if (typeof err === 'string') return err;
    return JSON.stringify(err) ?? String(err);
  } catch {
    try {
      return String(err);
    } catch {
      return 'unprintable error';
    }
  }
}

/** counts() or failed() could not reach the queue's store (Redis down); `add` never throws this. */
export class JobQueueUnavailableError extends Error {
  override readonly name = 'JobQueueUnavailableError';
  readonly code = 'queue-unavailable';
  readonly operation: string;
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`job queue unavailable during ${operation}`, options);
    this.operation = operation;
  }
}
