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
    /** The main thread's share (Node's event loop); the rest is mostly the libuv pool's file I/O.
     *  With several processes (nginx), the sum of their main threads. */
    readonly mainThreadPercentOfCore: number;
    /** Server processes measured (summed): 1 for Onramp; nginx's master, worker and cache manager. */
    readonly processes: number;
  };
  /** Summed over the server's processes (pages they share counted in each). */
  readonly rss: {
    /** Before any publisher. */
    readonly idleMb: number;
    readonly peakMb: number;
    /** peakMb / streams. */
    readonly perStreamMb: number;
    /** (peakMb − idleMb) / streams: what each stream adds. */
    readonly perStreamIncrementMb: number;
    /** RSS every 10 s from the first publisher on (seconds since then, MB). */
    readonly timeline: readonly { readonly sec: number; readonly mb: number }[];
    /** RSS when the measured window ended, before the publishers stop (the timeline goes on through their teardown). */
    readonly windowEnd?: { readonly sec: number; readonly mb: number };
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

/** The nginx-rtmp target: what ran, or why it did not. */
export type NginxInfo =
  | {
      readonly status: 'ok';
      readonly binary: string;
      readonly version: string;
      /** The RTMP module loaded; undefined when built in. */
      readonly module?: string;
      readonly workerProcesses: number;
      /** hls_fragment / dash_fragment and hls_playlist_length / dash_playlist_length. */
      readonly fragmentSec: number;
      readonly playlistSec: number;
    }
  | { readonly status: 'skipped'; readonly reason: string };

/** Onramp over nginx-rtmp at the same N (below 1: Onramp uses less). */
export interface NginxComparison {
  readonly streams: number;
  readonly onrampMode: PackagingMode;
  /** CPU per stream, % of a core. */
  readonly cpuPerStream: { readonly onramp: number; readonly nginx: number; readonly ratio?: number };
  /** Peak RSS / N, MB. */
  readonly rssPerStream: { readonly onramp: number; readonly nginx: number; readonly ratio?: number };
  /** (Peak RSS − RSS before any publisher) / N, MB. */
  readonly rssAddedPerStream: { readonly onramp: number; readonly nginx: number; readonly ratio?: number };
}

export interface FixtureInfo extends FixtureSpec {
  readonly file: string;
  /** Measured from the file's tags. */
  readonly measuredVideoKbps: number;
  readonly measuredAudioKbps: number;
  readonly loopDurationMs: number;
}

export interface BenchReport {
  /** 2: nginx-rtmp target (runs with target 'nginx-rtmp', mode 'ts+dash'), `nginx`, `versusNginx`. */
  readonly benchVersion: 2;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: BenchOptions;
  readonly machine: MachineInfo;
  readonly fixtures: { readonly load: FixtureInfo; readonly latency?: FixtureInfo };
  readonly runs: readonly RunResult[];
  readonly cmafCost: readonly CmafCost[];
  readonly nginx: NginxInfo;
  readonly versusNginx: readonly NginxComparison[];
  readonly latency: { readonly llHls: LatencyResult; readonly dash: LatencyResult };
  readonly errors: readonly string[];
}
