// The load generator, run in its own process: replays the fixture FLV as N concurrent RTMP
// publishers at real-time rate with Onramp's RtmpClient, and reports when each keyframe was sent.
// One timer paces every publisher; tags are views into the file, so the cost is the socket writes.
import { RtmpClient } from '../src/rtmp/rtmp-client.js';
import { loadFixture, type LoadedFixture } from './fixture-tags.js';
import type { KeyframeSend, LoadGeneratorConfig, LoadGeneratorMessage, PublisherResult, WorkerCommand } from './worker-messages.js';

class Publisher {
  private next = 0;
  private loop = 0;
  private started = false;
  private readonly keyframes: KeyframeSend[] = [];
  private tagsSent = 0;
  private bytesSent = 0;
  private maxQueuedBytes = 0;
  private lostAtMs: number | undefined;

  constructor(
    readonly name: string,
    private readonly client: RtmpClient,
    private readonly fixture: LoadedFixture,
    /** performance.now() at which this publisher's timestamp 0 is due. */
    private readonly startAt: number,
  ) {}

  /** Sends every tag whose timestamp is due at `now` (performance.now()). */
  pump(now: number): void {
    if (this.client.isClosed) {
      this.lostAtMs ??= Date.now();
      return;
    }
    const elapsed = now - this.startAt;
    if (elapsed < 0) return;
    const f = this.fixture;
    if (!this.started) {
      this.started = true;
      if (f.metadata) this.client.sendMetadata(f.metadata);
      for (const t of f.configTags) this.send(t.typeId, 0, t.body);
    }
    for (;;) {
      const tag = f.mediaTags[this.next];
      const ts = tag.timestampMs + this.loop * f.loopDurationMs;
      if (ts > elapsed) break;
      if (tag.keyframe) this.keyframes.push([ts, Date.now()]);
      this.send(tag.typeId, ts, tag.body);
      if (++this.next === f.mediaTags.length) {
        this.next = 0;
        this.loop++;
      }
    }
    const queued = this.client.queuedBytes;
    if (queued > this.maxQueuedBytes) this.maxQueuedBytes = queued;
  }

  async close(): Promise<PublisherResult> {
    if (this.client.isClosed) this.lostAtMs ??= Date.now();
    await this.client.close();
    const r = { name: this.name, keyframes: this.keyframes, tagsSent: this.tagsSent, bytesSent: this.bytesSent, maxQueuedBytes: this.maxQueuedBytes };
    return this.lostAtMs === undefined ? r : { ...r, lostAtMs: this.lostAtMs };
  }

  private send(typeId: number, ts: number, body: Uint8Array): void {
    this.client.sendMedia(typeId, ts, body);
    this.tagsSent++;
    this.bytesSent += body.byteLength;
  }
}

/** Sends a message to the benchmark; resolves once it is handed to the IPC channel. */
function post(m: LoadGeneratorMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) resolve();
    else process.send(m, undefined, undefined, () => resolve());
  });
}

async function main(config: LoadGeneratorConfig): Promise<void> {
  const fixture = loadFixture(config.fixturePath);
  const settled = await Promise.allSettled(config.names.map((name) => RtmpClient.connect({ url: `${config.rtmpBase}/${name}`, mode: 'publish', timeoutMs: 15_000 })));
  const failures = settled.flatMap((s, i) => (s.status === 'rejected' ? [`${config.names[i]}: ${String(s.reason)}`] : []));
  const t0 = performance.now() + 20;
  const n = config.names.length;
  const publishers = settled.flatMap((s, i) =>
    s.status === 'fulfilled' ? [new Publisher(config.names[i], s.value, fixture, t0 + (i * config.staggerMs) / n)] : [],
  );
  void post({ type: 'ready', connected: publishers.length, failures, startedAtMs: Date.now() });

  let maxTickLagMs = 0;
  let due = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    const now = performance.now();
    maxTickLagMs = Math.max(maxTickLagMs, now - due);
    for (const p of publishers) p.pump(now);
    due = now + config.tickMs;
    timer = setTimeout(tick, config.tickMs);
  };
  tick();

  await new Promise<void>((resolve) => {
    process.on('message', (m: WorkerCommand) => {
      if (m.type === 'stop') resolve();
    });
    // The benchmark went away: stop publishing at once.
    process.once('disconnect', () => process.exit(1));
  });
  clearTimeout(timer);
  const results = await Promise.all(publishers.map((p) => p.close()));
  for (const s of settled) if (s.status === 'fulfilled') s.value.destroy();
  await post({ type: 'result', publishers: results, maxTickLagMs, loopDurationMs: fixture.loopDurationMs });
  process.exit(0);
}

main(JSON.parse(process.argv[2] ?? '{}') as LoadGeneratorConfig).catch(async (err: unknown) => {
  await post({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  process.exit(1);
});
