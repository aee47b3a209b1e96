// One benchmark run: a fresh target in one packaging mode, N publishers from the load generator,
// optional HTTP viewers, and the measurements over the window after the warm-up.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseMediaPlaylist } from '../pipeline/inspect/hls-playlist-parser.js';
import { analyseStream, type StreamAvailability } from './availability.js';
import type { RunResult } from './bench-results.js';
import { LOAD_GENERATOR_MAIN, VIEWER_LOAD_MAIN } from './paths.js';
import { CpuMeter, RssSampler, readRssSum } from './proc-stats.js';
import { FilePlaylistWatcher, HttpPlaylistWatcher, type PlaylistWatch, type WatchResult } from './segment-watch.js';
import { percentile, round } from './stats.js';
import type { PackagingMode, Target } from './target.js';
import type { LoadGeneratorConfig, LoadGeneratorMessage, ViewerConfig, ViewerMessage, ViewerResult, WorkerCommand } from './worker-messages.js';
import { WorkerProcess } from './worker-process.js';

/** Streams that are not sampled are still watched, coarsely, for the on-time check. */
const COARSE_POLL_MS = 250;
const MB = 1024 * 1024;

export interface ScenarioOptions {
  readonly mode: PackagingMode;
  readonly streams: number;
  readonly seconds: number;
  readonly warmupSec: number;
  readonly fixturePath: string;
  readonly keyframeIntervalMs: number;
  readonly viewers: number;
  readonly watch: 'file' | 'http';
  readonly pollMs: number;
  readonly sampleStreams: number;
}

/** Indices of `k` streams spread evenly over `n` (their start phases differ). */
export function sampleIndices(n: number, k: number): Set<number> {
  const count = Math.min(n, k);
  return new Set(Array.from({ length: count }, (_, i) => Math.floor((i * n) / count)));
}

export async function runScenario(target: Target, o: ScenarioOptions): Promise<RunResult> {
  const inst = await target.start({ mode: o.mode, streams: o.streams });
  const http = `http://127.0.0.1:${inst.httpPort}`;
  const workers: Array<{ send(c: WorkerCommand): void; close(graceMs?: number): Promise<void> }> = [];
  const watchers: PlaylistWatch[] = [];
  try {
    const names = Array.from({ length: o.streams }, (_, i) => `bench-${i}`);
    const byFile = o.watch === 'file' && target.playlistFile?.(names[0]) !== undefined;
    const sampled = sampleIndices(o.streams, byFile ? o.streams : o.sampleStreams);
    // A multi-process server (nginx: master, worker, cache manager) is measured as the sum of its processes.
    const serverProcesses = (): readonly number[] => inst.processes?.() ?? [inst.pid];
    const idleRss = readRssSum(serverProcesses).rssBytes;
    const rss = new RssSampler(serverProcesses);
    rss.start();
    for (const [i, name] of names.entries()) {
      const file = byFile ? target.playlistFile?.(name) : undefined;
      watchers.push(file ? new FilePlaylistWatcher(file) : new HttpPlaylistWatcher(http + target.paths(name).hls, sampled.has(i) ? o.pollMs : COARSE_POLL_MS));
    }
    for (const w of watchers) w.start();

    const lgConfig: LoadGeneratorConfig = {
      rtmpBase: `rtmp://127.0.0.1:${inst.rtmpPort}/${target.app}`,
      names,
      fixturePath: o.fixturePath,
      staggerMs: o.keyframeIntervalMs,
      tickMs: 5,
    };
    const lg = new WorkerProcess<LoadGeneratorMessage>(LOAD_GENERATOR_MAIN, lgConfig);
    workers.push(lg);
    const ready = await lg.next('ready', 30_000);
    if (ready.connected === 0) throw new Error(`no publisher could connect: ${ready.failures.join('; ')}`);
    let viewers: WorkerProcess<ViewerMessage> | undefined;
    if (o.viewers > 0) {
      const vConfig: ViewerConfig = { playlistUrls: names.map((n) => http + target.paths(n).hls), viewers: o.viewers };
      viewers = new WorkerProcess<ViewerMessage>(VIEWER_LOAD_MAIN, vConfig);
      workers.push(viewers);
      await viewers.next('ready', 10_000);
    }

    await sleep(o.warmupSec * 1000);
    const cpu = new CpuMeter(serverProcesses);
    const lgCpu = new CpuMeter(lg.pid);
    cpu.start();
    lgCpu.start();
    await sleep(o.seconds * 1000);
    const cpuWindow = cpu.stop();
    rss.markWindowEnd();
    const lgWindow = lgCpu.stop();
    const watchEndMs = Date.now();
    const watched = await Promise.all(watchers.splice(0).map((w) => w.stop()));
    const served = await servedOverHttp(names.map((n) => http + target.paths(n).hls), watched);

    let viewerResult: ViewerResult | undefined;
    if (viewers) {
      viewers.send({ type: 'stop' });
      viewerResult = (await viewers.next('result', 15_000)).result;
      await viewers.close();
    }
    lg.send({ type: 'stop' });
    const lgResult = await lg.next('result', 20_000);
    await lg.close();
    const memory = rss.stop();

    const byName = new Map(lgResult.publishers.map((p) => [p.name, p]));
    const perStream: StreamAvailability[] = watched.map((w, i) => analyseStream(w, byName.get(names[i])?.keyframes ?? [], watchEndMs));
    const latencies = perStream.filter((_, i) => sampled.has(i)).flatMap((s) => s.latenciesMs);
    const n = ready.connected;
    const idleMb = idleRss / MB;
    const peakMb = memory.peakRssBytes / MB;
    const bytesSent = lgResult.publishers.reduce((s, p) => s + p.bytesSent, 0);
    const result: RunResult = {
      target: target.name,
      mode: o.mode,
      streams: o.streams,
      connected: n,
      connectFailures: ready.failures,
      windowSec: round(cpuWindow.wallSeconds, 3),
      cpu: {
        cpuSecPerSec: round(cpuWindow.cpuPerWallSecond, 4),
        perStreamCpuSecPerSec: round(cpuWindow.cpuPerWallSecond / n, 5),
        percentOfCore: round(cpuWindow.cpuPerWallSecond * 100, 2),
        perStreamPercentOfCore: round((cpuWindow.cpuPerWallSecond * 100) / n, 3),
        mainThreadPercentOfCore: round(cpuWindow.mainThreadCpuPerWallSecond * 100, 2),
        processes: cpuWindow.processes,
      },
      rss: {
        idleMb: round(idleMb, 1),
        peakMb: round(peakMb, 1),
        perStreamMb: round(peakMb / n, 2),
        perStreamIncrementMb: round((peakMb - idleMb) / n, 2),
        timeline: memory.timeline,
        ...(memory.windowEnd === undefined ? {} : { windowEnd: memory.windowEnd }),
      },
      availability: {
        method: byFile ? 'file' : 'http',
        sampledStreams: sampled.size,
        pollMs: byFile ? 0 : o.pollMs,
        segments: latencies.length,
        unmatched: perStream.filter((_, i) => sampled.has(i)).reduce((s, a) => s + a.unmatched, 0),
        p50Ms: roundOpt(percentile(latencies, 50), 1),
        p99Ms: roundOpt(percentile(latencies, 99), 1),
        maxMs: roundOpt(percentile(latencies, 100), 1),
      },
      onTime: {
        streamsWatched: perStream.length,
        streamsOnTime: perStream.filter((s) => s.onTime).length,
        allOnTime: perStream.every((s) => s.onTime) && served === names.length,
        servedOverHttp: served,
        maxGapSec: round(Math.max(0, ...perStream.map((s) => s.maxGapSec)), 3),
        targetDurationSec: perStream.find((s) => s.targetDurationSec !== undefined)?.targetDurationSec,
      },
      http: viewerResult ? httpFigures(o.viewers, viewerResult) : undefined,
      loadGenerator: {
        cpuSecPerSec: round(lgWindow.cpuPerWallSecond, 4),
        sentMbps: round((bytesSent * 8) / 1e6 / ((Date.now() - ready.startedAtMs) / 1000), 1),
        maxTickLagMs: round(lgResult.maxTickLagMs, 1),
        maxQueuedBytes: Math.max(0, ...lgResult.publishers.map((p) => p.maxQueuedBytes)),
        lostPublishers: lgResult.publishers.filter((p) => p.lostAtMs !== undefined).length,
      },
      serverWarnings: target.warnings(),
    };
    return result;
  } finally {
    await Promise.all(watchers.map((w) => w.stop()));
    for (const w of workers) w.send({ type: 'stop' });
    await Promise.all(workers.map((w) => w.close(3000)));
    await target.stop();
  }
}

/** Streams whose playlist, fetched once over HTTP, lists at least the last segment the watcher saw. */
async function servedOverHttp(urls: readonly string[], watched: readonly WatchResult[]): Promise<number> {
  const ok = await Promise.all(urls.map(async (url, i) => {
    const res = await fetch(url).catch(() => undefined);
    if (!res?.ok) return false;
    const text = await res.text();
    const last = watched[i].segments[watched[i].segments.length - 1];
    return last === undefined || lastSequence(text) >= last.sequence;
  }));
  return ok.filter(Boolean).length;
}

function lastSequence(playlist: string): number {
  try {
    const segments = parseMediaPlaylist(playlist).segments;
    return segments.length > 0 ? segments[segments.length - 1].sequence : -1;
  } catch {
    return -1;
  }
}

function roundOpt(x: number | undefined, digits: number): number | undefined {
  return x === undefined ? undefined : round(x, digits);
}

function httpFigures(viewers: number, r: ViewerResult): NonNullable<RunResult['http']> {
  const downloadSec = r.segmentFetchMs.reduce((s, ms) => s + ms, 0) / 1000;
  return {
    viewers,
    segments: r.segments,
    bytes: r.bytes,
    deliveredMBps: round(r.bytes / MB / (r.windowMs / 1000), 2),
    perDownloadMBps: downloadSec > 0 ? round(r.bytes / MB / downloadSec, 1) : 0,
    fetchP50Ms: roundOpt(percentile(r.segmentFetchMs, 50), 1),
    fetchP99Ms: roundOpt(percentile(r.segmentFetchMs, 99), 1),
    errors: r.errors,
  };
}
