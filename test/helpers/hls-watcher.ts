// Watches a live HLS playlist over HTTP as a player would: polls it, runs the RFC checker on every
// version, and downloads each segment as soon as it is listed (segments are deleted later).
import { HlsPlaylistChecker } from './hls-playlist-checker.js';

export interface WatchedSegment {
  readonly uri: string;
  readonly sequence: number;
  readonly durationSec: number;
  readonly discontinuity: boolean;
  readonly bytes: Buffer;
}

export class HlsWatcher {
  readonly checker: HlsPlaylistChecker;
  readonly segments = new Map<string, WatchedSegment>();
  readonly errors: string[] = [];
  versions = 0;
  ended = false;
  lastText = '';
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  /** `checkFreshness: false` for tests where the publisher itself pauses (a reconnect): the
   *  1.5 × target rule of RFC 8216 §6.2.1 cannot hold while no media arrives. */
  constructor(
    private readonly playlistUrl: string,
    opts: { checkFreshness?: boolean } = {},
  ) {
    this.checker = new HlsPlaylistChecker(opts.checkFreshness === false ? { maxPublishIntervalSec: Number.POSITIVE_INFINITY } : {});
  }

  start(intervalMs = 200): void {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Polls until the playlist carries EXT-X-ENDLIST. */
  async untilEnded(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error(`playlist did not end within ${timeoutMs} ms (${this.versions} versions seen; errors: ${this.errors.join('; ')})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.stop();
  }

  /** Segments in sequence order. */
  ordered(): WatchedSegment[] {
    return [...this.segments.values()].sort((a, b) => a.sequence - b.sequence);
  }

  private async poll(): Promise<void> {
    if (this.busy || this.ended) return;
    this.busy = true;
    try {
      const res = await fetch(this.playlistUrl);
      if (res.status === 404) return; // not produced yet
      const text = await res.text();
      if (res.status !== 200) throw new Error(`playlist answered ${res.status}`);
      if (res.headers.get('content-type') !== 'application/vnd.apple.mpegurl') throw new Error(`playlist content-type ${res.headers.get('content-type')}`);
      if (text === this.lastText) return;
      this.lastText = text;
      this.versions++;
      this.checker.check(text, Date.now());
      await this.fetchNewSegments(text);
      if (text.includes('#EXT-X-ENDLIST')) this.ended = true;
    } catch (err) {
      this.errors.push(err instanceof Error ? err.message : String(err));
    } finally {
      this.busy = false;
    }
  }

  private async fetchNewSegments(text: string): Promise<void> {
    const lines = text.split('\n');
    let sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
    let duration = 0;
    let discontinuity = false;
    for (const line of lines) {
      if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
      else if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
      else if (line !== '' && !line.startsWith('#')) {
        if (!this.segments.has(line)) {
          const url = new URL(line, this.playlistUrl).toString();
          const res = await fetch(url);
          if (res.status !== 200) throw new Error(`segment ${line} listed but answered ${res.status}`);
          if (res.headers.get('content-type') !== 'video/mp2t') throw new Error(`segment content-type ${res.headers.get('content-type')}`);
          const bytes = Buffer.from(await res.arrayBuffer());
          this.segments.set(line, { uri: line, sequence, durationSec: duration, discontinuity, bytes });
        }
        sequence++;
        discontinuity = false;
      }
    }
  }
}
