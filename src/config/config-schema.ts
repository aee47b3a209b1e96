// The shape of Onramp's configuration: a readonly plain object, validated once at start-up
// and passed down explicitly. Defaults and limits live in config-options.ts.
import type { LogLevel } from '../logging/log-level.js';

export type { LogLevel } from '../logging/log-level.js';

/** What happens when a second publisher asks for a stream name that is live. */
export const PUBLISHER_TAKEOVER_MODES = ['stale', 'always', 'never'] as const;
export type PublisherTakeover = (typeof PUBLISHER_TAKEOVER_MODES)[number];

export interface RtmpConfig {
  readonly port: number;
  /** Outgoing chunk size we announce with Set Chunk Size (RTMP 1.0 §5.4.1). */
  readonly chunkSize: number;
  readonly handshakeTimeoutMs: number;
  /** A connection that sends nothing for this long is closed. */
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  /** Interval of User Control Ping Requests (RTMP 1.0 §7.1.7); 0 = never ping. */
  readonly pingIntervalMs: number;
  /** Window Acknowledgement Size we announce (RTMP 1.0 §5.4.4). */
  readonly windowAckSize: number;
  /** Simultaneous publishes from one IP address. */
  readonly maxPublishesPerIp: number;
}

/** RTMP over TLS; present only when both a certificate and a key are configured. */
export interface RtmpsConfig {
  readonly port: number;
  /** Absolute path of the PEM certificate (chain). */
  readonly certFile: string;
  /** Absolute path of the PEM private key. */
  readonly keyFile: string;
}

export interface HttpConfig {
  readonly port: number;
  /** Allowed CORS origins: '*' or exact origins such as 'https://player.example'; [] = no CORS. */
  readonly corsOrigins: readonly string[];
}

export interface PlayerConfig {
  /** A player whose send queue exceeds this skips ahead to the next keyframe. */
  readonly maxQueueBytes: number;
  /** A player that stays behind for this long is dropped. */
  readonly dropAfterMs: number;
}

export interface StreamsConfig {
  readonly publisherTakeover: PublisherTakeover;
  /** With 'stale', a publisher that has sent no media for this long may be replaced. */
  readonly staleAfterMs: number;
  /** Keep the last keyframe onward per stream, so a new player starts at once. */
  readonly gopCache: boolean;
  readonly maxGopCacheBytes: number;
  readonly player: PlayerConfig;
  /** How long a stream's outputs stay open for the same publisher to come back. */
  readonly reconnectGraceMs: number;
}

export interface HlsConfig {
  readonly enabled: boolean;
  /** Target segment duration; segments are cut on the first keyframe after it. */
  readonly segmentDurationMs: number;
  readonly windowSegments: number;
  /** How long a segment stays downloadable after it leaves the playlist. */
  readonly segmentRetentionMs: number;
  /** How long an ended stream's files stay before they are deleted. */
  readonly endedRetentionMs: number;
}

export interface CmafConfig {
  readonly enabled: boolean;
  /** Target duration of a low-latency HLS part (CMAF chunk). */
  readonly partDurationMs: number;
}

export interface RecordingConfig {
  /** '*', app names and app/name pairs recorded from their first publish. */
  readonly streams: readonly string[];
  readonly fragmentDurationMs: number;
  readonly mp4: boolean;
  /** 0 = keep for ever. */
  readonly retentionHours: number;
}

export interface JobsConfig {
  /** BullMQ key prefix. */
  readonly prefix: string;
  readonly cleanupIntervalMs: number;
}

export interface WatchConfig {
  /** Absolute path of the watch folder, or null when off. */
  readonly dir: string | null;
  readonly app: string;
}

export interface WebhooksConfig {
  readonly url: string | null;
  readonly secret: string | null;
  readonly timeoutMs: number;
}

export interface PublishAuthConfig {
  /** Secret stream key → "app/name" or "name" (same app). */
  readonly keys: Readonly<Record<string, string>>;
  readonly secret: string | null;
  readonly callbackUrl: string | null;
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

export interface PlayAuthConfig {
  readonly secret: string | null;
  readonly callbackUrl: string | null;
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

export interface AuthConfig {
  readonly publish: PublishAuthConfig;
  readonly play: PlayAuthConfig;
  readonly callbackTimeoutMs: number;
}

export interface OnrampConfig {
  /** Address every listener binds to. */
  readonly host: string;
  readonly rtmp: RtmpConfig;
  readonly rtmps: RtmpsConfig | null;
  readonly http: HttpConfig;
  /** Absolute path of the media directory. */
  readonly mediaDir: string;
  readonly redisUrl: string | null;
  readonly logLevel: LogLevel;
  readonly streams: StreamsConfig;
  readonly hls: HlsConfig;
  readonly cmaf: CmafConfig;
  readonly recording: RecordingConfig;
  readonly jobs: JobsConfig;
  readonly watch: WatchConfig;
  readonly webhooks: WebhooksConfig;
  readonly auth: AuthConfig;
  /** Bound on the graceful shutdown after SIGTERM/SIGINT. */
  readonly shutdownTimeoutMs: number;
}

/** Any part of T, at any depth; arrays are replaced whole. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;
