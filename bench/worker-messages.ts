// The IPC messages between the benchmark and its worker processes (load generator, HTTP viewers).

/** Parent → load generator, as its one argv argument (JSON). */
export interface LoadGeneratorConfig {
  /** rtmp://127.0.0.1:PORT/APP: each publisher appends /NAME. */
  readonly rtmpBase: string;
  readonly names: readonly string[];
  readonly fixturePath: string;
  /** Publisher i starts i × staggerMs / names.length after the first, so keyframes do not all coincide. */
  readonly staggerMs: number;
  /** Pacing timer period. */
  readonly tickMs: number;
}

/** One keyframe sent: its RTMP timestamp and the wall clock (Date.now()) just before the send. */
export type KeyframeSend = readonly [timestampMs: number, wallMs: number];

export interface PublisherResult {
  readonly name: string;
  readonly keyframes: readonly KeyframeSend[];
  readonly tagsSent: number;
  readonly bytesSent: number;
  /** The most bytes ever waiting in the socket (the server not keeping up, or the generator). */
  readonly maxQueuedBytes: number;
  /** The connection closed before the end. */
  readonly lostAtMs?: number;
}

export type LoadGeneratorMessage =
  | { readonly type: 'ready'; readonly connected: number; readonly failures: readonly string[]; readonly startedAtMs: number }
  | { readonly type: 'result'; readonly publishers: readonly PublisherResult[]; readonly maxTickLagMs: number; readonly loopDurationMs: number }
  | { readonly type: 'error'; readonly message: string };

/** Parent → viewer process, as its one argv argument (JSON). */
export interface ViewerConfig {
  /** HLS media playlists; viewer i watches playlistUrls[i % length]. */
  readonly playlistUrls: readonly string[];
  readonly viewers: number;
}

export interface ViewerResult {
  readonly segments: number;
  readonly bytes: number;
  readonly playlistFetches: number;
  readonly errors: number;
  /** Time from request to the last byte of each segment, in ms. */
  readonly segmentFetchMs: readonly number[];
  readonly windowMs: number;
}

export type ViewerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly result: ViewerResult }
  | { readonly type: 'error'; readonly message: string };

/** Parent → any worker. */
export type WorkerCommand = { readonly type: 'stop' };
