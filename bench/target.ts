// A server under test: Onramp (onramp-target.ts) and nginx with libnginx-mod-rtmp (nginx-target.ts).
// Each run starts a fresh instance, so peak RSS and CPU belong to that run alone.

/** What the benchmark packages: HLS over MPEG-TS alone, TS plus CMAF (DASH + LL-HLS; Onramp), or
 *  TS plus DASH without LL-HLS (nginx-rtmp's `hls on` + `dash on`). */
export type PackagingMode = 'ts' | 'ts+cmaf' | 'ts+dash';

export interface TargetInstance {
  readonly rtmpPort: number;
  readonly httpPort: number;
  /** The server's (main) process. */
  readonly pid: number;
  /** Every process whose CPU and memory count, read again at each measurement (a multi-process
   *  server: master and workers); just `pid` when absent. */
  processes?(): readonly number[];
}

export interface StartOptions {
  readonly mode: PackagingMode;
  /** Publishers the run will connect (for connection limits). */
  readonly streams: number;
}

export interface Target {
  /** "onramp", "nginx-rtmp", … */
  readonly name: string;
  /** The RTMP application publishers use. */
  readonly app: string;
  start(opts: StartOptions): Promise<TargetInstance>;
  /** Stops the instance and removes its files; safe to call twice. */
  stop(): Promise<void>;
  /** HTTP paths of a stream's outputs; a field is undefined where the target has no such output. */
  paths(name: string): { readonly hls: string; readonly llHls?: string; readonly dash?: string };
  /** The HLS playlist's file on this machine, when the target writes one (watched with inotify). */
  playlistFile?(name: string): string | undefined;
  /** Warnings the server logged during the run (count and the last few lines). */
  warnings(): { readonly count: number; readonly last: readonly string[] };
}
