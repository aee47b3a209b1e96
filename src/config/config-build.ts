// Assembles the validated option values into the OnrampConfig object and freezes it.
import type { LogLevel } from '../logging/log-level.js';
import type { OptionPath, OptionValue } from './config-options.js';
import type { OnrampConfig, PublisherTakeover } from './config-schema.js';

/** values holds a checked value for every option path (see config-validate.ts). */
export function buildConfig(values: ReadonlyMap<string, OptionValue>): OnrampConfig {
  const get = (path: OptionPath): OptionValue => {
    const value = values.get(path);
    if (value === undefined) throw new Error(`config: internal error, no value for ${path}`);
    return value;
  };
  const num = (path: OptionPath) => get(path) as number;
  const str = (path: OptionPath) => get(path) as string;
  const list = (path: OptionPath): string[] => [...(get(path) as readonly string[])];
  const certFile = get('rtmps.certFile') as string | null;
  const keyFile = get('rtmps.keyFile') as string | null;
  return deepFreeze({
    host: str('host'),
    rtmp: {
      port: num('rtmp.port'),
      chunkSize: num('rtmp.chunkSize'),
      handshakeTimeoutMs: num('rtmp.handshakeTimeoutMs'),
      idleTimeoutMs: num('rtmp.idleTimeoutMs'),
      maxConnections: num('rtmp.maxConnections'),
      maxConnectionsPerIp: num('rtmp.maxConnectionsPerIp'),
      pingIntervalMs: num('rtmp.pingIntervalMs'),
      windowAckSize: num('rtmp.windowAckSize'),
      maxPublishesPerIp: num('rtmp.maxPublishesPerIp'),
    },
    rtmps: certFile !== null && keyFile !== null ? { port: num('rtmps.port'), certFile, keyFile } : null,
    http: { port: num('http.port'), corsOrigins: [...(get('http.corsOrigins') as readonly string[])] },
    mediaDir: str('mediaDir'),
    redisUrl: get('redisUrl') as string | null,
    logLevel: str('logLevel') as LogLevel,
    streams: {
      publisherTakeover: str('streams.publisherTakeover') as PublisherTakeover,
      staleAfterMs: num('streams.staleAfterMs'),
      gopCache: get('streams.gopCache') as boolean,
      maxGopCacheBytes: num('streams.maxGopCacheBytes'),
      player: {
        maxQueueBytes: num('streams.player.maxQueueBytes'),
        dropAfterMs: num('streams.player.dropAfterMs'),
      },
      reconnectGraceMs: num('streams.reconnectGraceMs'),
    },
    hls: {
      enabled: get('hls.enabled') as boolean,
      segmentDurationMs: num('hls.segmentDurationMs'),
      windowSegments: num('hls.windowSegments'),
      segmentRetentionMs: num('hls.segmentRetentionMs'),
      endedRetentionMs: num('hls.endedRetentionMs'),
    },
    cmaf: {
      enabled: get('cmaf.enabled') as boolean,
      partDurationMs: num('cmaf.partDurationMs'),
    },
    recording: {
      streams: [...(get('recording.streams') as readonly string[])],
      fragmentDurationMs: num('recording.fragmentDurationMs'),
      mp4: get('recording.mp4') as boolean,
      retentionHours: num('recording.retentionHours'),
    },
    jobs: { prefix: str('jobs.prefix'), cleanupIntervalMs: num('jobs.cleanupIntervalMs') },
    watch: { dir: get('watch.dir') as string | null, app: str('watch.app') },
    webhooks: {
      url: get('webhooks.url') as string | null,
      secret: get('webhooks.secret') as string | null,
      timeoutMs: num('webhooks.timeoutMs'),
    },
    auth: {
      publish: {
        keys: { ...(get('auth.publish.keys') as Readonly<Record<string, string>>) },
        secret: get('auth.publish.secret') as string | null,
        callbackUrl: get('auth.publish.callbackUrl') as string | null,
        allow: list('auth.publish.allow'),
        deny: list('auth.publish.deny'),
      },
      play: {
        secret: get('auth.play.secret') as string | null,
        callbackUrl: get('auth.play.callbackUrl') as string | null,
        allow: list('auth.play.allow'),
        deny: list('auth.play.deny'),
      },
      callbackTimeoutMs: num('auth.callbackTimeoutMs'),
    },
    shutdownTimeoutMs: num('shutdownTimeoutMs'),
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
