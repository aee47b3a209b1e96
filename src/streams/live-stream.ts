// One named stream: its publisher, codec configuration, metadata, GOP cache and subscribers.
// Lifecycle: idle (players waiting, no publisher) ⇄ live.
import type { AmfObject, AmfValue } from '../../pipeline/rtmp/amf/amf-value.js';
import { amfPropertiesOf } from '../../pipeline/rtmp/amf/amf-types.js';
import {
  decodeAudioTag,
  decodeVideoTag,
  isAudioSequenceHeader,
  isVideoSequenceHeader,
} from '../../pipeline/flv/index.js';
import { isPipelineError } from '../../pipeline/core/errors.js';
import { summarizeAudio, summarizeVideo, type TrackSummary } from './codec-summary.js';
import { GopCache } from './gop-cache.js';
import { mediaMessage, type MediaMessage, type StreamSubscriber } from './media-message.js';
import { RateHistory, RateMeter, type BitrateHistory } from './rate-meter.js';

export interface PublisherHandle {
  readonly sessionId: string;
  readonly remoteAddress: string;
  /** Ends this publisher's session from the server side (a takeover or shutdown). */
  kick(reason: string): void;
}

export type StreamPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'live'; readonly publisher: PublisherHandle; readonly sinceMs: number };

export interface LiveStreamOptions {
  readonly gopCache: boolean;
  readonly maxGopCacheBytes: number;
  readonly nowMs: () => number;
  /** Reports a bad tag (dropped, counted) once per problem kind. */
  readonly onBadTag: (message: string) => void;
  /** Reports a track's codec when its configuration first arrives or changes. */
  readonly onTrack?: (stream: LiveStream, kind: 'audio' | 'video', summary: TrackSummary) => void;
}

/** Non-frame messages kept per track after its sequence start (MultichannelConfig, metadata). */
const MAX_CONFIG_MESSAGES = 8;

interface TrackState {
  /** The sequence start, then the other non-frame packets that followed it, in order. */
  config: MediaMessage[];
  summary?: TrackSummary;
  readonly bytes: RateMeter;
}

export class LiveStream {
  private current: StreamPhase = { kind: 'idle' };
  private readonly subscribers = new Set<StreamSubscriber>();
  private readonly gop: GopCache;
  private metadataMsg: MediaMessage | undefined;
  private metadataValues: AmfValue[] = [];
  private video: TrackState;
  private audio: TrackState;
  private frames: RateMeter;
  /** Total bitrate over the last minutes; kept across publishes (a reconnect shows as a gap). */
  private readonly history: RateHistory;
  private lastMediaAtMs = 0;
  private badTags = 0;
  private bytesIn = 0;

  constructor(
    readonly app: string,
    readonly name: string,
    private readonly opts: LiveStreamOptions,
  ) {
    this.gop = new GopCache(opts.gopCache ? opts.maxGopCacheBytes : 0);
    this.video = { config: [], bytes: new RateMeter(opts.nowMs) };
    this.audio = { config: [], bytes: new RateMeter(opts.nowMs) };
    this.frames = new RateMeter(opts.nowMs);
    this.history = new RateHistory(opts.nowMs);
  }

  get phase(): StreamPhase {
    return this.current;
  }

  /** Audio and video payload bytes received since the current publish started (for metrics). */
  get ingestBytes(): number {
    return this.bytesIn;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Milliseconds since the publisher last sent media (or since it started). */
  silentForMs(): number {
    return this.opts.nowMs() - this.lastMediaAtMs;
  }

  startPublish(publisher: PublisherHandle): void {
    const now = this.opts.nowMs();
    this.current = { kind: 'live', publisher, sinceMs: now };
    this.lastMediaAtMs = now;
    this.bytesIn = 0;
    this.resetTracks();
    for (const s of this.subscribers) s.onPublishStart();
  }

  endPublish(publisher: PublisherHandle): boolean {
    if (this.current.kind !== 'live' || this.current.publisher !== publisher) return false;
    this.current = { kind: 'idle' };
    this.resetTracks();
    for (const s of this.subscribers) s.onPublishEnd();
    return true;
  }

  /** Audio or video from the publisher. */
  ingest(typeId: 8 | 9, timestamp: number, payload: Uint8Array): void {
    this.lastMediaAtMs = this.opts.nowMs();
    const isVideo = typeId === 9;
    const track = isVideo ? this.video : this.audio;
    track.bytes.add(payload.length);
    this.bytesIn += payload.length;
    this.history.add(payload.length);
    const msg = mediaMessage(typeId, timestamp, payload);
    const isFrame = !msg.config;
    const isSequenceStart = isVideo ? isVideoSequenceHeader(payload) : isAudioSequenceHeader(payload);
    if (!isFrame && !isSequenceStart) {
      // MultichannelConfig, video Metadata, sequence end: kept with the configuration.
      if (track.config.length >= MAX_CONFIG_MESSAGES) track.config.splice(1, 1);
      track.config.push(msg);
    } else if (isSequenceStart) {
      track.config = [msg];
      const summary = this.summarize(typeId, payload);
      const changed = summary && (summary.codec !== track.summary?.codec || summary.codecString !== track.summary?.codecString);
      if (summary && changed) this.opts.onTrack?.(this, isVideo ? 'video' : 'audio', summary);
      track.summary = summary ?? track.summary;
      // A new configuration starts a new GOP: older cached frames no longer decode with it.
      if (isVideo) this.gop.clear();
    } else {
      if (isVideo) this.frames.add(1);
      if (!track.summary) {
        track.summary = this.summarize(typeId, payload);
        if (track.summary) this.opts.onTrack?.(this, isVideo ? 'video' : 'audio', track.summary);
      }
      this.gop.push(msg);
    }
    for (const s of this.subscribers) s.onMedia(msg);
  }

  /** A data message; kept ones (onMetaData) are replayed to every new subscriber. */
  ingestData(timestamp: number, payload: Uint8Array, values: AmfValue[], keep: boolean): void {
    const msg = mediaMessage(18, timestamp, payload);
    if (keep) {
      this.metadataMsg = msg;
      this.metadataValues = values;
    }
    for (const s of this.subscribers) s.onMedia(msg);
  }

  clearData(): void {
    this.metadataMsg = undefined;
    this.metadataValues = [];
  }

  /** What a new subscriber needs before live media: metadata, configs, then the cached GOP. */
  startupMessages(): MediaMessage[] {
    const out: MediaMessage[] = [];
    if (this.metadataMsg) out.push(this.metadataMsg);
    out.push(...this.video.config, ...this.audio.config);
    out.push(...this.gop.snapshot());
    return out;
  }

  get hasVideo(): boolean {
    return this.video.config.length > 0 || this.video.summary !== undefined;
  }

  subscribe(s: StreamSubscriber): void {
    this.subscribers.add(s);
  }

  unsubscribe(s: StreamSubscriber): void {
    this.subscribers.delete(s);
  }

  describe(): StreamDescription {
    const meta = firstObject(this.metadataValues);
    const num = (k: string): number | undefined => (typeof meta[k] === 'number' ? (meta[k] as number) : undefined);
    const live = this.current.kind === 'live' ? this.current : undefined;
    return {
      app: this.app,
      name: this.name,
      live: live !== undefined,
      uptimeSec: live ? Math.round((this.opts.nowMs() - live.sinceMs) / 1000) : 0,
      video: this.video.summary
        ? {
            ...this.video.summary,
            width: num('width'),
            height: num('height'),
            frameRate: round2(this.frames.perSecond()) || num('framerate'),
            bitrateKbps: Math.round((this.video.bytes.perSecond() * 8) / 1000),
          }
        : undefined,
      audio: this.audio.summary
        ? {
            ...this.audio.summary,
            sampleRate: num('audiosamplerate'),
            channels: num('audiochannels') ?? (meta.stereo === true ? 2 : meta.stereo === false ? 1 : undefined),
            bitrateKbps: Math.round((this.audio.bytes.perSecond() * 8) / 1000),
          }
        : undefined,
      bitrateKbps: Math.round(((this.video.bytes.perSecond() + this.audio.bytes.perSecond()) * 8) / 1000),
      players: [...this.subscribers].filter((s) => s.isPlayer === true).length,
      droppedTags: this.badTags,
      history: this.history.describe(),
    };
  }

  private summarize(typeId: 8 | 9, payload: Uint8Array): TrackSummary | undefined {
    try {
      const tags = typeId === 9 ? decodeVideoTag(payload) : decodeAudioTag(payload);
      const first = tags[0];
      if (!first) return undefined;
      return first.kind === 'video' ? summarizeVideo(first) : summarizeAudio(first);
    } catch (err) {
      if (!isPipelineError(err)) throw err;
      this.badTags++;
      if (this.badTags === 1) this.opts.onBadTag(`${this.app}/${this.name}: ${err.message}`);
      return undefined;
    }
  }

  private resetTracks(): void {
    this.gop.clear();
    this.metadataMsg = undefined;
    this.metadataValues = [];
    this.video = { config: [], bytes: new RateMeter(this.opts.nowMs) };
    this.audio = { config: [], bytes: new RateMeter(this.opts.nowMs) };
    this.frames = new RateMeter(this.opts.nowMs);
  }
}

export interface StreamDescription {
  readonly app: string;
  readonly name: string;
  readonly live: boolean;
  readonly uptimeSec: number;
  readonly video?: TrackSummary & { width?: number; height?: number; frameRate?: number; bitrateKbps: number };
  readonly audio?: TrackSummary & { sampleRate?: number; channels?: number; bitrateKbps: number };
  readonly bitrateKbps: number;
  /** RTMP players attached now. */
  readonly players: number;
  readonly droppedTags: number;
  /** Total bitrate (audio + video) per interval over the last minutes, oldest first. */
  readonly history: BitrateHistory;
}

/** onMetaData's properties, whether sent as an object or as an ECMA array. */
function firstObject(values: AmfValue[]): AmfObject {
  return amfPropertiesOf(values[0]) ?? {};
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
