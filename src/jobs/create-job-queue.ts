// Picks the job queue backend from the configuration: BullMQ on Redis when a Redis URL is set,
// otherwise the embedded in-process runner. BullMQ and ioredis are loaded only when used (about
// 26 MB of resident memory a server without Redis does not need).
import type { Logger } from '../logging/logger.js';
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

export async function createJobQueue(options: CreateJobQueueOptions): Promise<JobQueue> {
  const { redisUrl, prefix, logger, retry, concurrency } = options;
  if (redisUrl === null) return new EmbeddedJobQueue({ logger, retry, concurrency });
  const { BullMqJobQueue } = await import('./bullmq-queue.js');
  return new BullMqJobQueue({ redisUrl, prefix, logger, retry, concurrency });
}
