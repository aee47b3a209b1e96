// The shape of a benchmark report (the JSON file); report.ts renders it as markdown.
import type { BenchOptions } from './bench-options.js';
import type { FixtureSpec } from './fixture.js';
import type { MachineInfo } from './machine.js';
import type { PackagingMode } from './target.js';

export interface RunResult {
  readonly target: string;
  readonly mode: PackagingMode;
  readonly streams: number;
  readonly connected: number;
  readonly connectFailures: readonly string[];
  readonly windowSec: number;
  readonly cpu: {
    /** Server CPU-seconds per wall-second (1 = one core). */
    readonly cpuSecPerSec: number;
    readonly perStreamCpuSecPerSec: number;
    /** The same as percentages of one core. */
    readonly percentOfCore: number;
    readonly perStreamPercentOfCore: number;
    /** The main thread's share (Node's event loop); the rest is mostly the libuv pool's file I/O. */
    readonly mainThreadPercentOfCore: number;
  };
  readonly rss: {
    /** Before any publisher. */
    readonly idleMb: number;
    readonly peakMb: number;
    /** peakMb / streams. */
    readonly perStreamMb: number;
    /** (peakMb − idleMb) / streams: what each stream adds. */
    readonly perStreamIncrementMb: number;
  };
  readonly availability: {
    /** file: inotify on the playlist files; http: polling every pollMs. */
    readonly method: 'file' | 'http';
    readonly sampledStreams: number;
    readonly pollMs: number;
    readonly segments: number;
    readonly unmatched: number;
    readonly p50Ms?: number;
    readonly p99Ms?: number;
    readonly maxMs?: number;
  };
  readonly onTime: {
    readonly streamsWatched: number;
    readonly streamsOnTime: number;
    /** Every playlist advanced on time and, fetched over HTTP at the end, listed what was seen. */
    readonly allOnTime: boolean;
    readonly servedOverHttp: number;
    readonly maxGapSec: number;
    readonly targetDurationSec?: number;
  };
  readonly http?: {
    readonly viewers: number;
    readonly segments: number;
    readonly bytes: number;
    /** Segment bytes delivered per wall-second, all viewers together. */
    readonly deliveredMBps: number;
    /** Bytes per second of download time, per segment download (how fast one segment is served). */
    readonly perDownloadMBps: number;
    readonly fetchP50Ms?: number;
    readonly fetchP99Ms?: number;
    readonly errors: number;
  };
  readonly loadGenerator: {
    readonly cpuSecPerSec: number;
    readonly sentMbps: number;
    readonly maxTickLagMs: number;
    readonly maxQueuedBytes: number;
    readonly lostPublishers: number;
  };
  readonly serverWarnings: { readonly count: number; readonly last: readonly string[] };
}

export type LatencyResult =
  | {
      readonly status: 'ok';
      readonly player: string;
      /** Median of the latency sampled every 0.5 s while watching. */
      readonly medianSec: number;
      readonly minSec: number;
      readonly maxSec: number;
      /** The last sample, once the player has caught up. */
      readonly endSec: number;
      readonly samples: number;
      readonly startupMs: number;
      readonly stalls: number;
      readonly advancedSec: number;
      readonly errors: readonly string[];
    }
  | { readonly status: 'skipped' | 'failed'; readonly reason: string };

export interface CmafCost {
  readonly streams: number;
  readonly tsCpuSecPerSec: number;
  readonly tsCmafCpuSecPerSec: number;
  /** TS + CMAF over TS alone. */
  readonly ratio: number;
}

export interface FixtureInfo extends FixtureSpec {
  readonly file: string;
  /** Measured from the file's tags. */
  readonly measuredVideoKbps: number;
  readonly measuredAudioKbps: number;
  readonly loopDurationMs: number;
}

export interface BenchReport {
  readonly benchVersion: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: BenchOptions;
  readonly machine: MachineInfo;
  readonly fixtures: { readonly load: FixtureInfo; readonly latency?: FixtureInfo };
  readonly runs: readonly RunResult[];
  readonly cmafCost: readonly CmafCost[];
  readonly latency: { readonly llHls: LatencyResult; readonly dash: LatencyResult };
  readonly errors: readonly string[];
}
