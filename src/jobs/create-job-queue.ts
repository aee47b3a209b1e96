// Picks the job queue backend from the configuration: BullMQ on Redis when a Redis URL is set,
// otherwise the embedded in-process runner.
import type { Logger } from '../logging/logger.js';
import { BullMqJobQueue } from './bullmq-queue.js';
import { EmbeddedJobQueue } from './embedded-queue.js';
import type { ConcurrencyOverrides, JobQueue, RetryOverrides } from './job-types.js';

export interface CreateJobQueueOptions {
  /** null: the embedded backend (jobs in memory, lost on exit). */
  readonly redisUrl: string | null;
  /** BullMQ key prefix (default 'bull'); ignored by the embedded backend. */
  readonly prefix?: string;
  readonly logger: Logger;
  readonly retry?: RetryOverrides;
  readonly concurrency?: ConcurrencyOverrides;
}

export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  const { redisUrl, prefix, logger, retry, concurrency } = options;
  if (redisUrl === null) return new EmbeddedJobQueue({ logger, retry, concurrency });
  return new BullMqJobQueue({ redisUrl, prefix, logger, retry, concurrency });
}
