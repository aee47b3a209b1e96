// Observability of a running Onramp: /metrics scraped during a live stream (published in real time
// through Onramp's own RTMP client) shows the stream's series with sensible values, and they go
// when the stream ends; /healthz and /readyz answer; /api/streams reports RTMP and HTTP viewers;
// and at the default level 'info', players fetching playlists and segments log nothing per request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/default-config.js';
import { createMemoryLogger } from '../../src/logging/memory-logger.js';
import { startOnramp, type RunningOnramp } from '../../src/onramp.js';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { parsePromText, samplesOf, valueOf, type PromSample } from '../src/metrics/prom-text.js';
import { aacFrame, aacSequenceHeader, avcFrame, avcSequenceHeader } from '../helpers/synthetic-media.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';

const VIDEO_FRAME_MS = 1000 / 30;
const AUDIO_FRAME_MS = 1024_000 / 44_100;
const VIDEO_FRAME_BYTES = 2500;
const AUDIO_FRAME_BYTES = 200;

/** Sends 30 fps video (a keyframe a second) and AAC audio at the pace of their timestamps. */
class PacedPublisher {
  bytesSent = 0;
  private videoMs = 0;
  private audioMs = 0;
  private readonly startedAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly client: RtmpClient) {
    this.send(9, 0, avcSequenceHeader());
    this.send(8, 0, aacSequenceHeader());
    this.tick();
    this.timer = setInterval(() => this.tick(), 20);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const elapsed = Date.now() - this.startedAt;
    while (this.videoMs <= elapsed) {
      const index = Math.round(this.videoMs / VIDEO_FRAME_MS);
      this.send(9, Math.round(this.videoMs), avcFrame(index % 30 === 0, VIDEO_FRAME_BYTES));
      this.videoMs += VIDEO_FRAME_MS;
    }
    while (this.audioMs <= elapsed) {
      this.send(8, Math.round(this.audioMs), aacFrame(AUDIO_FRAME_BYTES));
      this.audioMs += AUDIO_FRAME_MS;
    }
  }

  private send(typeId: 8 | 9, ts: number, body: Uint8Array): void {
    this.bytesSent += body.length;
    this.client.sendMedia(typeId, ts, body);
  }
}

describe('metrics, health and request logs of a live stream', () => {
  let t: TestServer;
  const scrape = async (): Promise<PromSample[]> => {
    const res = await fetch(t.httpUrl('/metrics'));
    expect(res.status).toBe(200);
    return parsePromText(await res.text());
  };
  beforeAll(async () => {
    t = await startTestServer({ hls: { segmentDurationMs: 1000 }, cmaf: { partDurationMs: 250 }, streams: { reconnectGraceMs: 200 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(t.httpUrl('/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(t.httpUrl('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { rtmp: 'ok', http: 'ok', storage: 'ok', redis: 'not configured' } });
    expect(await t.server.storage.list('admin'), 'no probe object is left behind').toEqual([]);
  });

  it('shows the stream\'s series while it is live, with sensible values, and drops them when it ends', async () => {
    const labels = { app: 'live', name: 'metered' };
    const pub = await RtmpClient.connect({ url: t.rtmpUrl('live/metered'), mode: 'publish' });
    const paced = new PacedPublisher(pub);
    const startedAt = Date.now();
    const player = await RtmpClient.connect({ url: t.rtmpUrl('live/metered'), mode: 'play' });
    try {
      // HTTP traffic: playlists by two distinct viewers (User-Agents), a segment, the API, a miss.
      const playlist = await waitFor('an HLS playlist with a segment', async () => {
        const res = await fetch(t.httpUrl('/live/metered/index.m3u8'), { headers: { 'user-agent': 'viewer-1' } });
        const text = res.status === 200 ? await res.text() : '';
        return text.includes('seg-') ? text : undefined;
      });
      const segment = playlist.split('\n').find((l) => l.startsWith('seg-')) ?? '';
      expect((await fetch(t.httpUrl(`/live/metered/${segment}`))).status).toBe(200);
      await waitFor('the DASH manifest', async () => (await fetch(t.httpUrl('/live/metered/index.mpd'), { headers: { 'user-agent': 'viewer-2' } })).status === 200);
      for (let i = 0; i < 3; i++) expect((await fetch(t.httpUrl('/live/metered/index.m3u8'), { headers: { 'user-agent': 'viewer-1' } })).status).toBe(200);
      expect((await fetch(t.httpUrl('/live/metered/seg-1.ts'))).status).toBe(404);
      const api = (await (await fetch(t.httpUrl('/api/streams'))).json()) as { streams: { name: string; players: number; viewers: { rtmp: number; http: number } }[] };
      expect(api.streams.find((s) => s.name === 'metered')).toMatchObject({ players: 1, viewers: { rtmp: 1, http: 2 } });

      // Let at least three whole seconds pass for the bitrate window, then scrape while live.
      await new Promise((r) => setTimeout(r, Math.max(0, 3500 - (Date.now() - startedAt))));
      await scrape(); // so the next scrape shows /metrics itself counted
      const live = await scrape();
      const elapsedSec = (Date.now() - startedAt) / 1000;
      expect(valueOf(live, 'onramp_live_streams')).toBe(1);
      expect(valueOf(live, 'onramp_publishers')).toBe(1);
      expect(valueOf(live, 'onramp_players')).toBe(1);
      expect(valueOf(live, 'onramp_stream_viewers', { ...labels, protocol: 'rtmp' })).toBe(1);
      expect(valueOf(live, 'onramp_stream_viewers', { ...labels, protocol: 'http' })).toBe(2);
      expect(valueOf(live, 'onramp_http_viewers')).toBe(2);

      const sentBitsPerSec = (paced.bytesSent * 8) / elapsedSec;
      const bitrate = valueOf(live, 'onramp_stream_ingest_bits_per_second', labels) ?? 0;
      expect(bitrate, `bitrate ${bitrate} vs ${Math.round(sentBitsPerSec)} bit/s sent`).toBeGreaterThan(sentBitsPerSec * 0.5);
      expect(bitrate).toBeLessThan(sentBitsPerSec * 1.5);
      const bytes = valueOf(live, 'onramp_stream_ingest_bytes_total', labels) ?? 0;
      expect(bytes).toBeGreaterThan(paced.bytesSent * 0.8);
      expect(bytes).toBeLessThanOrEqual(paced.bytesSent);

      for (const output of ['hls', 'cmaf']) {
        expect(valueOf(live, 'onramp_segments_total', { output }), `${output} segments`).toBeGreaterThan(0);
        const count = valueOf(live, 'onramp_segment_latency_seconds_count', { output }) ?? 0;
        const sum = valueOf(live, 'onramp_segment_latency_seconds_sum', { output }) ?? 0;
        expect(count, `${output} latency observations`).toBeGreaterThan(0);
        expect(sum / count, `${output} mean latency in seconds`).toBeLessThan(2);
      }
      expect(valueOf(live, 'onramp_segments_total', { output: 'recording' })).toBe(0);

      expect(valueOf(live, 'onramp_http_requests_total', { route: 'playlist', status: '200' })).toBeGreaterThanOrEqual(4);
      expect(valueOf(live, 'onramp_http_requests_total', { route: 'manifest', status: '200' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(live, 'onramp_http_requests_total', { route: 'segment', status: '200' })).toBe(1);
      expect(valueOf(live, 'onramp_http_requests_total', { route: 'segment', status: '404' })).toBe(1);
      expect(valueOf(live, 'onramp_http_requests_total', { route: 'api', status: '200' })).toBe(1);
      expect(valueOf(live, 'onramp_http_requests_total', { route: 'health', status: '200' })).toBe(2);
      expect(valueOf(live, 'onramp_http_requests_total', { route: 'metrics', status: '200' })).toBeGreaterThanOrEqual(1);

      expect(valueOf(live, 'onramp_jobs_queue_up')).toBe(1);
      expect(samplesOf(live, 'onramp_jobs_queued', { kind: 'cleanup' })).toHaveLength(3);
      expect(samplesOf(live, 'onramp_nodejs_eventloop_lag_seconds')).toHaveLength(1);
      expect(valueOf(live, 'onramp_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
      expect(valueOf(live, 'onramp_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

      // Every byte sent arrives and is counted exactly.
      paced.stop();
      await waitFor('every byte sent to be counted', async () => valueOf(await scrape(), 'onramp_stream_ingest_bytes_total', labels) === paced.bytesSent);
    } finally {
      paced.stop();
      await player.close();
      await pub.close();
    }

    const ended = await waitFor('the stream to end', async () => {
      const s = await scrape();
      return valueOf(s, 'onramp_live_streams') === 0 ? s : undefined;
    });
    expect(valueOf(ended, 'onramp_publishers')).toBe(0);
    expect(valueOf(ended, 'onramp_players')).toBe(0);
    expect(ended.filter((s) => s.labels.name === 'metered'), 'no series of the ended stream').toEqual([]);
    expect(valueOf(ended, 'onramp_segments_total', { output: 'hls' }), 'counters stay').toBeGreaterThan(0);
  });

  it('sends request ids and logs one debug line per request with it', async () => {
    const res = await fetch(t.httpUrl('/api/streams'), { headers: { 'x-request-id': 'it-metrics-1' } });
    expect(res.headers.get('x-request-id')).toBe('it-metrics-1');
    await res.arrayBuffer();
    await waitFor('the request line', () => t.log.entries.some((e) => e.msg === 'http request' && e.fields.reqId === 'it-metrics-1'));
    const generated = (await fetch(t.httpUrl('/healthz'))).headers.get('x-request-id');
    expect(generated).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });
});

describe('logs at info under load', () => {
  let server: RunningOnramp;
  let mediaDir: string;
  const log = createMemoryLogger({ level: 'info' });
  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'onramp-test-'));
    const config = defaultConfig({ host: '127.0.0.1', mediaDir, rtmp: { port: 0 }, http: { port: 0 }, hls: { segmentDurationMs: 1000 } });
    server = await startOnramp({ config, logger: log.logger });
  });
  afterAll(async () => {
    await server?.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  it('writes no line per request while players fetch playlists and segments', async () => {
    const url = (path: string): string => `http://127.0.0.1:${server.httpPort}${path}`;
    const pub = await RtmpClient.connect({ url: `rtmp://127.0.0.1:${server.rtmpPort}/live/busy`, mode: 'publish' });
    pub.sendMedia(9, 0, avcSequenceHeader());
    pub.sendMedia(8, 0, aacSequenceHeader());
    for (let i = 0; i < 120; i++) {
      pub.sendMedia(9, Math.round(i * VIDEO_FRAME_MS), avcFrame(i % 30 === 0, 500));
      pub.sendMedia(8, Math.round(i * VIDEO_FRAME_MS), aacFrame());
    }
    const playlist = await waitFor('segments', async () => {
      const res = await fetch(url('/live/busy/index.m3u8'));
      const text = res.status === 200 ? await res.text() : '';
      return text.split('\n').filter((l) => l.startsWith('seg-')).length >= 2 ? text : undefined;
    });
    const linesBefore = log.entries.length;
    const segments = playlist.split('\n').filter((l) => l.startsWith('seg-'));
    let requests = 0;
    for (let player = 0; player < 10; player++) {
      await Promise.all([
        fetch(url('/live/busy/index.m3u8'), { headers: { 'user-agent': `p${player}` } }).then((r) => r.arrayBuffer()),
        fetch(url('/live/busy/index.mpd')).then((r) => r.arrayBuffer()),
        ...segments.map((s) => fetch(url(`/live/busy/${s}`)).then((r) => r.arrayBuffer())),
        fetch(url('/live/busy/seg-1.ts')).then((r) => r.arrayBuffer()),
        fetch(url('/api/streams')).then((r) => r.arrayBuffer()),
        fetch(url('/metrics')).then((r) => r.arrayBuffer()),
      ]);
      requests += 5 + segments.length;
    }
    const during = log.entries.slice(linesBefore);
    expect(requests).toBeGreaterThan(50);
    expect(during.filter((e) => e.fields.reqId !== undefined || e.fields.component === 'http'), 'no per-request lines').toEqual([]);
    expect(during.length, `lines logged during ${requests} requests: ${JSON.stringify(during)}`).toBeLessThanOrEqual(2);
    await pub.close();
  });
});
