// The segment hooks of the outputs, wired as in onramp.ts through OutputManager's segmentObserver:
// HLS, CMAF and a recording each report every segment once, and only after the playlist (or the
// recording's journal line) that lists it is on storage.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/default-config.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import type { SegmentObserver, SegmentOutput } from '../../../src/metrics/segment-observer.js';
import { LocalChangeNotifier } from '../../../src/outputs/change-notifier.js';
import { CmafSink } from '../../../src/outputs/cmaf-sink.js';
import { OutputManager } from '../../../src/outputs/output-manager.js';
import { RecordingSink } from '../../../src/recording/recording-sink.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { StreamRegistry } from '../../../src/streams/stream-registry.js';
import { aacFrame, aacSequenceHeader, avcFrame, avcSequenceHeader } from '../../helpers/synthetic-media.js';
import { parsePromText, valueOf } from './prom-text.js';

/** Remembers, synchronously as each write completes, the text of every playlist and journal. */
class TrackingStorage extends MemoryStorage {
  private readonly texts = new Map<string, string>();

  override async writeAtomic(key: string, data: string | readonly Uint8Array[]): ReturnType<MemoryStorage['writeAtomic']> {
    const stored = await super.writeAtomic(key, data);
    this.texts.set(key, typeof data === 'string' ? data : Buffer.concat(data).toString('utf8'));
    return stored;
  }

  override async append(key: string, data: readonly Uint8Array[]): Promise<void> {
    await super.append(key, data);
    if (key.endsWith('.jsonl')) this.texts.set(key, (this.texts.get(key) ?? '') + Buffer.concat(data).toString('utf8'));
  }

  text(key: string): string {
    return this.texts.get(key) ?? '';
  }
}

const count = (s: string, pattern: RegExp): number => s.split('\n').filter((l) => pattern.test(l)).length;

describe('segment hooks of the outputs', () => {
  it('report each segment once it is listed on storage', async () => {
    const storage = new TrackingStorage();
    const log = createMemoryLogger({ level: 'warn' });
    const config = defaultConfig({ hls: { segmentDurationMs: 1000, windowSegments: 10 }, streams: { reconnectGraceMs: 10_000 } });
    const nowMs = (): number => Date.now();
    const metrics = new MetricsRegistry({ processMetrics: false });
    const done: Record<SegmentOutput, number> = { hls: 0, cmaf: 0, recording: 0 };
    const problems: string[] = [];
    const checkListed = (output: SegmentOutput, n: number): void => {
      // At the n-th report of an output, its playlists (journal) on storage list at least n segments.
      const listed =
        output === 'hls' ? count(storage.text('live/x/index.m3u8'), /^seg-\d+\.ts$/)
        : output === 'cmaf' ? count(storage.text('live/x/ll-v.m3u8'), /^v-\d+\.m4s$/) + count(storage.text('live/x/ll-a.m3u8'), /^a-\d+\.m4s$/)
        : count(storage.text('vod/live/x/20250101-000000-abcdef/journal.jsonl'), /"t":"segment"/);
      if (listed < n) problems.push(`${output} segment ${n} reported with ${listed} listed`);
    };
    const observer: SegmentObserver = {
      segmentClosed(output) {
        const available = metrics.segments.segmentClosed(output);
        return () => {
          available();
          done[output]++;
          checkListed(output, done[output]);
        };
      },
    };
    const outputs = new OutputManager({
      config, storage, logger: log.logger, nowMs, segmentObserver: observer,
      extraSinks: (_stream, files, first) => [new CmafSink(files('cmaf'), config.cmaf, config.hls, new LocalChangeNotifier(), nowMs, first)],
    });
    const registry = new StreamRegistry({
      onPublish: (s) => outputs.onPublish(s), publisherTakeover: 'stale', staleAfterMs: 5000, gopCache: false, maxGopCacheBytes: 0, nowMs, onBadTag: () => undefined,
    });
    outputs.attach(registry);
    const pub = { sessionId: 's', remoteAddress: '127.0.0.1', kick: () => undefined };
    registry.publish('live', 'x', pub);
    const recording = new RecordingSink({
      storage, ref: { id: '20250101-000000-abcdef', app: 'live', name: 'x' }, logger: log.logger,
      fragmentDurationMs: 500, targetDurationSec: 1, onStopped: () => undefined,
    });
    expect(outputs.addSink('live', 'x', recording)).toBe(true);
    const stream = registry.get('live', 'x');
    if (stream === undefined) throw new Error('no stream');
    stream.ingest(9, 0, avcSequenceHeader());
    stream.ingest(8, 0, aacSequenceHeader());
    for (let i = 0; i < 120; i++) {
      stream.ingest(9, Math.round(i * 33.33), avcFrame(i % 30 === 0, 300));
      stream.ingest(8, Math.round(i * 33.33), aacFrame());
    }
    registry.unpublish('live', 'x', pub);
    await outputs.close();

    expect(problems).toEqual([]);
    expect(done.hls, 'four 1 s HLS segments').toBe(4);
    expect(done.cmaf, 'video and audio CMAF segments').toBeGreaterThanOrEqual(8);
    expect(done.recording, 'video and audio recorded segments').toBeGreaterThanOrEqual(8);
    const samples = parsePromText(await metrics.scrape());
    for (const output of ['hls', 'cmaf', 'recording'] as const) {
      expect(valueOf(samples, 'onramp_segments_total', { output })).toBe(done[output]);
      expect(valueOf(samples, 'onramp_segment_latency_seconds_count', { output })).toBe(done[output]);
    }
    expect(log.entries).toEqual([]);
  });
});
