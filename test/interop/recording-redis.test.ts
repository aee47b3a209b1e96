// The job queue on Redis (BullMQ), end to end, including Redis going away: a recorded live stream
// while Redis is stopped keeps its live HLS playlist advancing on time; the jobs queued meanwhile
// (finalizing the recording, its MP4, webhooks) run once Redis is back, each event delivered once;
// webhook requests are signed; the queue dashboard is at /admin/queues and the depth in /api/jobs.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../src/http/recordings-route.js';
import type { WebhookEvent } from '../../src/webhooks/webhook-event.js';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signature.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { deleteKeys, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { expectPlayableVod } from '../helpers/vod-check.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe') && requireTool('redis-server', ['--version']);
const SECRET = 'webhook-secret-for-tests-0123456789';
/** Seconds published; Redis is down from the first segment until 2 s after the end. The suite
 *  keeps it short; ONRAMP_TEST_OUTAGE_PUBLISH_SEC=32 gives the 30 s outage. */
const PUBLISH_SEC = Number(process.env.ONRAMP_TEST_OUTAGE_PUBLISH_SEC ?? 12);

interface Delivery {
  readonly event: WebhookEvent;
  readonly signed: boolean;
  readonly eventIdHeader: string | undefined;
}

describe.skipIf(!enabled)('jobs on Redis through an outage', () => {
  let redis: RedisServer;
  let t: TestServer;
  let receiver: Server;
  const deliveries: Delivery[] = [];
  const prefix = `onramp-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    redis = await startRedisServer();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signature = req.headers['onramp-signature'];
        deliveries.push({
          event: JSON.parse(body) as WebhookEvent,
          signed: typeof signature === 'string' && verifyWebhookSignature(signature, body, SECRET, Date.now() / 1000),
          eventIdHeader: req.headers['onramp-event-id'] as string | undefined,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as { port: number }).port;
    t = await startTestServer({
      redisUrl: redis.url,
      jobs: { prefix },
      recording: { streams: ['live'] },
      streams: { reconnectGraceMs: 1000 },
      hls: { segmentDurationMs: 1000 },
      webhooks: { url: `http://127.0.0.1:${port}/hooks`, secret: SECRET },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    if (redis?.running) await deleteKeys(redis.url, prefix).catch(() => 0);
    await redis?.dispose();
  });

  it('keeps live HLS on time while Redis is down and runs the queued jobs once it is back', async () => {
    expect(t.server.queue.backend).toBe('bullmq');
    const board = await fetch(t.httpUrl('/admin/queues'));
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<html');

    const advances: number[] = [];
    let lastPlaylist = '';
    const poll = setInterval(() => {
      void fetch(t.httpUrl('/live/outage/index.m3u8')).then(async (res) => {
        if (res.status !== 200) return;
        const text = await res.text();
        const last = text.trim().split('\n').pop() ?? '';
        if (last !== lastPlaylist) {
          lastPlaylist = last;
          advances.push(Date.now());
        }
      }, () => undefined);
    }, 100);
    const publishing = ffmpegLivePublish(t.rtmpUrl('live/outage'), PUBLISH_SEC);
    await waitFor('the first live segment', () => advances.length > 0, 15_000);
    await redis.stop({ save: true });
    const outageStart = Date.now();
    const jobsDuringOutage = await fetch(t.httpUrl('/api/jobs'));
    expect(jobsDuringOutage.status, '/api/jobs says the queue is unreachable').toBe(503);
    const published = await publishing;
    expect(published.code, published.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 2000)); // the grace period ends; finalize is queued while Redis is down
    const outageEnd = Date.now();
    console.info(`redis outage: ${((outageEnd - outageStart) / 1000).toFixed(1)} s, live playlist updated ${advances.filter((a) => a >= outageStart).length} times meanwhile`);
    clearInterval(poll);
    const duringOutage = advances.filter((a) => a >= outageStart && a <= outageEnd);
    expect(duringOutage.length, 'the live playlist advanced while Redis was down').toBeGreaterThan(4);
    const gaps = advances.slice(1).map((a, i) => a - advances[i]).filter((_, i) => advances[i + 1] <= outageEnd - 2500);
    expect(Math.max(...gaps), `longest pause between live playlist updates: ${Math.max(...gaps)} ms`).toBeLessThan(2500);
    expect((await t.server.queue.counts().catch((e: unknown) => e)) instanceof Error, 'queue unreachable').toBe(true);

    await redis.restart();
    const rec = await waitFor('the recording to be finalized after Redis is back', async () => {
      const body = (await (await fetch(t.httpUrl('/api/recordings?app=live&name=outage'))).json()) as { recordings: RecordingView[] };
      const r = body.recordings[0];
      return r !== undefined && r.state === 'ready' && r.jobs.mp4 === 'ready' && r;
    }, 40_000);
    await expectPlayableVod(rec, rec.durationSec);
    expect(Math.abs(rec.durationSec - PUBLISH_SEC)).toBeLessThanOrEqual(0.5);

    await waitFor('the recording.ready webhook', () => deliveries.some((d) => d.event.type === 'recording.ready'), 20_000);
    const types = deliveries.map((d) => d.event.type).sort();
    expect(types, 'each event delivered once').toEqual(['recording.ready', 'stream.publish', 'stream.unpublish']);
    expect(new Set(deliveries.map((d) => d.event.id)).size).toBe(deliveries.length);
    for (const d of deliveries) {
      expect(d.signed, `${d.event.type} carries a valid Onramp-Signature`).toBe(true);
      expect(d.eventIdHeader).toBe(d.event.id);
      expect(d.event).toMatchObject({ app: 'live', name: 'outage' });
    }
    const ready = deliveries.find((d) => d.event.type === 'recording.ready')?.event;
    expect(ready?.recording).toMatchObject({ id: rec.id, hls: `/vod/live/outage/${rec.id}/index.m3u8`, mp4: `/vod/live/outage/${rec.id}/recording.mp4` });

    const jobs = (await (await fetch(t.httpUrl('/api/jobs'))).json()) as { backend: string; counts: Record<string, { waiting: number; failed: number }> };
    expect(jobs.backend).toBe('bullmq');
    expect(jobs.counts['finalize-recording']).toMatchObject({ waiting: 0, failed: 0 });
    expect(t.log.entries.filter((l) => l.msg === 'redis unreachable').length, 'one log line for the outage').toBe(1);
  }, 60_000 + PUBLISH_SEC * 1000);
});
