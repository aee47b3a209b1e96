// One RTMP player of a live stream, with backpressure: a player whose socket falls behind
// skips to the next keyframe, and one that stays behind too long is dropped, so a slow
// reader never makes memory grow without bound.
import type { LiveStream } from '../streams/live-stream.js';
import type { MediaMessage, StreamSubscriber } from '../streams/media-message.js';

export interface PlayerSink {
  /** Encodes and writes a message on the player's NetStream. */
  sendMedia(msg: MediaMessage): void;
  publishNotify(): void;
  unpublishNotify(): void;
  /** Bytes written to the socket but not yet sent. */
  queuedBytes(): number;
  close(reason: string): void;
}

export interface PlayerLimits {
  /** Past this many queued bytes the player skips to the next keyframe. */
  readonly maxQueueBytes: number;
  /** A player that keeps skipping for this long is disconnected. */
  readonly dropAfterMs: number;
  readonly nowMs: () => number;
}

/** flowing: sending everything; awaitKeyframe: starting or recovering, video resumes at the
 *  next keyframe; paused: the client paused (nothing is sent); closed. */
type PlayerState =
  | { readonly kind: 'flowing' }
  | { readonly kind: 'awaitKeyframe'; readonly laggingSinceMs?: number }
  | { readonly kind: 'paused' }
  | { readonly kind: 'closed' };

export class RtmpPlayer implements StreamSubscriber {
  readonly isPlayer = true;
  private state: PlayerState = { kind: 'awaitKeyframe' };
  private audioOn = true;
  private videoOn = true;
  /** Messages dropped because the player was behind, for stats and logs. */
  skipped = 0;

  constructor(
    private readonly stream: LiveStream,
    private readonly sink: PlayerSink,
    private readonly limits: PlayerLimits,
  ) {}

  get liveStream(): LiveStream {
    return this.stream;
  }

  /** Called once attached: a live stream's metadata, configs and GOP go out at once. */
  start(): void {
    if (this.stream.phase.kind === 'live') this.sendStartup();
  }

  /** A player attached before the publisher gets the stream from its very first message. */
  onPublishStart(): void {
    if (this.state.kind === 'closed') return;
    this.sink.publishNotify();
    if (this.state.kind !== 'paused') this.state = { kind: 'flowing' };
  }

  onPublishEnd(): void {
    if (this.state.kind === 'closed') return;
    this.sink.unpublishNotify();
  }

  onMedia(msg: MediaMessage): void {
    const state = this.state;
    if (state.kind === 'closed' || state.kind === 'paused') return;
    if (!this.wanted(msg)) return;
    // Codec configuration and data are small and needed to decode what follows: always sent.
    const essential = msg.typeId === 18 || msg.config;
    if (essential) {
      this.sink.sendMedia(msg);
      return;
    }
    const behind = this.sink.queuedBytes() > this.limits.maxQueueBytes;
    if (state.kind === 'flowing') {
      if (!behind) {
        this.sink.sendMedia(msg);
        return;
      }
      this.state = { kind: 'awaitKeyframe', laggingSinceMs: this.limits.nowMs() };
      this.skipped++;
      return;
    }
    // awaitKeyframe: resume on a keyframe (or on any audio frame of an audio-only stream)
    // once the socket has drained below half the limit.
    const canStart = msg.keyframe || (msg.typeId === 8 && !this.stream.hasVideo);
    if (canStart && this.sink.queuedBytes() <= this.limits.maxQueueBytes / 2) {
      this.state = { kind: 'flowing' };
      this.sink.sendMedia(msg);
      return;
    }
    this.skipped++;
    const since = state.laggingSinceMs;
    if (since !== undefined && this.limits.nowMs() - since > this.limits.dropAfterMs) {
      this.close(`too slow: behind for more than ${this.limits.dropAfterMs} ms`);
      this.sink.close(`player too slow: behind for more than ${this.limits.dropAfterMs} ms`);
    }
  }

  pause(paused: boolean): void {
    if (this.state.kind === 'closed') return;
    if (paused) {
      this.state = { kind: 'paused' };
    } else if (this.state.kind === 'paused') {
      this.state = { kind: 'awaitKeyframe' };
      if (this.stream.phase.kind === 'live') this.sendStartup();
    }
  }

  receive(kind: 'audio' | 'video', enabled: boolean): void {
    if (kind === 'audio') this.audioOn = enabled;
    else this.videoOn = enabled;
  }

  close(_reason: string): void {
    this.state = { kind: 'closed' };
  }

  private sendStartup(): void {
    const startup = this.stream.startupMessages();
    for (const msg of startup) if (this.wanted(msg)) this.sink.sendMedia(msg);
    // Cached GOP sent: continue live; no GOP yet: wait for the next keyframe.
    const hasGop = startup.some((m) => m.keyframe);
    this.state = hasGop || !this.stream.hasVideo ? { kind: 'flowing' } : { kind: 'awaitKeyframe' };
  }

  private wanted(msg: MediaMessage): boolean {
    return (msg.typeId !== 8 || this.audioOn) && (msg.typeId !== 9 || this.videoOn);
  }
}
