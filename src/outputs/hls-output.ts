// Live HLS for one stream: subscribes to the LiveStream, runs the pure pipeline (track builder →
// track-set gate → HLS/TS packager) and writes segments and playlists through the storage.
// Lifecycle: live ⇄ grace (publisher gone, may reconnect: same playlist, a discontinuity) → ended.
import { isPipelineError } from '../../pipeline/core/errors.js';
import { TrackBuilder } from '../../pipeline/ingest/track-builder.js';
import { TrackSetGate, type GateOutput } from '../../pipeline/ingest/track-set-gate.js';
import { HlsTsPackager, type PackagerOutput } from '../../pipeline/packaging/hls-ts-packager.js';
import { decodeDataMessage } from '../../pipeline/rtmp/messages/data-message.js';
import { amfPropertiesOf } from '../../pipeline/rtmp/amf/amf-types.js';
import type { HlsConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/logger.js';
import type { MediaStorage } from '../storage/media-storage.js';
import type { LiveStream } from '../streams/live-stream.js';
import type { MediaMessage, StreamSubscriber } from '../streams/media-message.js';
import { WriteQueue } from './write-queue.js';

export const PLAYLIST_NAME = 'index.m3u8';

/** Media time to wait for the second track before packaging what has arrived. */
const TRACK_PROBE_SEC = 1;

export interface HlsOutputDeps {
  readonly storage: MediaStorage;
  readonly logger: Logger;
  readonly hls: HlsConfig;
  readonly reconnectGraceMs: number;
  readonly nowMs: () => number;
  /** The first media sequence number (continues after an earlier, ended playlist of the name). */
  readonly firstSequence: number;
  /** Called once the output has ended and released the stream. */
  readonly onEnded: (output: HlsOutput) => void;
  /** Whether the stream's folder may go once this output's files are deleted (no newer output uses it). */
  readonly folderUnused: () => boolean;
}

type OutputPhase = { readonly kind: 'live' } | { readonly kind: 'grace'; readonly timer: NodeJS.Timeout } | { readonly kind: 'ended' };

export class HlsOutput implements StreamSubscriber {
  private phase: OutputPhase = { kind: 'live' };
  private builder = new TrackBuilder();
  private readonly gate = new TrackSetGate({ probeSec: TRACK_PROBE_SEC });
  private readonly packager: HlsTsPackager;
  private readonly writes: WriteQueue;
  private readonly prefix: string;
  private readonly log: Logger;
  private readonly written = new Set<string>();
  private readonly removalTimers = new Set<NodeJS.Timeout>();
  private badInput = 0;
  private lastSequence = -1;

  constructor(
    readonly stream: LiveStream,
    private readonly deps: HlsOutputDeps,
  ) {
    this.prefix = `${stream.app}/${stream.name}/`;
    this.log = deps.logger.child({ component: 'hls', stream: `${stream.app}/${stream.name}` });
    this.packager = new HlsTsPackager(
      { targetDurationSec: deps.hls.segmentDurationMs / 1000, windowSegments: deps.hls.windowSegments },
      { firstSequence: deps.firstSequence },
    );
    this.writes = new WriteQueue((err) => this.log.error({ err }, 'hls write failed'));
  }

  get playlistKey(): string {
    return this.prefix + PLAYLIST_NAME;
  }

  /** The next media sequence number a later playlist of this name should start at. */
  get nextSequence(): number {
    return this.lastSequence + 1;
  }

  get ended(): boolean {
    return this.phase.kind === 'ended';
  }

  onPublishStart(): void {
    if (this.phase.kind === 'ended') return;
    if (this.phase.kind === 'grace') {
      clearTimeout(this.phase.timer);
      this.log.info('publisher is back: the playlist continues after a discontinuity');
      this.packager.discontinuity();
    }
    this.phase = { kind: 'live' };
    this.builder = new TrackBuilder();
    this.gate.reset();
  }

  onMedia(msg: MediaMessage): void {
    if (this.phase.kind !== 'live') return;
    try {
      if (msg.typeId === 18) {
        this.onData(msg.payload);
        return;
      }
      for (const ev of this.builder.push(msg.typeId, msg.timestamp, msg.payload)) {
        if (ev.type === 'track') this.apply(this.gate.track(ev.track));
        else if (ev.type === 'sample') this.apply(this.gate.sample(ev.sample));
        else this.log.warn({ codec: ev.codec, kind: ev.kind }, `${ev.kind} codec ${ev.codec} cannot be packaged for HLS over MPEG-TS; that track is left out`);
      }
    } catch (err) {
      if (!isPipelineError(err)) throw err;
      this.badInput++;
      if (this.badInput === 1) this.log.warn({ code: err.code }, `bad media dropped from HLS: ${err.message}`);
    }
  }

  onPublishEnd(): void {
    if (this.phase.kind !== 'live') return;
    this.apply(this.gate.flush());
    this.handle(this.packager.flush(this.deps.nowMs()));
    const timer = setTimeout(() => this.finish(), this.deps.reconnectGraceMs);
    this.phase = { kind: 'grace', timer };
  }

  /** Ends the playlist now (EXT-X-ENDLIST): after the grace period or on shutdown. */
  finish(): Promise<void> {
    if (this.phase.kind === 'ended') return this.writes.idle();
    if (this.phase.kind === 'grace') clearTimeout(this.phase.timer);
    this.phase = { kind: 'ended' };
    this.handle(this.packager.end(this.deps.nowMs()));
    this.log.info('stream ended: playlist closed with EXT-X-ENDLIST');
    const cleanup = setTimeout(() => {
      this.removalTimers.delete(cleanup);
      for (const key of this.written) this.writes.push(() => this.deps.storage.delete(key));
      this.written.clear();
      // Leave no empty folder behind either, unless a new publish of the name writes there now.
      this.writes.push(async () => {
        if (this.deps.folderUnused() && (await this.deps.storage.list(this.prefix)).length === 0) await this.deps.storage.deletePrefix(this.prefix);
      });
    }, this.deps.hls.endedRetentionMs);
    cleanup.unref();
    this.removalTimers.add(cleanup);
    this.deps.onEnded(this);
    return this.writes.idle();
  }

  /** Stops timers and deletes everything this output wrote (server shutdown in tests). */
  async dispose(deleteFiles: boolean): Promise<void> {
    for (const t of this.removalTimers) clearTimeout(t);
    this.removalTimers.clear();
    await this.writes.idle();
    if (deleteFiles) {
      await Promise.all([...this.written].map((key) => this.deps.storage.delete(key)));
      this.written.clear();
    }
  }

  private onData(payload: Uint8Array): void {
    const data = decodeDataMessage(18, payload);
    if (data.name !== 'onMetaData') return;
    const meta = amfPropertiesOf(data.values[0]);
    if (!meta) return;
    const has = (k: string): boolean => meta[k] !== undefined && meta[k] !== null && meta[k] !== false && meta[k] !== 0;
    this.apply(this.gate.expect({ video: has('videocodecid') || has('width'), audio: has('audiocodecid') || has('audiosamplerate') }));
  }

  private apply(outputs: GateOutput[]): void {
    const now = this.deps.nowMs();
    for (const o of outputs) {
      if (o.type === 'tracks') {
        this.log.info({ tracks: o.tracks.map((t) => t.codecString) }, 'packaging tracks');
        this.handle(this.packager.setTracks(o.tracks, now));
      } else if (o.type === 'sample') {
        this.handle(this.packager.push(o.sample, now));
      } else {
        this.log.warn({ kind: o.track.kind }, `a ${o.track.kind} track appeared after packaging started; it is left out until the publisher reconnects`);
      }
    }
  }

  private handle(out: PackagerOutput): void {
    const storage = this.deps.storage;
    for (const seg of out.segments) {
      const key = this.prefix + seg.uri;
      this.written.add(key);
      this.lastSequence = Math.max(this.lastSequence, seg.sequence);
      this.writes.push(() => storage.write(key, seg.data));
    }
    if (out.playlist !== undefined) {
      const text = out.playlist;
      this.written.add(this.playlistKey);
      // Segments first, then the playlist that lists them: a player never sees a missing segment.
      this.writes.push(() => storage.writeAtomic(this.playlistKey, text));
    }
    for (const gone of out.removed) {
      const key = this.prefix + gone.uri;
      const timer = setTimeout(() => {
        this.removalTimers.delete(timer);
        this.written.delete(key);
        this.writes.push(() => storage.delete(key));
      }, this.deps.hls.segmentRetentionMs);
      timer.unref();
      this.removalTimers.add(timer);
    }
  }
}
