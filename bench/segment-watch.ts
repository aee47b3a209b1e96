// Watches a live HLS media playlist over HTTP, as a player's reload would but every few ms,
// and records when each new segment is first listed.
import { parseMediaPlaylist } from '../pipeline/inspect/hls-playlist-parser.js';

export interface SegmentSeen {
  readonly sequence: number;
  readonly durationSec: number;
  /** EXT-X-PROGRAM-DATE-TIME, when the playlist has it. */
  readonly programDateTimeMs?: number;
  /** Estimated wall-clock time (Date.now()) it was first listed: midway between the previous
   *  poll's answer and the request that listed it; the error is ± half that interval. */
  readonly seenAtMs: number;
  /** Half the interval above: how precise seenAtMs is. */
  readonly uncertaintyMs: number;
}

export interface WatchResult {
  readonly url: string;
  readonly pollMs: number;
  readonly targetDurationSec?: number;
  readonly segments: readonly SegmentSeen[];
  readonly polls: number;
  readonly errors: number;
  readonly lastError?: string;
}

export class PlaylistWatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly segments: SegmentSeen[] = [];
  private lastSequence = -1;
  private targetDurationSec: number | undefined;
  private polls = 0;
  private errors = 0;
  private lastError: string | undefined;

  constructor(
    readonly url: string,
    readonly pollMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<WatchResult> {
    this.running = false;
    await this.loop;
    const r = { url: this.url, pollMs: this.pollMs, targetDurationSec: this.targetDurationSec, segments: this.segments, polls: this.polls, errors: this.errors };
    return this.lastError === undefined ? r : { ...r, lastError: this.lastError };
  }

  private async run(): Promise<void> {
    let etag: string | undefined;
    let previousAnswerAt = Date.now();
    while (this.running) {
      const sentAt = Date.now();
      try {
        const res = await fetch(this.url, { headers: etag ? { 'if-none-match': etag } : {} });
        this.polls++;
        const text = res.status === 200 ? await res.text() : (await res.arrayBuffer(), undefined);
        if (text !== undefined) {
          etag = res.headers.get('etag') ?? undefined;
          this.record(text, (previousAnswerAt + sentAt) / 2, (sentAt - previousAnswerAt) / 2);
        }
      } catch (err) {
        this.errors++;
        this.lastError = err instanceof Error ? err.message : String(err);
      }
      previousAnswerAt = Date.now();
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  private record(text: string, seenAtMs: number, uncertaintyMs: number): void {
    const playlist = parseMediaPlaylist(text);
    this.targetDurationSec ??= playlist.targetDurationSec;
    for (const seg of playlist.segments) {
      if (seg.sequence <= this.lastSequence) continue;
      this.lastSequence = seg.sequence;
      const s = { sequence: seg.sequence, durationSec: seg.durationSec, seenAtMs, uncertaintyMs };
      this.segments.push(seg.programDateTimeMs === undefined ? s : { ...s, programDateTimeMs: seg.programDateTimeMs });
    }
  }
}
