// Renders a benchmark report as markdown and writes it, with the JSON, to the output directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport, FixtureInfo, LatencyResult, NginxComparison, NginxInfo, RunResult } from './bench-results.js';
import { machineLine } from './machine.js';
import { NGINX_TARGET_NAME } from './nginx-target.js';

function fmt(x: number | undefined, digits = 1): string {
  return x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

function fixtureLine(f: FixtureInfo): string {
  return `${f.width}×${f.height} ${f.fps} fps H.264 High with B-frames, ${f.keyframeIntervalSec} s keyframe interval, ` +
    `${fmt(f.measuredVideoKbps, 0)} kbit/s video + ${fmt(f.measuredAudioKbps, 0)} kbit/s AAC-LC, looped every ${f.loopDurationMs / 1000} s`;
}

function runRow(r: RunResult): string {
  const avail = `${fmt(r.availability.p50Ms)} / ${fmt(r.availability.p99Ms)}`;
  const onTime = `${r.onTime.allOnTime ? 'yes' : 'NO'} (${r.onTime.streamsOnTime}/${r.onTime.streamsWatched}, max gap ${fmt(r.onTime.maxGapSec, 2)} s)`;
  const http = r.http ? `${fmt(r.http.deliveredMBps, 2)} (${r.http.viewers} viewers, ${fmt(r.http.perDownloadMBps, 0)} per download)` : '–';
  const streams = r.connected === r.streams ? String(r.streams) : `${r.connected}/${r.streams}`;
  return `| ${r.target} | ${r.mode} | ${streams} | ${fmt(r.cpu.percentOfCore, 1)} | ${fmt(r.cpu.mainThreadPercentOfCore, 1)} | ${fmt(r.cpu.perStreamPercentOfCore, 2)} | ` +
    `${fmt(r.rss.peakMb)} | ${fmt(r.rss.perStreamMb, 2)} | ${fmt(r.rss.perStreamIncrementMb, 2)} | ${avail} | ${onTime} | ${http} | ${fmt(r.loadGenerator.cpuSecPerSec * 100, 1)} |`;
}

function latencyRow(what: string, l: LatencyResult): string {
  if (l.status !== 'ok') return `| ${what} | ${l.status}: ${l.reason.split('\n')[0].slice(0, 200)} | | | | |`;
  return `| ${what} | ${fmt(l.medianSec, 2)} s | ${fmt(l.endSec, 2)} s | ${fmt(l.minSec, 2)}–${fmt(l.maxSec, 2)} s (${l.samples} samples) | ${fmt(l.startupMs, 0)} ms | ${l.stalls} |`;
}

function nginxLine(n: NginxInfo): string {
  if (n.status !== 'ok') return `- nginx-rtmp: skipped, ${n.reason}`;
  return `- nginx-rtmp: nginx ${n.version} with ${n.module ?? 'its built-in RTMP module'}, \`worker_processes ${n.workerProcesses}\`, ` +
    `\`hls on\` + \`dash on\` (${n.fragmentSec} s fragments, ${n.playlistSec} s playlists), access log off; its own config in a temporary folder. ` +
    'CPU and RSS are sums over all its processes (master, worker, and the cache manager that deletes old fragments; pages they share are counted in each). ' +
    'Its playlists have no PROGRAM-DATE-TIME, so segments are matched to keyframes from the first keyframe plus the EXTINF durations';
}

function onTimeCell(r: RunResult | undefined): string {
  return r === undefined ? '–' : `${r.onTime.allOnTime ? 'yes' : 'NO'} (${r.onTime.streamsOnTime}/${r.onTime.streamsWatched})`;
}

function comparisonRow(c: NginxComparison, runs: readonly RunResult[]): string {
  const on = runs.find((x) => x.target !== NGINX_TARGET_NAME && x.mode === c.onrampMode && x.streams === c.streams);
  const ng = runs.find((x) => x.target === NGINX_TARGET_NAME && x.streams === c.streams);
  const pair = (a: number, b: number, digits: number): string => `${fmt(a, digits)} / ${fmt(b, digits)}`;
  const avail = (x: RunResult | undefined): string => (x ? `${fmt(x.availability.p50Ms)} / ${fmt(x.availability.p99Ms)}` : '–');
  return `| ${c.streams} | ${c.onrampMode} | ${pair(c.cpuPerStream.onramp, c.cpuPerStream.nginx, 3)} | **${fmt(c.cpuPerStream.ratio, 2)}** | ` +
    `${pair(c.rssPerStream.onramp, c.rssPerStream.nginx, 2)} | **${fmt(c.rssPerStream.ratio, 2)}** | ` +
    `${pair(c.rssAddedPerStream.onramp, c.rssAddedPerStream.nginx, 2)} | ${fmt(c.rssAddedPerStream.ratio, 2)} | ` +
    `${avail(on)} | ${avail(ng)} | ${onTimeCell(on)} | ${onTimeCell(ng)} |`;
}

export function renderMarkdown(r: BenchReport): string {
  const o = r.options;
  const lines: string[] = [
    `# Onramp benchmark, ${r.startedAt}${o.quick ? ' (quick)' : ''}`,
    '',
    `- Machine: ${machineLine(r.machine)}`,
    `- Load: ${fixtureLine(r.fixtures.load)}; each publisher replays it in real time over RTMP (Onramp's own client, in a separate process), start times spread over one keyframe interval`,
    `- Each run: a fresh server, ${o.warmupSec} s warm-up, then ${o.seconds} s measured; CPU from /proc utime+stime, peak RSS sampled every 250 ms`,
    o.watch === 'file'
      ? '- Availability latency: keyframe that closes a segment sent → segment listed in index.m3u8, seen through inotify on the playlist file the origin serves (every stream, no load on the server; each playlist is also fetched over HTTP at the end)'
      : `- Availability latency: keyframe that closes a segment sent → segment listed in index.m3u8, on up to ${o.sampleStreams} streams polled over HTTP every ${o.pollMs} ms (± half that; the polling is load the server must answer)`,
    nginxLine(r.nginx),
    '- Modes: `ts` HLS over MPEG-TS alone; `ts+cmaf` TS + DASH + LL-HLS (Onramp); `ts+dash` TS + DASH (nginx-rtmp)',
    '',
    '| Target | Mode | Streams | Server CPU (% of a core) | of which main thread | CPU per stream (%) | Peak RSS (MB) | RSS per stream (MB) | RSS added per stream (MB) | Availability p50 / p99 (ms) | Playlists on time | HTTP segments (MB/s) | Load generator CPU (%) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |',
    ...r.runs.map(runRow),
    '',
  ];
  const soaks = r.runs.filter((run) => (run.rss.timeline?.at(-1)?.sec ?? 0) >= 180);
  if (soaks.length > 0) {
    // Unbounded growth shows as RSS still rising after the first minutes (target: within 10 % of minute 2).
    lines.push(
      'Memory over a long run (RSS at minute 2 against the end of the measured window, before the publishers leave; the peak above also covers their leaving):',
      '',
      '| Target | Mode | Streams | RSS at 2 min (MB) | RSS at the end (MB) | Change |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
    );
    for (const run of soaks) {
      const at2 = run.rss.timeline.find((p) => p.sec >= 120);
      const end = run.rss.windowEnd ?? run.rss.timeline.at(-1);
      if (at2 === undefined || end === undefined) continue;
      lines.push(`| ${run.target} | ${run.mode} | ${run.streams} | ${fmt(at2.mb, 1)} | ${fmt(end.mb, 1)} (${end.sec} s) | ${fmt(((end.mb - at2.mb) / at2.mb) * 100, 1)} % |`);
    }
    lines.push('');
  }
  if (r.cmafCost.length > 0) {
    lines.push('CPU cost of TS + CMAF (DASH + LL-HLS) against TS alone:', '', '| Streams | TS (% of a core) | TS + CMAF (% of a core) | Ratio |', '| ---: | ---: | ---: | ---: |');
    for (const c of r.cmafCost) lines.push(`| ${c.streams} | ${fmt(c.tsCpuSecPerSec * 100, 1)} | ${fmt(c.tsCmafCpuSecPerSec * 100, 1)} | ${fmt(c.ratio, 2)} |`);
    lines.push('');
  }
  if (r.versusNginx.length > 0) {
    lines.push(
      'Onramp / nginx-rtmp at the same load (ratios below 1: Onramp uses less):',
      '',
      '| Streams | Onramp mode | CPU per stream, Onramp / nginx (% of a core) | Ratio | RSS per stream, Onramp / nginx (MB) | Ratio | RSS added per stream, Onramp / nginx (MB) | Ratio | Availability p50 / p99 Onramp (ms) | nginx (ms) | On time Onramp | nginx |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...r.versusNginx.map((c) => comparisonRow(c, r.runs)),
      '',
    );
  } else if (r.nginx.status === 'ok') {
    lines.push('Onramp / nginx-rtmp: no ratio (a run of either failed, see the errors).', '');
  }
  const lat = r.fixtures.latency ? ` (${fixtureLine(r.fixtures.latency)}, one publisher)` : '';
  lines.push(
    `Latency in headless Chromium${lat}:`,
    '',
    '| Player | Median latency | At the end | Range | Startup | Stalls |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    latencyRow('hls.js lowLatencyMode (maxLiveSyncPlaybackRate 1.5), ll.m3u8: now − PROGRAM-DATE-TIME', r.latency.llHls),
    latencyRow('dash.js with live catch-up, index.mpd: getCurrentLiveLatency()', r.latency.dash),
    '',
    'Onramp stamps EXT-X-PROGRAM-DATE-TIME from the wall clock when a stream\'s frames arrive, so the hls.js figure runs from a frame reaching the server to it being on screen: for this replayed fixture, glass-to-glass minus the encoder.',
  );
  const warned = r.runs.filter((x) => x.serverWarnings.count > 0);
  if (warned.length > 0) {
    lines.push('', 'Server warnings:', ...warned.map((x) => `- ${x.target} ${x.mode} × ${x.streams}: ${x.serverWarnings.count} lines, last: ${x.serverWarnings.last[x.serverWarnings.last.length - 1] ?? ''}`));
  }
  if (r.errors.length > 0) lines.push('', 'Errors:', ...r.errors.map((e) => `- ${e}`));
  return lines.join('\n') + '\n';
}

/** Writes bench-<date>.json and .md; returns their paths. */
export async function writeReport(r: BenchReport, outDir: string): Promise<{ json: string; md: string }> {
  await mkdir(outDir, { recursive: true });
  const stamp = r.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const json = join(outDir, `bench-${stamp}.json`);
  const md = join(outDir, `bench-${stamp}.md`);
  await writeFile(json, JSON.stringify(r, null, 2) + '\n');
  await writeFile(md, renderMarkdown(r));
  return { json, md };
}
