// The RTMP listener and, when a certificate is configured, the RTMPS (TLS) listener beside it;
// both hand sockets to the same connection code, within connection limits, with one set of
// publish/play authorisation (and per-IP publish counts) shared by all connections.
import type { IoPressure } from '../outputs/io-pressure.js';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { createServer as createTlsServer } from 'node:tls';
import type { FetchLike } from '../auth/auth-callback.js';
import { normalizeIp } from '../auth/ip-rules.js';
import { openPublishWarning } from '../auth/publish-auth.js';
import { createRtmpAuth } from '../auth/rtmp-auth.js';
import type { OnrampConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/logger.js';
import type { StreamRegistry } from '../streams/stream-registry.js';
import { RtmpConnection } from './rtmp-connection.js';

/** Codecs whose tags Onramp parses (Enhanced RTMP v1/v2 FourCCs), announced in connect. */
export const ACCEPTED_FOURCCS = ['avc1', 'hvc1', 'av01', 'vp09', 'Opus', 'fLaC', 'ac-3', 'ec-3', '.mp3', 'mp4a'] as const;

export interface RtmpServerDeps {
  readonly config: OnrampConfig;
  readonly registry: StreamRegistry;
  readonly logger: Logger;
  readonly nowMs: () => number;
  readonly newSessionId: () => string;
  /** The fetch used for on_publish / on_play callbacks; defaults to the global fetch. */
  readonly fetch?: FetchLike;
  /** Storage backlog: publishers are not read while it is high. */
  readonly ioPressure?: IoPressure;
}

export interface RtmpListeners {
  readonly rtmpPort: number;
  readonly rtmpsPort: number | undefined;
  /** Connections open now. */
  connectionCount(): number;
  close(): Promise<void>;
}

export async function startRtmpServer(deps: RtmpServerDeps): Promise<RtmpListeners> {
  const { config, logger } = deps;
  const log = logger.child({ component: 'rtmp-server' });
  const connections = new Set<RtmpConnection>();
  const perIp = new Map<string, number>();
  const auth = createRtmpAuth(config, deps.nowMs, deps.fetch);
  const openWarning = openPublishWarning(config.auth, config.host);
  if (openWarning !== undefined) log.warn(openWarning);
  const stopWatchingPressure = deps.ioPressure?.onChange((high) => {
    if (high) log.warn({ pendingBytes: deps.ioPressure?.pendingBytes }, 'storage is falling behind: ingest paused until the backlog is written');
    else log.info('storage caught up: ingest resumed');
    for (const c of connections) c.pauseIngest(high);
  });

  const accept = (socket: Socket, secure: boolean): void => {
    const ip = normalizeIp(socket.remoteAddress ?? 'unknown');
    const fromIp = perIp.get(ip) ?? 0;
    if (connections.size >= config.rtmp.maxConnections || fromIp >= config.rtmp.maxConnectionsPerIp) {
      const limit = connections.size >= config.rtmp.maxConnections ? 'rtmp.maxConnections' : 'rtmp.maxConnectionsPerIp';
      log.warn({ remote: ip, limit }, 'connection refused: limit reached');
      socket.destroy();
      return;
    }
    perIp.set(ip, fromIp + 1);
    const conn = new RtmpConnection(socket, {
      config,
      registry: deps.registry,
      logger,
      sessionId: deps.newSessionId(),
      nowMs: deps.nowMs,
      fourCcList: ACCEPTED_FOURCCS,
      auth,
    });
    connections.add(conn);
    if (deps.ioPressure?.isHigh === true) conn.pauseIngest(true);
    socket.once('close', () => {
      connections.delete(conn);
      const n = (perIp.get(ip) ?? 1) - 1;
      if (n <= 0) perIp.delete(ip);
      else perIp.set(ip, n);
    });
    log.debug({ remote: ip, secure }, 'rtmp connection accepted');
  };

  const plain = createTcpServer((s) => accept(s, false));
  const rtmpPort = await listen(plain, config.rtmp.port, config.host);
  log.info({ port: rtmpPort }, 'rtmp listening');

  let secure: Server | undefined;
  let rtmpsPort: number | undefined;
  if (config.rtmps) {
    const [cert, key] = await Promise.all([readFile(config.rtmps.certFile), readFile(config.rtmps.keyFile)]);
    const tlsServer = createTlsServer({ cert, key }, (s) => accept(s, true));
    // A failed TLS handshake is the client's problem: log it, never crash.
    tlsServer.on('tlsClientError', (err, s) => log.debug({ remote: s.remoteAddress, err: err.message }, 'rtmps handshake failed'));
    secure = tlsServer;
    rtmpsPort = await listen(tlsServer, config.rtmps.port, config.host);
    log.info({ port: rtmpsPort }, 'rtmps listening');
  }

  return {
    rtmpPort,
    rtmpsPort,
    connectionCount: () => connections.size,
    async close() {
      const closing = [closeServer(plain), secure ? closeServer(secure) : Promise.resolve()];
      stopWatchingPressure?.();
      for (const c of connections) c.shutdown();
      await Promise.all(closing);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      // After listening, errors such as EMFILE on accept are logged by the caller's handler.
      server.on('error', () => undefined);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
