// When storage falls behind, ingest pauses instead of buffering media without bound: with a
// storage whose segment writes hang, the bytes queued for it pass the high-water mark, publishers
// stop being read (the stream's ingest stops growing while the publisher keeps sending), and once
// storage catches up, ingest resumes. The gauge itself: pause above high water, resume below low.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/default-config.js';
import { createMemoryLogger } from '../../src/logging/memory-logger.js';
import { startOnramp } from '../../src/onramp.js';
import { IoPressure } from '../../src/outputs/io-pressure.js';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import type { StoredObject } from '../../src/storage/media-storage.js';
import { MemoryStorage } from '../../src/storage/memory-storage.js';
import { avcFrame, avcSequenceHeader } from '../helpers/synthetic-media.js';
import { waitFor } from '../helpers/test-server.js';

/** Segment writes wait until the gate opens. */
class GatedStorage extends MemoryStorage {
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  close(): void {
    this.gate = new Promise((r) => (this.openGate = r));
  }
  open(): void {
    this.openGate?.();
    this.gate = undefined;
  }
  override async write(key: string, data: readonly Uint8Array[]): Promise<StoredObject> {
    if (this.gate !== undefined) await this.gate;
    return super.write(key, data);
  }
}

describe('storage backlog', () => {
  it('the gauge pauses above the high-water mark and resumes below the low-water mark', () => {
    const p = new IoPressure(1000, 400);
    const changes: boolean[] = [];
    p.onChange((high) => changes.push(high));
    p.queued(600);
    p.queued(600);
    expect(changes).toEqual([true]);
    p.done(600);
    expect(p.isHigh, '600 pending is above the low-water mark').toBe(true);
    p.done(300);
    expect(changes).toEqual([true, false]);
    expect(p.pendingBytes).toBe(300);
  });

  it('pauses ingest while storage is stuck and resumes when it catches up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onramp-pressure-'));
    const storage = new GatedStorage();
    const log = createMemoryLogger({ level: 'debug' });
    const config = defaultConfig({ host: '127.0.0.1', mediaDir: dir, rtmp: { port: 0 }, http: { port: 0 }, hls: { segmentDurationMs: 500 }, cmaf: { enabled: false } });
    const server = await startOnramp({ config, logger: log.logger, storage, ioPressure: new IoPressure(300_000, 100_000) });
    const client = await RtmpClient.connect({ url: `rtmp://127.0.0.1:${server.rtmpPort}/live/slow`, mode: 'publish' });
    let ts = 0;
    let stop = false;
    const send = async (): Promise<void> => {
      client.sendMedia(9, 0, avcSequenceHeader());
      while (!stop && !client.isClosed) {
        // 25 frames of 10 kB per tick: about 2 Mbit/s of video with a keyframe every 0.5 s.
        for (let i = 0; i < 5; i++, ts += 20) client.sendMedia(9, ts, avcFrame(ts % 500 === 0, 10_000));
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      storage.close();
      const sending = send();
      await waitFor('ingest to pause', () => log.entries.some((e) => e.msg.startsWith('storage is falling behind')), 15_000);
      const stream = server.registry.get('live', 'slow');
      await new Promise((r) => setTimeout(r, 300));
      const before = stream?.ingestBytes ?? 0;
      await new Promise((r) => setTimeout(r, 700));
      expect(stream?.ingestBytes, 'nothing more is read while storage is stuck').toBe(before);
      storage.open();
      await waitFor('ingest to resume', () => log.entries.some((e) => e.msg === 'storage caught up: ingest resumed'), 10_000);
      await waitFor('more media to arrive', () => (stream?.ingestBytes ?? 0) > before, 5000);
      stop = true;
      await sending;
    } finally {
      stop = true;
      storage.open();
      client.destroy();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
