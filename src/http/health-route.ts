// GET /healthz: the process runs (always 200). GET /readyz: it can do its job — RTMP and HTTP are
// listening, storage takes a write, and Redis answers when it is configured — 200, else 503 with
// the check that failed. Probes run at most one at a time; concurrent requests share the result.
import { Router, type Request, type Response } from 'express';
import type { JobQueue } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import { withDeadline } from '../metrics/deadline.js';
import type { MediaStorage } from '../storage/media-storage.js';

/** Under the app name reserved for the origin ('admin'), so no stream can own or serve the key. */
export function readinessProbeKey(pid: number = process.pid): string {
  return `admin/readyz-${pid}`;
}

export interface Listening {
  readonly rtmp: boolean;
  readonly http: boolean;
}

export interface HealthRouteDeps {
  readonly listening: () => Listening;
  readonly storage: MediaStorage;
  /** Checked only when given (Redis is configured): counts() must answer in time. */
  readonly queue?: JobQueue;
  readonly logger: Logger;
  /** How long each dependency may take; 1 s by default. */
  readonly timeoutMs?: number;
  readonly probeKey?: string;
}

type CheckName = 'rtmp' | 'http' | 'storage' | 'redis';
type CheckResult = 'ok' | 'not configured' | `failed: ${string}`;
type Checks = Record<CheckName, CheckResult>;

export function healthRoute(deps: HealthRouteDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'health' });
  const timeoutMs = deps.timeoutMs ?? 1000;
  const probeKey = deps.probeKey ?? readinessProbeKey();
  let inFlight: Promise<Pick<Checks, 'storage' | 'redis'>> | undefined;
  let wasReady = true;

  const probeDependencies = async (): Promise<Pick<Checks, 'storage' | 'redis'>> => {
    const storage = settle(withDeadline(probeStorage(deps.storage, probeKey), timeoutMs, 'storage'));
    const queue = deps.queue;
    const redis = queue === undefined ? Promise.resolve<CheckResult>('not configured') : settle(withDeadline(queue.counts(), timeoutMs, 'redis'));
    return { storage: await storage, redis: await redis };
  };

  router.get('/healthz', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req: Request, res: Response) => {
    inFlight ??= probeDependencies().finally(() => {
      inFlight = undefined;
    });
    const listening = deps.listening();
    const checks: Checks = {
      rtmp: listening.rtmp ? 'ok' : 'failed: not listening',
      http: listening.http ? 'ok' : 'failed: not listening',
      ...(await inFlight),
    };
    const failed = (Object.keys(checks) as CheckName[]).filter((k) => checks[k].startsWith('failed'));
    const ready = failed.length === 0;
    if (ready !== wasReady) {
      if (ready) log.info('ready again');
      else log.warn({ checks }, `not ready: ${failed.join(', ')}`);
      wasReady = ready;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json(ready ? { status: 'ready', checks } : { status: 'not ready', failed, checks });
  });
  return router;
}

async function probeStorage(storage: MediaStorage, key: string): Promise<void> {
  await storage.writeAtomic(key, `${Date.now()}\n`);
  await storage.delete(key);
}

async function settle(work: Promise<unknown>): Promise<CheckResult> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return `failed: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`;
  }
}
