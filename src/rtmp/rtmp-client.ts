// Onramp's RTMP/RTMPS client: a socket around the sans-I/O ClientSession, for relays, tests
// and the benchmark's load generator. Resolves once the publish or play has started.
import { randomBytes } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { AmfObject } from '../../pipeline/rtmp/amf/amf-value.js';
import { ClientSession, type ClientEvent } from '../../pipeline/rtmp/session/client-session.js';

export interface RtmpClientOptions {
  /** rtmp://host[:port]/app/name or rtmps://… (name may carry a ?query). */
  readonly url: string;
  readonly mode: 'publish' | 'play';
  /** For rtmps: accept a self-signed certificate (tests). */
  readonly rejectUnauthorized?: boolean;
  readonly fourCcList?: readonly string[];
  readonly timeoutMs?: number;
  readonly playStart?: number;
  /** Every event after the start, e.g. media for a player. */
  readonly onEvent?: (event: ClientEvent) => void;
}

export interface ParsedRtmpUrl {
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  readonly app: string;
  readonly name: string;
  readonly tcUrl: string;
}

export function parseRtmpUrl(url: string): ParsedRtmpUrl {
  const m = /^(rtmps?):\/\/([^/:]+)(?::(\d+))?\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new Error(`not an rtmp URL of the form rtmp://host[:port]/app/name: ${url}`);
  const secure = m[1] === 'rtmps';
  const port = m[3] ? Number(m[3]) : secure ? 443 : 1935;
  return { secure, host: m[2], port, app: m[4], name: m[5], tcUrl: `${m[1]}://${m[2]}:${port}/${m[4]}` };
}

export class RtmpClient {
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly session: ClientSession,
  ) {}

  static connect(opts: RtmpClientOptions): Promise<RtmpClient> {
    const url = parseRtmpUrl(opts.url);
    const session = new ClientSession({
      randomBytes: (n) => randomBytes(n),
      nowMs: () => Date.now(),
      app: url.app,
      tcUrl: url.tcUrl,
      mode: opts.mode,
      name: url.name,
      fourCcList: opts.fourCcList,
      playStart: opts.playStart,
    });
    const socket = url.secure
      ? connectTls({ host: url.host, port: url.port, rejectUnauthorized: opts.rejectUnauthorized ?? true, servername: url.host })
      : connectTcp({ host: url.host, port: url.port });
    socket.setNoDelay(true);
    const client = new RtmpClient(socket, session);
    return new Promise((resolve, reject) => {
      let started = false;
      const timer = setTimeout(() => fail(new Error(`rtmp ${opts.mode} of ${opts.url} did not start within ${opts.timeoutMs ?? 10000} ms`)), opts.timeoutMs ?? 10000);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        client.destroy();
        if (!started) reject(err);
      };
      socket.once(url.secure ? 'secureConnect' : 'connect', () => client.write(session.start()));
      socket.on('error', (err) => fail(err));
      socket.on('close', () => {
        client.closed = true;
        if (!started) fail(new Error(`connection to ${opts.url} closed before the ${opts.mode} started`));
        else opts.onEvent?.({ type: 'status', level: 'status', code: 'NetConnection.Connect.Closed', description: 'closed' });
      });
      socket.on('data', (bytes: Buffer) => {
        let out;
        try {
          out = session.receive(bytes);
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        client.write(out.outbound);
        for (const event of out.events) {
          if (!started && event.type === 'ready') {
            started = true;
            clearTimeout(timer);
            resolve(client);
          } else if (!started && event.type === 'rejected') {
            fail(new Error(`rtmp ${opts.mode} of ${opts.url} refused: ${event.code} ${event.description}`));
          } else if (started) {
            opts.onEvent?.(event);
          }
        }
      });
    });
  }

  get streamId(): number {
    return this.session.streamId;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes queued in the socket, for load generators that pace themselves. */
  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  sendMedia(typeId: number, timestamp: number, payload: Uint8Array): boolean {
    return this.write(this.session.sendMedia(typeId, timestamp, payload));
  }

  sendMetadata(metadata: AmfObject): void {
    this.write(this.session.sendMetadata(metadata));
  }

  /** Ends the publish or play politely, then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.write(this.session.stop());
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 2000).unref();
    });
    this.closed = true;
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private write(chunks: Uint8Array[]): boolean {
    if (this.closed || chunks.length === 0) return true;
    let ok = true;
    this.socket.cork();
    for (const c of chunks) ok = this.socket.write(c) && ok;
    this.socket.uncork();
    return ok;
  }
}
