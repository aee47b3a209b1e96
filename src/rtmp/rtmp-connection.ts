// One RTMP (or RTMPS) connection: feeds socket bytes to the sans-I/O ServerSession, writes what
// it returns, applies timeouts, and turns session events into registry actions. A protocol error
// closes only this connection, with one log line.
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { isPipelineError } from '../../pipeline/core/errors.js';
import { ServerSession, type SessionOutput } from '../../pipeline/rtmp/session/server-session.js';
import type { SessionEvent } from '../../pipeline/rtmp/session/session-events.js';
import { STATUS } from '../../pipeline/rtmp/session/status-codes.js';
import type { OnrampConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/logger.js';
import type { LiveStream, PublisherHandle } from '../streams/live-stream.js';
import type { MediaMessage } from '../streams/media-message.js';
import { checkStreamName } from '../streams/stream-names.js';
import type { StreamRegistry } from '../streams/stream-registry.js';
import { RtmpPlayer, type PlayerSink } from './rtmp-player.js';

export interface ConnectionDeps {
  readonly config: OnrampConfig;
  readonly registry: StreamRegistry;
  readonly logger: Logger;
  readonly sessionId: string;
  readonly nowMs: () => number;
  /** FourCCs the server accepts (announced to Enhanced RTMP clients). */
  readonly fourCcList: readonly string[];
}

interface Publication {
  readonly stream: LiveStream;
  readonly handle: PublisherHandle;
}

interface Playback {
  readonly stream: LiveStream;
  readonly player: RtmpPlayer;
}

export class RtmpConnection {
  private readonly session: ServerSession;
  private readonly log: Logger;
  private app = '';
  private readonly publications = new Map<number, Publication>();
  private readonly playbacks = new Map<number, Playback>();
  private closed = false;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private bytesIn = 0;

  constructor(
    private readonly socket: Socket,
    private readonly deps: ConnectionDeps,
  ) {
    const { config } = deps;
    this.log = deps.logger.child({ component: 'rtmp', sessionId: deps.sessionId, remote: socket.remoteAddress });
    this.session = new ServerSession({
      randomBytes: (n) => randomBytes(n),
      nowMs: deps.nowMs,
      chunkSize: config.rtmp.chunkSize,
      windowAckSize: config.rtmp.windowAckSize,
      fourCcList: deps.fourCcList,
    });
    socket.setNoDelay(true);
    socket.setTimeout(config.rtmp.idleTimeoutMs);
    socket.on('timeout', () => this.close(`idle for ${config.rtmp.idleTimeoutMs} ms`, 'info'));
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, 'debug'));
    socket.on('close', () => this.close('peer closed the connection', 'debug'));
    this.handshakeTimer = setTimeout(() => {
      if (this.session.phase === 'handshake' || this.session.phase === 'awaitConnect') {
        this.close(`no handshake and connect within ${config.rtmp.handshakeTimeoutMs} ms`, 'info');
      }
    }, config.rtmp.handshakeTimeoutMs);
    if (config.rtmp.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.write(this.session.ping()), config.rtmp.pingIntervalMs);
    }
  }

  /** Closes the connection once, releasing its streams and players. */
  close(reason: string, level: 'debug' | 'info' | 'warn' = 'debug'): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    clearInterval(this.pingTimer);
    this.session.close();
    for (const id of [...this.publications.keys()]) this.endPublication(id);
    for (const id of [...this.playbacks.keys()]) this.endPlayback(id);
    this.log[level]({ reason, bytesIn: this.bytesIn }, 'rtmp connection closed');
    if (!this.socket.destroyed) this.socket.destroy();
  }

  private onData(bytes: Buffer): void {
    if (this.closed) return;
    this.bytesIn += bytes.length;
    try {
      this.apply(this.session.receive(bytes));
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (isPipelineError(err)) {
      this.close(`${err.code} error: ${err.message}`, 'warn');
    } else {
      this.log.error({ err }, 'internal error on an rtmp connection');
      this.close('internal error', 'warn');
    }
  }

  private apply(out: SessionOutput): void {
    this.write(out.outbound);
    for (const event of out.events) {
      if (this.closed) return;
      this.handle(event);
    }
  }

  private write(chunks: Uint8Array[]): void {
    if (this.closed || chunks.length === 0) return;
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }

  private handle(event: SessionEvent): void {
    switch (event.type) {
      case 'connect': {
        clearTimeout(this.handshakeTimer);
        const problem = checkStreamName('app', event.request.app);
        if (problem) {
          this.log.info({ app: event.request.app }, `connect rejected: ${problem}`);
          this.write(this.session.rejectConnect(problem));
          this.close('connect rejected');
          return;
        }
        this.app = event.request.app;
        this.log.debug({ app: this.app, flashVer: event.request.flashVer, handshake: this.session.handshakeScheme }, 'connect');
        this.apply(this.session.acceptConnect());
        return;
      }
      case 'publish':
        this.onPublish(event.streamId, event.name);
        return;
      case 'media': {
        const pub = this.publications.get(event.streamId);
        pub?.stream.ingest(event.typeId, event.timestamp, event.payload);
        return;
      }
      case 'data': {
        const pub = this.publications.get(event.streamId);
        pub?.stream.ingestData(event.timestamp, event.payload, [...event.values], event.keep);
        return;
      }
      case 'clearData':
        this.publications.get(event.streamId)?.stream.clearData();
        return;
      case 'unpublish':
        this.endPublication(event.streamId);
        return;
      case 'play':
        this.onPlay(event.streamId, event.name, event.start, event.reset);
        return;
      case 'stopPlay':
        this.endPlayback(event.streamId);
        return;
      case 'pause':
        this.playbacks.get(event.streamId)?.player.pause(event.paused);
        return;
      case 'receive':
        this.playbacks.get(event.streamId)?.player.receive(event.kind, event.enabled);
        return;
      case 'pingResponse':
        return;
      case 'notice':
        this.log.debug(event.message);
        return;
    }
  }

  private onPublish(streamId: number, name: string): void {
    const problem = checkStreamName('stream', name);
    if (problem) {
      this.log.info(`publish refused: ${problem}`);
      this.apply(this.session.rejectPublish(streamId, STATUS.PUBLISH_BAD_NAME, problem));
      return;
    }
    const handle: PublisherHandle = {
      sessionId: this.deps.sessionId,
      remoteAddress: this.socket.remoteAddress ?? '',
      kick: (reason) => {
        this.publications.delete(streamId);
        this.write(this.session.stopPublish(streamId, STATUS.PUBLISH_BAD_NAME, reason));
        this.close(reason, 'info');
      },
    };
    const decision = this.deps.registry.publish(this.app, name, handle);
    if (!decision.ok) {
      this.log.info({ stream: `${this.app}/${name}` }, `publish refused: ${decision.reason}`);
      this.apply(this.session.rejectPublish(streamId, STATUS.PUBLISH_BAD_NAME, decision.reason));
      return;
    }
    this.publications.set(streamId, { stream: decision.stream, handle });
    this.log.info({ stream: `${this.app}/${name}`, replaced: decision.replaced?.sessionId }, 'publish started');
    this.apply(this.session.acceptPublish(streamId));
  }

  private endPublication(streamId: number): void {
    const pub = this.publications.get(streamId);
    if (!pub) return;
    this.publications.delete(streamId);
    if (this.deps.registry.unpublish(pub.stream.app, pub.stream.name, pub.handle)) {
      this.log.info({ stream: `${pub.stream.app}/${pub.stream.name}` }, 'publish ended');
    }
  }

  private onPlay(streamId: number, name: string, start: number, reset: boolean): void {
    const problem = checkStreamName('stream', name);
    if (problem || start >= 0) {
      // Positive starts ask for recorded media, which RTMP playback does not serve.
      const why = problem ?? `${this.app}/${name}: only live playback is served over RTMP (start ${start})`;
      this.apply(this.session.rejectPlay(streamId, STATUS.PLAY_STREAM_NOT_FOUND, why));
      return;
    }
    const sink: PlayerSink = {
      sendMedia: (msg: MediaMessage) => this.write(this.session.sendMedia(streamId, msg.typeId, msg.timestamp, msg.payload)),
      publishNotify: () => this.write(this.session.publishNotify(streamId)),
      unpublishNotify: () => this.write(this.session.unpublishNotify(streamId)),
      queuedBytes: () => this.socket.writableLength,
      close: (reason) => this.close(reason, 'info'),
    };
    const { registry, config, nowMs } = this.deps;
    this.apply(this.session.acceptPlay(streamId, { reset }));
    const player = registry.subscribe(this.app, name, (s) => new RtmpPlayer(s, sink, { ...config.streams.player, nowMs }));
    const stream = player.liveStream;
    this.playbacks.set(streamId, { stream, player });
    player.start();
    this.log.debug({ stream: `${this.app}/${name}`, live: stream.phase.kind === 'live' }, 'play started');
  }

  private endPlayback(streamId: number): void {
    const pb = this.playbacks.get(streamId);
    if (!pb) return;
    this.playbacks.delete(streamId);
    pb.player.close('stopped');
    this.deps.registry.unsubscribe(pb.stream.app, pb.stream.name, pb.player);
  }
}
