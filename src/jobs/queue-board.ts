// The Bull Board dashboard (@bull-board/express) over the BullMQ queues, as an express Router
// that serves it under `basePath` (mount it at the root: `app.use(router)`); the embedded
// backend has no dashboard.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import { BullMqJobQueue } from './bullmq-queue.js';
import type { JobQueue } from './job-types.js';

// @bull-board/express ships its own copy of @bull-board/api (9.10.1 beside our 9.10.2); the two
// are the same at run time but TypeScript sees distinct private members, hence the cast.
type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export const DEFAULT_QUEUE_BOARD_PATH = '/admin/queues';

/** The dashboard at `basePath` (page, static files, JSON API); undefined unless the queue is BullMQ's. */
export function queueBoardRouter(queue: JobQueue, basePath = DEFAULT_QUEUE_BOARD_PATH): Router | undefined {
  if (!(queue instanceof BullMqJobQueue)) return undefined;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queue.queues.map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as unknown as BoardServerAdapter });
  const board: Router = serverAdapter.getRouter();
  const router = Router();
  router.use(basePath, board);
  return router;
}
