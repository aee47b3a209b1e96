// Segments made available per output and how long each took from leaving its packager to being
// listed on storage (onramp_segments_total, onramp_segment_latency_seconds).
import { Counter, Histogram, type Registry } from 'prom-client';
import { SEGMENT_OUTPUTS, type SegmentObserver, type SegmentOutput } from './segment-observer.js';

/** Storage latency from a millisecond (memory) to seconds (a struggling disk or object store). */
export const SEGMENT_LATENCY_BUCKETS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class SegmentMetrics implements SegmentObserver {
  private readonly counted: Record<SegmentOutput, Counter.Internal>;
  private readonly latency: Record<SegmentOutput, Histogram.Internal<'output'>>;

  constructor(
    registry: Registry,
    prefix: string,
    /** A monotonic clock in milliseconds. */
    private readonly clockMs: () => number = () => performance.now(),
  ) {
    const total = new Counter({
      name: `${prefix}segments_total`,
      help: 'Media segments made available, by output (CMAF and recordings count one per track)',
      labelNames: ['output'] as const,
      registers: [registry],
    });
    const latency = new Histogram({
      name: `${prefix}segment_latency_seconds`,
      help: 'Time from a segment leaving its packager to its playlist (or recording journal line) being on storage',
      labelNames: ['output'] as const,
      buckets: SEGMENT_LATENCY_BUCKETS_SEC,
      registers: [registry],
    });
    // Children made once: the series exist (at 0) from the start and each segment costs no lookup.
    this.counted = { hls: total.labels('hls'), cmaf: total.labels('cmaf'), recording: total.labels('recording') };
    this.latency = { hls: latency.labels('hls'), cmaf: latency.labels('cmaf'), recording: latency.labels('recording') };
    for (const output of SEGMENT_OUTPUTS) {
      this.counted[output].inc(0);
      latency.zero({ output });
    }
  }

  segmentClosed(output: SegmentOutput): () => void {
    const startMs = this.clockMs();
    return () => {
      this.counted[output].inc();
      this.latency[output].observe(Math.max(0, this.clockMs() - startMs) / 1000);
    };
  }
}
