// Job queue gauges at scrape time, from JobQueue.counts(): jobs waiting, active and delayed per
// kind, failed jobs kept per kind, and whether the queue answered at all (onramp_jobs_queue_up).
// An unreachable queue (Redis down) reports queue_up 0 and no counts; the scrape still succeeds.
import { Gauge, type Registry } from 'prom-client';
import { JOB_NAMES, type JobQueue } from '../jobs/job-types.js';
import { withDeadline } from './deadline.js';

const QUEUED_STATES = ['waiting', 'active', 'delayed'] as const;

export class JobMetrics {
  private readonly up: Gauge;
  private readonly queued: Gauge<'kind' | 'state'>;
  private readonly failed: Gauge<'kind'>;

  constructor(
    registry: Registry,
    prefix: string,
    private readonly timeoutMs: number,
  ) {
    const registers = [registry];
    this.up = new Gauge({ name: `${prefix}jobs_queue_up`, help: '1 when the job queue answered the last scrape, 0 when it was unreachable', registers });
    this.queued = new Gauge({ name: `${prefix}jobs_queued`, help: 'Jobs in the queue by kind and state (waiting, active, delayed)', labelNames: ['kind', 'state'] as const, registers });
    this.failed = new Gauge({ name: `${prefix}jobs_failed`, help: 'Jobs that failed for good and are kept for inspection, by kind', labelNames: ['kind'] as const, registers });
  }

  async refresh(queue: JobQueue): Promise<void> {
    let counts: Awaited<ReturnType<JobQueue['counts']>>;
    try {
      counts = await withDeadline(queue.counts(), this.timeoutMs, 'the job queue');
    } catch {
      this.up.set(0);
      this.queued.reset();
      this.failed.reset();
      return;
    }
    this.up.set(1);
    for (const kind of JOB_NAMES) {
      const c = counts[kind];
      for (const state of QUEUED_STATES) this.queued.set({ kind, state }, c[state]);
      this.failed.set({ kind }, c.failed);
    }
  }
}
