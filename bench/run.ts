// `npm run bench`: Onramp under N real-time RTMP publishers, HLS over TS alone and TS + CMAF, the same
// load against nginx-rtmp (HLS + DASH) where installed, then glass-to-glass latency in headless
// Chromium; writes JSON and markdown and prints the table.
import type { BenchReport, CmafCost, FixtureInfo, LatencyResult, NginxComparison, NginxInfo, RunResult } from './bench-results.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.js';
import { ensureFixture, fixtureSpecs, type FixtureSpec } from './fixture.js';
import { loadFixture } from './fixture-tags.js';
import { measureGlassToGlass } from './latency-browser.js';
import { describeMachine } from './machine.js';
import { detectNginx, NGINX_FRAGMENT_SEC, NGINX_PLAYLIST_SEC, NGINX_WORKER_PROCESSES, NginxTarget } from './nginx-target.js';
import { OnrampTarget } from './onramp-target.js';
import { renderMarkdown, writeReport } from './report.js';
import { runScenario } from './run-scenario.js';
import { round } from './stats.js';
import type { PackagingMode, Target } from './target.js';

/** Onramp packages TS alone and TS + CMAF; nginx-rtmp runs with HLS and DASH on. */
const ONRAMP_MODES: readonly PackagingMode[] = ['ts', 'ts+cmaf'];
const NGINX_MODES: readonly PackagingMode[] = ['ts+dash'];
/** The Onramp mode each nginx run is compared with first (same outputs plus LL-HLS), then the other. */
const VERSUS_NGINX: readonly PackagingMode[] = ['ts+cmaf', 'ts'];

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

async function prepareFixture(spec: FixtureSpec): Promise<FixtureInfo> {
  const file = await ensureFixture(spec);
  const f = loadFixture(file);
  return { ...spec, file, measuredVideoKbps: round(f.videoKbps, 0), measuredAudioKbps: round(f.audioKbps, 0), loopDurationMs: f.loopDurationMs };
}

function cmafCost(runs: readonly RunResult[]): CmafCost[] {
  const out: CmafCost[] = [];
  for (const ts of runs.filter((r) => r.mode === 'ts')) {
    const both = runs.find((r) => r.mode === 'ts+cmaf' && r.streams === ts.streams && r.target === ts.target);
    if (!both || ts.cpu.cpuSecPerSec <= 0) continue;
    out.push({ streams: ts.streams, tsCpuSecPerSec: ts.cpu.cpuSecPerSec, tsCmafCpuSecPerSec: both.cpu.cpuSecPerSec, ratio: round(both.cpu.cpuSecPerSec / ts.cpu.cpuSecPerSec, 3) });
  }
  return out;
}

function ratio(a: number, b: number): number | undefined {
  return b > 0 && Number.isFinite(a) ? round(a / b, 2) : undefined;
}

function versusNginx(runs: readonly RunResult[], nginxName: string): NginxComparison[] {
  const out: NginxComparison[] = [];
  for (const ng of runs.filter((r) => r.target === nginxName)) {
    for (const mode of VERSUS_NGINX) {
      const on = runs.find((r) => r.target !== nginxName && r.mode === mode && r.streams === ng.streams);
      if (!on) continue;
      const pair = (f: (r: RunResult) => number): { onramp: number; nginx: number; ratio?: number } =>
        ({ onramp: f(on), nginx: f(ng), ratio: ratio(f(on), f(ng)) });
      out.push({
        streams: ng.streams,
        onrampMode: mode,
        cpuPerStream: pair((r) => r.cpu.perStreamPercentOfCore),
        rssPerStream: pair((r) => r.rss.perStreamMb),
        rssAddedPerStream: pair((r) => r.rss.perStreamIncrementMb),
      });
    }
  }
  return out;
}

async function bench(o: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const errors: string[] = [];
  const specs = fixtureSpecs(o.quick);
  log(`fixture ${specs.load.width}x${specs.load.height}, ${specs.load.keyframeIntervalSec} s GOP (made once with ffmpeg into bench/.cache/)`);
  const load = await prepareFixture(specs.load);
  const latencyFixture = o.browser ? await prepareFixture(specs.latency) : undefined;
  const onramp: Target = new OnrampTarget(o.cpuProfileDir === undefined ? {} : { cpuProfileDir: o.cpuProfileDir });
  const found = o.nginx ? detectNginx() : { available: false as const, reason: 'not run (--no-nginx)' };
  const nginxTarget = found.available ? new NginxTarget(found) : undefined;
  const nginx: NginxInfo = found.available
    ? {
        status: 'ok', binary: found.binary, version: found.version, module: found.modulePath,
        workerProcesses: NGINX_WORKER_PROCESSES, fragmentSec: NGINX_FRAGMENT_SEC, playlistSec: NGINX_PLAYLIST_SEC,
      }
    : { status: 'skipped', reason: found.reason };
  log(found.available
    ? `nginx-rtmp: nginx ${found.version} (${found.binary}), module ${found.modulePath ?? 'built in'}, worker_processes ${NGINX_WORKER_PROCESSES}`
    : `nginx-rtmp skipped: ${found.reason}`);
  const plan: ReadonlyArray<{ readonly target: Target; readonly modes: readonly PackagingMode[] }> = [
    { target: onramp, modes: ONRAMP_MODES.filter((m) => (o.onrampModes as readonly string[]).includes(m)) },
    ...(nginxTarget ? [{ target: nginxTarget, modes: NGINX_MODES }] : []),
  ];
  const runs: RunResult[] = [];
  for (const streams of o.streams) {
    for (const { target, modes } of plan) {
      for (const mode of modes) {
        log(`${target.name} ${mode} × ${streams} streams: ${o.warmupSec} s warm-up + ${o.seconds} s`);
        try {
          const r = await runScenario(target, {
            mode,
            streams,
            seconds: o.seconds,
            warmupSec: o.warmupSec,
            fixturePath: load.file,
            keyframeIntervalMs: load.keyframeIntervalSec * 1000,
            viewers: o.viewers,
            watch: o.watch,
            pollMs: o.pollMs,
            sampleStreams: o.sampleStreams,
          });
          runs.push(r);
          log(`  cpu ${r.cpu.percentOfCore}% of a core (${r.cpu.perStreamPercentOfCore}% per stream), peak RSS ${r.rss.peakMb} MB, ` +
            `availability p50 ${r.availability.p50Ms ?? '–'} ms p99 ${r.availability.p99Ms ?? '–'} ms, on time ${r.onTime.allOnTime}`);
        } catch (err) {
          const message = `${target.name} ${mode} × ${streams}: ${err instanceof Error ? err.message : String(err)}`;
          errors.push(message);
          log(`  FAILED: ${message}`);
        }
      }
    }
  }
  let latency: { llHls: LatencyResult; dash: LatencyResult };
  if (!o.browser || !latencyFixture) {
    const skipped: LatencyResult = { status: 'skipped', reason: '--no-browser' };
    latency = { llHls: skipped, dash: skipped };
  } else {
    log(`glass-to-glass latency in Chromium (${latencyFixture.keyframeIntervalSec} s GOP, ${o.watchSec} s per player)`);
    try {
      latency = await measureGlassToGlass(onramp, latencyFixture.file, o.watchSec);
    } catch (err) {
      const failed: LatencyResult = { status: 'failed', reason: err instanceof Error ? err.message : String(err) };
      latency = { llHls: failed, dash: failed };
    }
    for (const [what, l] of [['LL-HLS', latency.llHls], ['DASH', latency.dash]] as const) {
      if (l.status === 'failed') errors.push(`${what} latency: ${l.reason}`);
    }
  }
  return {
    benchVersion: 2,
    startedAt,
    finishedAt: new Date().toISOString(),
    options: o,
    machine: describeMachine(),
    fixtures: latencyFixture ? { load, latency: latencyFixture } : { load },
    runs,
    cmafCost: cmafCost(runs),
    nginx,
    versusNginx: nginxTarget ? versusNginx(runs, nginxTarget.name) : [],
    latency,
    errors,
  };
}

async function main(): Promise<number> {
  let o: BenchOptions | 'help';
  try {
    o = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (o === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const report = await bench(o);
  const files = await writeReport(report, o.outDir);
  process.stdout.write(renderMarkdown(report));
  log(`wrote ${files.json} and ${files.md}`);
  return report.errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
