// Every configuration option in one table: its path in the config file, value kind and
// limits, default, environment variable and flag. Usage text, docs and readers derive from it.
import { LOG_LEVELS } from '../logging/log-level.js';
import { PUBLISHER_TAKEOVER_MODES } from './config-schema.js';

const MIB = 1024 * 1024;
/** Upper bound for every duration: a day. Anything longer is a typo (seconds given as ms × 1000). */
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
/** Upper bound for memory budgets per stream or player: 1 GiB. */
const MAX_BUFFER_BYTES = 1024 * MIB;
/** Outgoing chunks: RTMP's default is 128; above 64 KiB is no faster and some players refuse it. */
const MIN_CHUNK_SIZE = 128;
const MAX_CHUNK_SIZE_OUT = 65536;

export type OptionKind =
  | { readonly type: 'port' }
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'host' }
  /** A directory path, resolved to an absolute path; need not exist yet. Nullable ones may be null (off). */
  | { readonly type: 'directory'; readonly nullable?: boolean }
  /** A secret string (≥ 16 characters) or null; never logged. */
  | { readonly type: 'secret' }
  /** Streams selected by name: '*', an app ('live') or one stream ('live/mystream'); comma-separated in text. */
  | { readonly type: 'streams' }
  /** An app or stream name (checkStreamName). */
  | { readonly type: 'name' }
  /** Secret stream keys mapped to public names: { "<key>": "<app>/<name>" or "<name>" }. */
  | { readonly type: 'keyMap' }
  /** IP addresses and CIDR ranges (IPv4 or IPv6); comma-separated in text. */
  | { readonly type: 'cidrs' }
  /** A file path or null, resolved to an absolute path; checked readable by loadConfig. */
  | { readonly type: 'file' }
  /** A URL with one of the protocols, or null. */
  | { readonly type: 'url'; readonly protocols: readonly string[] }
  /** A list of CORS origins; comma-separated in the environment and on the command line. */
  | { readonly type: 'origins' };

export type OptionValue = string | number | boolean | null | readonly string[] | Readonly<Record<string, string>>;

export interface OptionSpec {
  /** Path in the config file and in OnrampConfig: 'rtmp.port'. */
  readonly path: string;
  readonly kind: OptionKind;
  readonly default: OptionValue;
  readonly env?: string;
  /** Long flag without the dashes: 'rtmp-port'. */
  readonly flag?: string;
  /** Placeholder for the flag's value in usage: 'PORT'. */
  readonly valueName?: string;
  readonly summary: string;
}

const port = { type: 'port' } as const;
const ms = (min: number) => ({ type: 'integer', min, max: MAX_DURATION_MS }) as const;
const bytes = { type: 'integer', min: 1, max: MAX_BUFFER_BYTES } as const;
const count = { type: 'integer', min: 1, max: 1_000_000 } as const;

export const OPTIONS = [
  { path: 'host', kind: { type: 'host' }, default: '0.0.0.0', env: 'HOST', flag: 'host', valueName: 'HOST',
    summary: 'Address every listener binds to (IPv4, IPv6 or a host name).' },
  { path: 'rtmp.port', kind: port, default: 1935, env: 'RTMP_PORT', flag: 'rtmp-port', valueName: 'PORT',
    summary: 'RTMP listen port; 0 lets the OS choose.' },
  { path: 'rtmp.chunkSize', kind: { type: 'integer', min: MIN_CHUNK_SIZE, max: MAX_CHUNK_SIZE_OUT }, default: 4096,
    summary: 'Outgoing chunk size announced to peers (Set Chunk Size), in bytes.' },
  { path: 'rtmp.handshakeTimeoutMs', kind: ms(1), default: 10_000,
    summary: 'A connection that has not completed the handshake by then is closed.' },
  { path: 'rtmp.idleTimeoutMs', kind: ms(1), default: 30_000,
    summary: 'A connection that sends nothing for this long is closed.' },
  { path: 'rtmp.maxConnections', kind: count, default: 1000,
    summary: 'Simultaneous RTMP and RTMPS connections; more are refused.' },
  { path: 'rtmp.maxConnectionsPerIp', kind: count, default: 100,
    summary: 'Simultaneous connections from one IP address; more are refused.' },
  { path: 'rtmp.pingIntervalMs', kind: ms(0), default: 0,
    summary: 'Interval of User Control Ping Requests; 0 = never ping.' },
  { path: 'rtmp.windowAckSize', kind: { type: 'integer', min: 1, max: 0xffffffff }, default: 2_500_000,
    summary: 'Window Acknowledgement Size announced to peers, in bytes.' },
  { path: 'rtmps.port', kind: port, default: 1936, env: 'RTMPS_PORT', flag: 'rtmps-port', valueName: 'PORT',
    summary: 'RTMPS listen port; RTMPS is on only when a certificate and a key are given.' },
  { path: 'rtmps.certFile', kind: { type: 'file' }, default: null, env: 'TLS_CERT', flag: 'tls-cert', valueName: 'FILE',
    summary: 'PEM certificate (chain) for RTMPS; needs a key too.' },
  { path: 'rtmps.keyFile', kind: { type: 'file' }, default: null, env: 'TLS_KEY', flag: 'tls-key', valueName: 'FILE',
    summary: 'PEM private key for RTMPS; needs a certificate too.' },
  { path: 'http.port', kind: port, default: 8000, env: 'HTTP_PORT', flag: 'http-port', valueName: 'PORT',
    summary: 'HTTP origin listen port; 0 lets the OS choose.' },
  { path: 'http.corsOrigins', kind: { type: 'origins' }, default: ['*'],
    summary: "Origins allowed by CORS: '*' or exact origins like 'https://player.example'; [] = no CORS headers." },
  { path: 'mediaDir', kind: { type: 'directory' }, default: './media', env: 'MEDIA_DIR', flag: 'media-dir', valueName: 'DIR',
    summary: 'Directory for segments, playlists and recordings.' },
  { path: 'redisUrl', kind: { type: 'url', protocols: ['redis:', 'rediss:'] }, default: null, env: 'REDIS_URL',
    flag: 'redis-url', valueName: 'URL', summary: 'Redis for jobs and scale-out (redis:// or rediss://); none = single process.' },
  { path: 'logLevel', kind: { type: 'enum', values: LOG_LEVELS }, default: 'info', env: 'LOG_LEVEL', flag: 'log-level',
    valueName: 'LEVEL', summary: `Lowest level logged: ${LOG_LEVELS.join(', ')}.` },
  { path: 'streams.publisherTakeover', kind: { type: 'enum', values: PUBLISHER_TAKEOVER_MODES }, default: 'stale',
    summary: "A second publisher on a live name: 'stale' replaces the first only if it sent no media for staleAfterMs; 'always'; 'never'." },
  { path: 'streams.staleAfterMs', kind: ms(0), default: 5000,
    summary: "With publisherTakeover 'stale': how long without media makes a publisher replaceable." },
  { path: 'streams.gopCache', kind: { type: 'boolean' }, default: true,
    summary: 'Keep each stream from its last keyframe on, so new players start at once.' },
  { path: 'streams.maxGopCacheBytes', kind: bytes, default: 16 * MIB,
    summary: 'Most bytes the GOP cache holds per stream; a longer GOP is not cached.' },
  { path: 'streams.player.maxQueueBytes', kind: bytes, default: 4 * MIB,
    summary: "A player whose send queue exceeds this skips to the next keyframe." },
  { path: 'streams.player.dropAfterMs', kind: ms(1), default: 10_000,
    summary: 'A player that stays behind this long is disconnected.' },
  { path: 'streams.reconnectGraceMs', kind: ms(0), default: 10_000,
    summary: "How long a stream's outputs wait for its publisher to reconnect before ending." },
  { path: 'hls.enabled', kind: { type: 'boolean' }, default: true,
    summary: 'Package every live stream as HLS over MPEG-TS (/{app}/{name}/index.m3u8).' },
  { path: 'hls.segmentDurationMs', kind: { type: 'integer', min: 500, max: 60_000 }, default: 2000,
    summary: 'Target segment duration; segments start on keyframes, so set the encoder keyframe interval to this or a divisor of it.' },
  { path: 'hls.windowSegments', kind: { type: 'integer', min: 3, max: 1000 }, default: 6,
    summary: 'Segments the live playlist keeps at least (it also keeps at least 3 × the target duration).' },
  { path: 'hls.segmentRetentionMs', kind: ms(0), default: 30_000,
    summary: 'How long a segment stays downloadable after it leaves the live playlist.' },
  { path: 'hls.endedRetentionMs', kind: ms(0), default: 60_000,
    summary: "How long an ended stream's playlist and segments stay before they are deleted." },
  { path: 'cmaf.enabled', kind: { type: 'boolean' }, default: true,
    summary: 'Package every live stream as CMAF: DASH (index.mpd) and low-latency HLS in fMP4 (ll.m3u8) from one set of fragments.' },
  { path: 'recording.streams', kind: { type: 'streams' }, default: [], env: 'RECORD', flag: 'record', valueName: 'LIST',
    summary: "Streams recorded from their first publish: '*' = all, 'live' = every stream of an app, 'live/mystream' = one; others can be started through the API." },
  { path: 'recording.fragmentDurationMs', kind: { type: 'integer', min: 100, max: 10_000 }, default: 1000,
    summary: 'Recordings are written in fragments of at most this duration; a crash loses at most the fragment in progress.' },
  { path: 'recording.mp4', kind: { type: 'boolean' }, default: true,
    summary: 'Also export every finished recording as one MP4 file (moov first, for progressive download).' },
  { path: 'recording.retentionHours', kind: { type: 'integer', min: 0, max: 100 * 365 * 24 }, default: 0,
    summary: 'Recordings older than this are deleted by the cleanup job; 0 = keep for ever.' },
  { path: 'jobs.prefix', kind: { type: 'name' }, default: 'onramp',
    summary: 'Prefix of the BullMQ keys in Redis; processes with the same prefix share their queues.' },
  { path: 'jobs.cleanupIntervalMs', kind: ms(1000), default: 5 * 60_000,
    summary: 'How often the cleanup job runs (recordings past retention, leftovers of ended streams).' },
  { path: 'watch.dir', kind: { type: 'directory', nullable: true }, default: null, env: 'WATCH_DIR', flag: 'watch-dir', valueName: 'DIR',
    summary: 'Watch folder: an FLV file dropped here is packaged as a recording of {watch.app}/{file name}; null = off.' },
  { path: 'watch.app', kind: { type: 'name' }, default: 'uploads',
    summary: 'App name under which watch-folder files are recorded.' },
  { path: 'webhooks.url', kind: { type: 'url', protocols: ['http:', 'https:'] }, default: null, env: 'WEBHOOK_URL', flag: 'webhook-url', valueName: 'URL',
    summary: 'Receives publish, unpublish and recording.ready events as JSON POSTs; null = no webhooks.' },
  { path: 'webhooks.secret', kind: { type: 'secret' }, default: null, env: 'WEBHOOK_SECRET',
    summary: 'Key of the HMAC-SHA256 Onramp-Signature header on webhook requests (at least 16 characters); null = unsigned.' },
  { path: 'webhooks.timeoutMs', kind: ms(100), default: 10_000,
    summary: 'A webhook request not answered by then is retried later.' },
  { path: 'rtmp.maxPublishesPerIp', kind: count, default: 10,
    summary: 'Simultaneous publishes from one IP address; more are refused.' },
  { path: 'auth.publish.keys', kind: { type: 'keyMap' }, default: {},
    summary: 'Secret stream keys and the public stream each publishes as: { "<key>": "live/mystream" }; the key never appears in a playback URL.' },
  { path: 'auth.publish.secret', kind: { type: 'secret' }, default: null, env: 'PUBLISH_SECRET',
    summary: 'HMAC key of signed publish URLs (?expires=<unix s>&sig=<hex>); null = not used.' },
  { path: 'auth.publish.callbackUrl', kind: { type: 'url', protocols: ['http:', 'https:'] }, default: null, env: 'ON_PUBLISH_URL',
    summary: 'on_publish callback, asked when no stream key or signature decided: 2xx allows (and may rename), anything else or no answer refuses.' },
  { path: 'auth.publish.allow', kind: { type: 'cidrs' }, default: [],
    summary: 'Only these IPs/CIDR ranges may publish; [] = any.' },
  { path: 'auth.publish.deny', kind: { type: 'cidrs' }, default: [],
    summary: 'These IPs/CIDR ranges may not publish (deny wins over allow).' },
  { path: 'auth.play.secret', kind: { type: 'secret' }, default: null, env: 'PLAY_SECRET',
    summary: 'HMAC key of playback tokens (?token=…) required on RTMP play, playlists, manifests and segments; null = playback is open.' },
  { path: 'auth.play.callbackUrl', kind: { type: 'url', protocols: ['http:', 'https:'] }, default: null, env: 'ON_PLAY_URL',
    summary: 'on_play callback for RTMP players: 2xx allows, anything else or no answer refuses.' },
  { path: 'auth.play.allow', kind: { type: 'cidrs' }, default: [],
    summary: 'Only these IPs/CIDR ranges may play (RTMP and HTTP media); [] = any.' },
  { path: 'auth.play.deny', kind: { type: 'cidrs' }, default: [],
    summary: 'These IPs/CIDR ranges may not play (deny wins over allow).' },
  { path: 'auth.callbackTimeoutMs', kind: ms(100), default: 5000,
    summary: 'A publish/play callback not answered by then counts as a refusal.' },
  { path: 'shutdownTimeoutMs', kind: ms(100), default: 8000,
    summary: 'On SIGTERM/SIGINT, the most time spent ending streams, recordings and jobs before the process exits.' },
  { path: 'cmaf.partDurationMs', kind: { type: 'integer', min: 100, max: 5000 }, default: 500,
    summary: 'Target duration of a low-latency HLS part (CMAF chunk); parts never exceed it.' },
] as const satisfies readonly OptionSpec[];

export type OptionPath = (typeof OPTIONS)[number]['path'];

export const OPTION_BY_PATH: ReadonlyMap<string, OptionSpec> = new Map(OPTIONS.map((o) => [o.path, o]));

/** Objects in the config file that hold options; 'rtmps' may also be null (RTMPS off). */
export const OPTION_GROUPS: ReadonlySet<string> = new Set(['rtmp', 'rtmps', 'http', 'streams', 'streams.player', 'hls', 'cmaf', 'recording', 'jobs', 'watch', 'webhooks', 'auth', 'auth.publish', 'auth.play']);
export const NULLABLE_GROUPS: ReadonlySet<string> = new Set(['rtmps']);

/** The option that names the config file; not part of OnrampConfig. */
export const CONFIG_FILE_OPTION = { env: 'ONRAMP_CONFIG', flag: 'config', valueName: 'FILE' } as const;

/** How a user can set an option, for messages: "TLS_KEY, --tls-key or rtmps.keyFile in the config file". */
export function waysToSet(spec: OptionSpec): string {
  const ways: string[] = [];
  if (spec.env !== undefined) ways.push(spec.env);
  if (spec.flag !== undefined) ways.push(`--${spec.flag}`);
  ways.push(`${spec.path} in the config file`);
  return ways.length === 1 ? ways[0] : `${ways.slice(0, -1).join(', ')} or ${ways[ways.length - 1]}`;
}
