// The metrics of one Onramp process on a prom-client Registry of its own (never the global
// default one, so tests and several instances in one process do not clash): process metrics
// (event-loop lag, memory, GC, handles), streams and viewers, segments, HTTP requests, jobs.
// Scrape-time values are refreshed by scrape(); counters are updated where things happen.
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { JobQueue } from '../jobs/job-types.js';
import { HttpMetrics } from './http-metrics.js';
import { JobMetrics } from './job-metrics.js';
import { SegmentMetrics } from './segment-metrics.js';
import type { SegmentObserver } from './segment-observer.js';
import { StreamMetrics, type StreamSource, type ViewerSource } from './stream-metrics.js';

export const METRICS_PREFIX = 'onramp_';

export interface MetricsRegistryOptions {
  /** Node.js process metrics (event-loop lag, memory, GC, handles); on by default. */
  readonly processMetrics?: boolean;
  /** How long a scrape waits for the job queue's counts; 1 s by default. */
  readonly queueTimeoutMs?: number;
  /** Monotonic milliseconds for the segment latency; performance.now by default. */
  readonly clockMs?: () => number;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  readonly http: HttpMetrics;
  readonly segments: SegmentObserver;
  private readonly streams: StreamMetrics;
  private readonly jobs: JobMetrics;
  private streamSource: StreamSource | undefined;
  private viewerSource: ViewerSource | undefined;
  private queue: JobQueue | undefined;

  constructor(opts: MetricsRegistryOptions = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
    this.http = new HttpMetrics(this.registry, METRICS_PREFIX);
    this.segments = new SegmentMetrics(this.registry, METRICS_PREFIX, opts.clockMs);
    this.streams = new StreamMetrics(this.registry, METRICS_PREFIX);
    this.jobs = new JobMetrics(this.registry, METRICS_PREFIX, opts.queueTimeoutMs ?? 1000);
  }

  /** The streams (and HTTP viewer estimate) the stream gauges are read from at each scrape. */
  watchStreams(source: StreamSource, viewers?: ViewerSource): void {
    this.streamSource = source;
    this.viewerSource = viewers;
  }

  /** The job queue whose counts each scrape reports. */
  watchQueue(queue: JobQueue): void {
    this.queue = queue;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Refreshes the scrape-time gauges and returns every metric in the Prometheus text format. */
  async scrape(): Promise<string> {
    if (this.streamSource !== undefined) this.streams.refresh(this.streamSource, this.viewerSource);
    if (this.queue !== undefined) await this.jobs.refresh(this.queue);
    return this.registry.metrics();
  }
}
