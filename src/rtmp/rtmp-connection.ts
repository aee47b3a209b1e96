// One RTMP (or RTMPS) connection: feeds socket bytes to the sans-I/O ServerSession, writes what
// it returns, applies timeouts, and turns session events into registry actions. A protocol error
// closes only this connection, with one log line. Publishes and plays are authorised first
// (src/auth/); a decision that waits for a callback is taken later while the session queues what
// the client sends, and a refusal is answered with its status, logged once, then the connection
// is closed.
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { isPipelineError } from '../../pipeline/core/errors.js';
import { ServerSession, type SessionOutput } from '../../pipeline/rtmp/session/server-session.js';
import type { SessionEvent } from '../../pipeline/rtmp/session/session-events.js';
import { STATUS } from '../../pipeline/rtmp/session/status-codes.js';
import { refuse, refusalDescription, refusalStatus, type AuthDecision, type AuthGrant, type AuthRefusal } from '../auth/auth-decision.js';
import { normalizeIp } from '../auth/ip-rules.js';
import type { ReleaseSlot } from '../auth/publish-limit.js';
import type { RtmpAuth } from '../auth/rtmp-auth.js';
import { mergeParams, parseQuery, type QueryParams, type StreamRequest } from '../auth/stream-request.js';
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
  /** Publish and play authorisation, shared by every connection of the listener. */
  readonly auth: RtmpAuth;
}

/** After a refusal, how long the connection waits for the client to close before it cuts it. */
const REFUSAL_LINGER_MS = 2000;

interface Publication {
  readonly stream: LiveStream;
  readonly handle: PublisherHandle;
  /** Gives back this publish's place in rtmp.maxPublishesPerIp. */
  readonly release: ReleaseSlot;
}

interface Playback {
  readonly stream: LiveStream;
  readonly player: RtmpPlayer;
}

export class RtmpConnection {
  private readonly session: ServerSession;
  private readonly log: Logger;
  private app = '';
  /** The query that came with the connect app or tcUrl (credentials: never logged). */
  private connectParams: QueryParams = parseQuery('');
  /** The client's address, IPv4-mapped IPv6 shown as IPv4. */
  private readonly ip: string;
  /** Decisions waiting for a callback, by NetStream id; aborted when the connection closes. */
  private readonly pendingDecisions = new Map<number, AbortController>();
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
    this.ip = normalizeIp(socket.remoteAddress ?? '');
    this.log = deps.logger.child({ component: 'rtmp', sessionId: deps.sessionId, remote: socket.remoteAddress });
    this.session = new ServerSession({
      randomBytes: (n) => randomBytes(n),
      nowMs: deps.nowMs,
      chunkSize: config.rtmp.chunkSize,
      windowAckSize: config.rtmp.windowAckSize,
      fourCcList: deps.fourCcList,
      // Each 'data' event is a fresh buffer read from the socket, read by nothing else.
      joinChunksInPlace: true,
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

  /**
   * Storage is falling behind (IoPressure): a connection that publishes stops being read, so TCP
   * pushes back to its encoder, until the backlog is written.
   */
  pauseIngest(paused: boolean): void {
    if (this.closed) return;
    if (paused && this.publications.size > 0) this.socket.pause();
    else if (!paused && this.socket.isPaused()) this.socket.resume();
  }

  /**
   * The server is stopping: each publisher is told (onStatus NetStream.Unpublish.Success, "server
   * shutting down") and each player gets the unpublish notice, then the connection closes with
   * what was written flushed first.
   */
  shutdown(): void {
    if (this.closed) return;
    for (const id of this.publications.keys()) this.write(this.session.stopPublish(id, STATUS.UNPUBLISH_SUCCESS, 'server shutting down'));
    for (const id of this.playbacks.keys()) this.write(this.session.unpublishNotify(id));
    this.close('server shutting down', 'debug', { flush: true });
  }

  /**
   * Closes the connection once, releasing its streams, players and pending decisions. With `flush`,
   * what was written is sent before the FIN (a refusal's status must reach the client), and the
   * socket is cut REFUSAL_LINGER_MS later if the client keeps it open.
   */
  close(reason: string, level: 'debug' | 'info' | 'warn' = 'debug', opts: { readonly flush?: boolean } = {}): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    clearInterval(this.pingTimer);
    this.session.close();
    for (const pending of this.pendingDecisions.values()) pending.abort();
    this.pendingDecisions.clear();
    for (const id of [...this.publications.keys()]) this.endPublication(id);
    for (const id of [...this.playbacks.keys()]) this.endPlayback(id);
    this.log[level]({ reason, bytesIn: this.bytesIn }, 'rtmp connection closed');
    if (this.socket.destroyed) return;
    if (opts.flush === true) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), REFUSAL_LINGER_MS).unref();
    } else {
      this.socket.destroy();
    }
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
        const { app } = event.request;
        const problem = checkStreamName('app', app);
        if (problem) {
          // "live/<key>" is a stream key typed into the server URL: log neither it nor the rest of the path.
          const slash = app.indexOf('/');
          const logged = slash < 0 ? { app, why: problem } : { app: app.slice(0, slash), why: 'the app name contains "/" (a stream key in the server URL?)' };
          this.log.info({ app: logged.app, ip: this.ip }, `connect rejected: ${logged.why}`);
          this.write(this.session.rejectConnect(`${STATUS.CONNECT_REJECTED}: ${logged.why}`));
          this.close('connect rejected', 'debug', { flush: true });
          return;
        }
        this.app = event.request.app;
        this.connectParams = parseQuery(event.request.query);
        this.log.debug({ app: this.app, flashVer: event.request.flashVer, handshake: this.session.handshakeScheme }, 'connect');
        this.apply(this.session.acceptConnect());
        return;
      }
      case 'publish':
        this.onPublish(event.streamId, event.name, event.query);
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
        this.onPlay(event.streamId, event.name, event.query, event.start, event.reset);
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

  /** What the client asked for, with the connect query overlaid by the name's. */
  private request(action: 'publish' | 'play', name: string, query: string): StreamRequest {
    return { action, app: this.app, name, params: mergeParams(this.connectParams, parseQuery(query)), ip: this.ip, sessionId: this.deps.sessionId };
  }

  /**
   * Runs `then` on the decision: now if it is synchronous, else when it settles (unless the
   * connection closed meanwhile; closing aborts the callback through the signal).
   */
  private decide(streamId: number, decide: (signal: AbortSignal) => AuthDecision | Promise<AuthDecision>, then: (decision: AuthDecision) => void): void {
    const controller = new AbortController();
    const decision = decide(controller.signal);
    if (!(decision instanceof Promise)) {
      then(decision);
      return;
    }
    this.pendingDecisions.set(streamId, controller);
    const settle = (run: () => void): void => {
      if (this.pendingDecisions.get(streamId) !== controller) return; // closed meanwhile
      this.pendingDecisions.delete(streamId);
      try {
        run();
      } catch (err) {
        this.fail(err);
      }
    };
    decision.then(
      (d) => settle(() => then(d)),
      (err: unknown) => settle(() => this.fail(err)),
    );
  }

  /** Answers a refused publish or play with its status, logs it once (no secrets), then closes. */
  private refuse(action: 'publish' | 'play', streamId: number, refusal: AuthRefusal, publicStream: string | undefined): void {
    const status = refusalStatus(action, refusal);
    const where = publicStream === undefined ? { app: this.app } : { stream: publicStream };
    this.log[refusal.callbackFailure === true ? 'warn' : 'info']({ action, ...where, ip: this.ip, status, reason: refusal.reason }, `${action} refused: ${refusal.reason}`);
    const description = refusalDescription(action, refusal);
    const out = action === 'publish' ? this.session.rejectPublish(streamId, status, description) : this.session.rejectPlay(streamId, status, description);
    this.write(out.outbound);
    this.close(`${action} refused`, 'debug', { flush: true });
  }

  private onPublish(streamId: number, name: string, query: string): void {
    const req = this.request('publish', name, query);
    const auth = this.deps.auth.publish;
    this.decide(
      streamId,
      (signal) => auth.authorize(req, signal),
      (decision) => (decision.ok ? this.startPublish(streamId, decision) : this.refuse('publish', streamId, decision, auth.loggableStream(req))),
    );
  }

  private startPublish(streamId: number, grant: AuthGrant): void {
    const { app, name } = grant;
    const limit = this.deps.auth.publishLimit;
    let release = limit.acquire(this.ip);
    // A reconnect from the same address may replace its own stale publish even at the limit.
    if (release === undefined && !this.heldFromThisIp(app, name)) {
      this.refuse('publish', streamId, refuse('invalid', `too many publishes from this address (rtmp.maxPublishesPerIp is ${limit.limit})`), `${app}/${name}`);
      return;
    }
    const handle: PublisherHandle = {
      sessionId: this.deps.sessionId,
      remoteAddress: this.socket.remoteAddress ?? '',
      kick: (reason) => {
        this.publications.get(streamId)?.release();
        this.publications.delete(streamId);
        this.write(this.session.stopPublish(streamId, STATUS.PUBLISH_BAD_NAME, reason));
        this.close(reason, 'info');
      },
    };
    const decision = this.deps.registry.publish(app, name, handle);
    if (!decision.ok) {
      release?.();
      this.refuse('publish', streamId, refuse('invalid', decision.reason), `${app}/${name}`);
      return;
    }
    release ??= limit.acquire(this.ip) ?? (() => undefined);
    this.publications.set(streamId, { stream: decision.stream, handle, release });
    this.log.info({ stream: `${app}/${name}`, via: grant.via, replaced: decision.replaced?.sessionId }, 'publish started');
    this.apply(this.session.acceptPublish(streamId));
  }

  /** True when app/name is being published from this connection's address. */
  private heldFromThisIp(app: string, name: string): boolean {
    const phase = this.deps.registry.get(app, name)?.phase;
    return phase?.kind === 'live' && normalizeIp(phase.publisher.remoteAddress) === this.ip;
  }

  private endPublication(streamId: number): void {
    const pub = this.publications.get(streamId);
    if (!pub) return;
    this.publications.delete(streamId);
    pub.release();
    if (this.deps.registry.unpublish(pub.stream.app, pub.stream.name, pub.handle)) {
      this.log.info({ stream: `${pub.stream.app}/${pub.stream.name}` }, 'publish ended');
    }
  }

  private onPlay(streamId: number, name: string, query: string, start: number, reset: boolean): void {
    const req = this.request('play', name, query);
    const publicStream = checkStreamName('stream', name) === undefined ? `${this.app}/${name}` : undefined;
    if (start >= 0) {
      // Positive starts ask for recorded media, which RTMP playback does not serve.
      this.refuse('play', streamId, refuse('invalid', `only live playback is served over RTMP (start ${start})`), publicStream);
      return;
    }
    const auth = this.deps.auth.play;
    this.decide(
      streamId,
      (signal) => auth.authorize(req, signal),
      (decision) => (decision.ok ? this.startPlay(streamId, decision, reset) : this.refuse('play', streamId, decision, publicStream)),
    );
  }

  private startPlay(streamId: number, grant: AuthGrant, reset: boolean): void {
    const { app, name } = grant;
    const sink: PlayerSink = {
      sendMedia: (msg: MediaMessage) => this.write(this.session.sendMedia(streamId, msg.typeId, msg.timestamp, msg.payload)),
      publishNotify: () => this.write(this.session.publishNotify(streamId)),
      unpublishNotify: () => this.write(this.session.unpublishNotify(streamId)),
      queuedBytes: () => this.socket.writableLength,
      close: (reason) => this.close(reason, 'info'),
    };
    const { registry, config, nowMs } = this.deps;
    this.apply(this.session.acceptPlay(streamId, { reset }));
    if (this.closed) return;
    const player = registry.subscribe(app, name, (s) => new RtmpPlayer(s, sink, { ...config.streams.player, nowMs }));
    const stream = player.liveStream;
    this.playbacks.set(streamId, { stream, player });
    player.start();
    this.log.debug({ stream: `${app}/${name}`, via: grant.via, live: stream.phase.kind === 'live' }, 'play started');
  }

  private endPlayback(streamId: number): void {
    const pb = this.playbacks.get(streamId);
    if (!pb) return;
    this.playbacks.delete(streamId);
    pb.player.close('stopped');
    this.deps.registry.unsubscribe(pb.stream.app, pb.stream.name, pb.player);
  }
}
