// MetricsRegistry on its own prom-client Registry: isolation between instances, per-stream series
// that vanish when the stream ends, the job queue reported as down instead of failing the scrape,
// and the segment counters and latency histogram on an injected clock.
import { register as globalRegister } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { JobCounts, JobName, JobQueue } from '../../../src/jobs/job-types.js';
import { JOB_NAMES, JobQueueUnavailableError } from '../../../src/jobs/job-types.js';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import type { PublisherHandle } from '../../../src/streams/live-stream.js';
import { StreamRegistry } from '../../../src/streams/stream-registry.js';
import { aacFrame, aacSequenceHeader, avcFrame, avcSequenceHeader } from '../../helpers/synthetic-media.js';
import { parsePromText, samplesOf, valueOf } from './prom-text.js';

function publisher(id: string): PublisherHandle {
  return { sessionId: id, remoteAddress: '127.0.0.1', kick: () => undefined };
}

function streamRegistry(nowMs: () => number): StreamRegistry {
  return new StreamRegistry({ publisherTakeover: 'stale', staleAfterMs: 5000, gopCache: false, maxGopCacheBytes: 0, nowMs, onBadTag: () => undefined });
}

/** A queue whose counts() behaves as given; the rest is never called by the metrics. */
function fakeQueue(counts: () => Promise<{ readonly [N in JobName]: JobCounts }>): JobQueue {
  const unused = (): never => {
    throw new Error('not used');
  };
  return { backend: 'bullmq', add: unused, start: unused, counts, failed: unused, idle: unused, drained: unused, close: unused };
}

function someCounts(): { [N in JobName]: JobCounts } {
  const out = {} as { [N in JobName]: JobCounts };
  for (const [i, name] of JOB_NAMES.entries()) out[name] = { waiting: i, active: 1, delayed: 2, failed: 3 + i, completed: 9 };
  return out;
}

describe('MetricsRegistry', () => {
  it('keeps its metrics on a registry of its own: instances do not clash or share values', async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry(); // a second set of process metrics in the same process: no "already registered"
    a.http.count('playlist', 200);
    a.http.count('playlist', 200);
    const sa = parsePromText(await a.scrape());
    const sb = parsePromText(await b.scrape());
    expect(valueOf(sa, 'onramp_http_requests_total', { route: 'playlist', status: '200' })).toBe(2);
    expect(valueOf(sb, 'onramp_http_requests_total', { route: 'playlist', status: '200' })).toBeUndefined();
    expect(a.registry).not.toBe(globalRegister);
    expect(await globalRegister.metrics(), 'nothing lands on the global default registry').not.toContain('onramp_');
    // Process metrics with the prefix: event-loop lag and memory.
    for (const name of ['onramp_nodejs_eventloop_lag_seconds', 'onramp_process_resident_memory_bytes', 'onramp_nodejs_heap_size_used_bytes']) {
      expect(samplesOf(sb, name).length, name).toBeGreaterThan(0);
    }
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('reports live streams with app/name series that disappear when the stream ends', async () => {
    let now = 1_000_000;
    const streams = streamRegistry(() => now);
    const metrics = new MetricsRegistry({ processMetrics: false });
    metrics.watchStreams(streams, { count: (app, name) => (app === 'live' && name === 'a' ? 4 : 0) });
    const pub = publisher('p1');
    const decision = streams.publish('live', 'a', pub);
    expect(decision.ok).toBe(true);
    const stream = streams.get('live', 'a');
    if (stream === undefined) throw new Error('no stream');
    stream.ingest(9, 0, avcSequenceHeader());
    stream.ingest(8, 0, aacSequenceHeader());
    let sent = avcSequenceHeader().length + aacSequenceHeader().length;
    for (let s = 0; s < 4; s++) {
      for (let f = 0; f < 10; f++) {
        const v = avcFrame(f === 0, 1000);
        const au = aacFrame(100);
        stream.ingest(9, s * 1000 + f * 100, v);
        stream.ingest(8, s * 1000 + f * 100, au);
        sent += v.length + au.length;
      }
      now += 1000;
    }
    const live = parsePromText(await metrics.scrape());
    const labels = { app: 'live', name: 'a' };
    expect(valueOf(live, 'onramp_live_streams')).toBe(1);
    expect(valueOf(live, 'onramp_publishers')).toBe(1);
    expect(valueOf(live, 'onramp_stream_ingest_bytes_total', labels)).toBe(sent);
    // 10 × (1009 + 102) bytes a second ≈ 88.9 kbit/s (rounded to whole kbit/s).
    expect(valueOf(live, 'onramp_stream_ingest_bits_per_second', labels)).toBe(89_000);
    expect(valueOf(live, 'onramp_stream_viewers', { ...labels, protocol: 'http' })).toBe(4);
    expect(valueOf(live, 'onramp_stream_viewers', { ...labels, protocol: 'rtmp' })).toBe(0);
    expect(valueOf(live, 'onramp_http_viewers')).toBe(4);

    streams.unpublish('live', 'a', pub);
    const ended = parsePromText(await metrics.scrape());
    expect(valueOf(ended, 'onramp_live_streams')).toBe(0);
    expect(valueOf(ended, 'onramp_publishers')).toBe(0);
    for (const name of ['onramp_stream_ingest_bytes_total', 'onramp_stream_ingest_bits_per_second', 'onramp_stream_viewers']) {
      expect(samplesOf(ended, name, { name: 'a' }), `${name} of the ended stream`).toEqual([]);
    }
  });

  it('reports job counts per kind, and queue_up 0 (not a failed scrape) when the queue is unreachable', async () => {
    const metrics = new MetricsRegistry({ processMetrics: false, queueTimeoutMs: 50 });
    let mode: 'up' | 'down' | 'hang' = 'up';
    metrics.watchQueue(fakeQueue(() => {
      if (mode === 'up') return Promise.resolve(someCounts());
      if (mode === 'down') return Promise.reject(new JobQueueUnavailableError('counts'));
      return new Promise(() => undefined);
    }));
    const up = parsePromText(await metrics.scrape());
    expect(valueOf(up, 'onramp_jobs_queue_up')).toBe(1);
    expect(valueOf(up, 'onramp_jobs_queued', { kind: 'export-mp4', state: 'waiting' })).toBe(1);
    expect(valueOf(up, 'onramp_jobs_queued', { kind: 'cleanup', state: 'delayed' })).toBe(2);
    expect(valueOf(up, 'onramp_jobs_failed', { kind: 'deliver-webhook' })).toBe(6);

    for (const m of ['down', 'hang'] as const) {
      mode = m;
      const started = Date.now();
      const down = parsePromText(await metrics.scrape());
      expect(Date.now() - started, `${m}: the scrape does not wait past the timeout`).toBeLessThan(1000);
      expect(valueOf(down, 'onramp_jobs_queue_up'), m).toBe(0);
      expect(samplesOf(down, 'onramp_jobs_queued'), `${m}: no stale counts`).toEqual([]);
      expect(samplesOf(down, 'onramp_jobs_failed'), `${m}: no stale counts`).toEqual([]);
    }
  });

  it('counts segments per output and observes their latency on its clock', async () => {
    let clock = 0;
    const metrics = new MetricsRegistry({ processMetrics: false, clockMs: () => clock });
    const before = parsePromText(await metrics.scrape());
    for (const output of ['hls', 'cmaf', 'recording']) expect(valueOf(before, 'onramp_segments_total', { output }), `${output} starts at 0`).toBe(0);
    const hls = metrics.segments.segmentClosed('hls');
    const cmaf = metrics.segments.segmentClosed('cmaf');
    clock += 30;
    hls();
    clock += 200;
    cmaf();
    const after = parsePromText(await metrics.scrape());
    expect(valueOf(after, 'onramp_segments_total', { output: 'hls' })).toBe(1);
    expect(valueOf(after, 'onramp_segments_total', { output: 'cmaf' })).toBe(1);
    expect(valueOf(after, 'onramp_segment_latency_seconds_sum', { output: 'hls' })).toBeCloseTo(0.03, 6);
    expect(valueOf(after, 'onramp_segment_latency_seconds_sum', { output: 'cmaf' })).toBeCloseTo(0.23, 6);
    expect(valueOf(after, 'onramp_segment_latency_seconds_bucket', { output: 'hls', le: '0.05' })).toBe(1);
    expect(valueOf(after, 'onramp_segment_latency_seconds_bucket', { output: 'cmaf', le: '0.1' })).toBe(0);
    expect(valueOf(after, 'onramp_segment_latency_seconds_count', { output: 'recording' })).toBe(0);
  });
});
