// BullMqJobQueue against the Redis at 127.0.0.1:6379: the JobQueue contract with a unique key
// prefix per test (its keys deleted afterwards), plus the id mapping BullMQ needs.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BullMqJobQueue, fromBullJobId, toBullJobId } from '../../../src/jobs/bullmq-queue.js';
import { SHARED_REDIS_PORT, SHARED_REDIS_URL, deleteKeys, redisAnswers } from '../../helpers/redis-server.js';
import { jobQueueContract } from './job-queue-contract.js';


const redisUp = await redisAnswers(SHARED_REDIS_PORT);
if (!redisUp) {
  if (process.env.CI === 'true') throw new Error(`Redis is required in CI at 127.0.0.1:${SHARED_REDIS_PORT}`);
  console.warn(`skipping BullMQ tests: no Redis at 127.0.0.1:${SHARED_REDIS_PORT}`);
}

describe.runIf(redisUp)('BullMqJobQueue', () => {
  jobQueueContract('bullmq', async ({ logger, retry }) => {
    const prefix = `onramp-test-${randomUUID().slice(0, 8)}`;
    const queue = new BullMqJobQueue({ redisUrl: SHARED_REDIS_URL, prefix, logger, retry });
    return {
      queue,
      dispose: async () => {
        await queue.close(2000);
        await deleteKeys(SHARED_REDIS_URL, prefix);
      },
    };
  });

  it('maps any job id to one BullMQ accepts (no ":" and never an integer) and back', () => {
    for (const id of ['42', 'finalize:rec-1', 'a%3Ab', '%', '', 'j', 'x:y:z']) {
      const bull = toBullJobId(id);
      expect(bull).not.toContain(':');
      expect(`${parseInt(bull, 10)}`).not.toBe(bull);
      expect(fromBullJobId(bull)).toBe(id);
    }
  });
});
