// The packaging of one stream: subscribes to the LiveStream, runs the track builder and the
// track-set gate once, and feeds every output (HLS over TS, CMAF) from them.
// Lifecycle: live ⇄ grace (publisher gone, may reconnect: same playlists, a discontinuity) → ended.
import { isPipelineError } from '../../pipeline/core/errors.js';
import { TrackBuilder } from '../../pipeline/ingest/track-builder.js';
import { TrackSetGate, type GateOutput } from '../../pipeline/ingest/track-set-gate.js';
import { amfPropertiesOf } from '../../pipeline/rtmp/amf/amf-types.js';
import { decodeDataMessage } from '../../pipeline/rtmp/messages/data-message.js';
import type { TrackInfo } from '../../pipeline/ingest/media-types.js';
import type { Logger } from '../logging/logger.js';
import type { MediaMessage, StreamSubscriber } from '../streams/media-message.js';
import type { PackagingSink } from './packaging-sink.js';

/** Media time to wait for the second track before packaging what has arrived. */
const TRACK_PROBE_SEC = 1;

export interface StreamPackagingDeps {
  readonly sinks: readonly PackagingSink[];
  readonly logger: Logger;
  readonly reconnectGraceMs: number;
  readonly nowMs: () => number;
  /** Called once the packaging has ended and released the stream. */
  readonly onEnded: (p: StreamPackaging) => void;
}

type Phase = { readonly kind: 'live' } | { readonly kind: 'grace'; readonly timer: NodeJS.Timeout } | { readonly kind: 'ended' };

export class StreamPackaging implements StreamSubscriber {
  private phase: Phase = { kind: 'live' };
  private builder = new TrackBuilder();
  private readonly gate = new TrackSetGate({ probeSec: TRACK_PROBE_SEC });
  private readonly log: Logger;
  private badInput = 0;
  private readonly failedSinks = new Set<PackagingSink>();
  private readonly sinkList: PackagingSink[];
  /** The tracks being packaged, for a sink added later (a recording started through the API). */
  private tracks: readonly TrackInfo[] | undefined;

  constructor(
    /** The stream's names (a LiveStream, or a file being imported). */
    readonly stream: { readonly app: string; readonly name: string },
    private readonly deps: StreamPackagingDeps,
  ) {
    this.log = deps.logger.child({ component: 'packaging', stream: `${stream.app}/${stream.name}` });
    this.sinkList = [...deps.sinks];
  }

  get ended(): boolean {
    return this.phase.kind === 'ended';
  }

  get sinks(): readonly PackagingSink[] {
    return this.sinkList;
  }

  /** Adds an output while the stream runs; it starts with the current tracks (at the next keyframe). */
  addSink(sink: PackagingSink): void {
    if (this.phase.kind === 'ended' || this.sinkList.includes(sink)) return;
    this.sinkList.push(sink);
    if (this.tracks !== undefined) this.eachSink((s) => s.setTracks(this.tracks as readonly TrackInfo[], this.deps.nowMs()), [sink]);
  }

  /** Ends one output (final manifests) and detaches it; the others go on. */
  removeSink(sink: PackagingSink): void {
    const at = this.sinkList.indexOf(sink);
    if (at === -1) return;
    this.sinkList.splice(at, 1);
    if (!this.failedSinks.has(sink)) {
      const now = this.deps.nowMs();
      this.eachSink((s) => {
        s.flush(now);
        s.end(now);
      }, [sink]);
    }
  }

  onPublishStart(): void {
    if (this.phase.kind === 'ended') return;
    if (this.phase.kind === 'grace') {
      clearTimeout(this.phase.timer);
      this.log.info('publisher is back: the outputs continue after a discontinuity');
      this.eachSink((s) => s.discontinuity());
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
        else this.log.warn({ codec: ev.codec, kind: ev.kind }, `${ev.kind} codec ${ev.codec} cannot be packaged for HLS/DASH yet; that track is left out`);
      }
    } catch (err) {
      if (!isPipelineError(err)) throw err;
      this.badInput++;
      if (this.badInput === 1) this.log.warn({ code: err.code }, `bad media dropped from packaging: ${err.message}`);
    }
  }

  onPublishEnd(): void {
    if (this.phase.kind !== 'live') return;
    this.apply(this.gate.flush());
    const now = this.deps.nowMs();
    this.eachSink((s) => s.flush(now));
    const timer = setTimeout(() => {
      this.finish().catch((err: unknown) => this.log.error({ err }, 'ending the stream\'s outputs failed'));
    }, this.deps.reconnectGraceMs);
    this.phase = { kind: 'grace', timer };
  }

  /** Ends the outputs now (EXT-X-ENDLIST, static MPD): after the grace period or on shutdown. */
  async finish(): Promise<void> {
    if (this.phase.kind !== 'ended') {
      if (this.phase.kind === 'grace') clearTimeout(this.phase.timer);
      this.phase = { kind: 'ended' };
      const now = this.deps.nowMs();
      this.eachSink((s) => s.end(now));
      this.log.info('stream ended: playlists closed');
      this.deps.onEnded(this);
    }
    await Promise.all(this.sinkList.map((s) => s.idle()));
  }

  /** Runs `fn` on every sink; a sink that throws is logged once and left out from then on, so
   *  one output's failure never takes down the others or the process. */
  private eachSink(fn: (s: PackagingSink) => void, sinks: readonly PackagingSink[] = this.sinkList): void {
    for (const s of sinks) {
      if (this.failedSinks.has(s)) continue;
      try {
        fn(s);
      } catch (err) {
        this.failedSinks.add(s);
        this.log.error({ err, sink: s.constructor.name }, 'a packaging output failed and was stopped for this stream');
      }
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
        this.tracks = o.tracks;
        this.eachSink((s) => s.setTracks(o.tracks, now));
      } else if (o.type === 'sample') {
        this.eachSink((s) => s.push(o.sample, now));
      } else {
        this.log.warn({ kind: o.track.kind }, `a ${o.track.kind} track appeared after packaging started; it is left out until the publisher reconnects`);
      }
    }
  }
}
