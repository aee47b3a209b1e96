// Per-process and per-stream gauges, set from the stream registry at scrape time (nothing is
// counted on the media path). Per-stream series carry only app and name (plus protocol for
// viewers) and vanish with the stream: every scrape resets them and sets the live ones.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LiveStream } from '../streams/live-stream.js';

/** Where the live streams come from (the StreamRegistry). */
export interface StreamSource {
  live(): readonly LiveStream[];
}

/** The HTTP viewer estimate per stream (HttpViewers). */
export interface ViewerSource {
  count(app: string, name: string): number;
}

export class StreamMetrics {
  private readonly liveStreams: Gauge;
  private readonly publishers: Gauge;
  private readonly players: Gauge;
  private readonly httpViewers: Gauge;
  private readonly bitrate: Gauge<'app' | 'name'>;
  private readonly bytes: Counter<'app' | 'name'>;
  private readonly viewers: Gauge<'app' | 'name' | 'protocol'>;

  constructor(registry: Registry, prefix: string) {
    const registers = [registry];
    this.liveStreams = new Gauge({ name: `${prefix}live_streams`, help: 'Streams with a publisher', registers });
    this.publishers = new Gauge({ name: `${prefix}publishers`, help: 'RTMP publishers sending a live stream (one per live stream)', registers });
    this.players = new Gauge({ name: `${prefix}players`, help: 'RTMP players attached to live streams', registers });
    this.httpViewers = new Gauge({ name: `${prefix}http_viewers`, help: 'Estimated HTTP viewers of live streams (distinct clients fetching a playlist or manifest in the last 30 s)', registers });
    this.bitrate = new Gauge({ name: `${prefix}stream_ingest_bits_per_second`, help: 'Ingest bitrate of a live stream (audio and video payload, over the last seconds)', labelNames: ['app', 'name'] as const, registers });
    this.bytes = new Counter({ name: `${prefix}stream_ingest_bytes_total`, help: 'Audio and video payload bytes received for a live stream since its publish started', labelNames: ['app', 'name'] as const, registers });
    this.viewers = new Gauge({ name: `${prefix}stream_viewers`, help: 'Viewers of a live stream by protocol (rtmp: players attached; http: estimate)', labelNames: ['app', 'name', 'protocol'] as const, registers });
    this.refresh({ live: () => [] }, undefined);
  }

  /** Sets every gauge from the streams live now; series of streams that ended disappear. */
  refresh(source: StreamSource, viewerSource: ViewerSource | undefined): void {
    const live = source.live();
    this.bitrate.reset();
    this.bytes.reset();
    this.viewers.reset();
    let players = 0;
    let httpViewers = 0;
    for (const stream of live) {
      const d = stream.describe();
      const labels = { app: stream.app, name: stream.name };
      const http = viewerSource?.count(stream.app, stream.name) ?? 0;
      players += d.players;
      httpViewers += http;
      this.bitrate.set(labels, d.bitrateKbps * 1000);
      this.bytes.inc(labels, stream.ingestBytes);
      this.viewers.set({ ...labels, protocol: 'rtmp' }, d.players);
      this.viewers.set({ ...labels, protocol: 'http' }, http);
    }
    this.liveStreams.set(live.length);
    this.publishers.set(live.length);
    this.players.set(players);
    this.httpViewers.set(httpViewers);
  }
}
