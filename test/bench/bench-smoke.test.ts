// Keeps `npm run bench` working: a quick run (2 publishers, a few seconds, no browser) must exit 0
// and write a JSON report with every figure present. No timing thresholds: figures are not judged here.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/bench-results.js';
import { requireTool } from '../helpers/tools.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const enabled = requireTool('ffmpeg');

function runBench(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer): void => void (output = (output + b.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), 100_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!enabled)('npm run bench -- --quick', () => {
  let out: string | undefined;
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('runs and writes a report with every figure', async () => {
    out = await mkdtemp(join(tmpdir(), 'onramp-bench-smoke-'));
    const { code, output } = await runBench(['--quick', '--no-browser', '--out', out]);
    expect(code, output).toBe(0);
    const files = await readdir(out);
    const json = files.find((f) => /^bench-.*\.json$/.test(f));
    expect(json, `report files: ${files.join(', ')}`).toBeDefined();
    expect(files.some((f) => /^bench-.*\.md$/.test(f))).toBe(true);
    const report = JSON.parse(await readFile(join(out, json!), 'utf8')) as BenchReport;

    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(report.fixtures.load.measuredVideoKbps).toBeGreaterThan(0);
    expect(report.errors).toEqual([]);
    expect(report.runs.filter((r) => r.target === 'onramp').map((r) => r.mode).sort()).toEqual(['ts', 'ts+cmaf']);
    // nginx-rtmp runs too where nginx and libnginx-mod-rtmp are installed, else the report says why not.
    if (report.nginx.status === 'ok') {
      expect(report.runs.filter((r) => r.target === 'nginx-rtmp').map((r) => r.mode)).toEqual(['ts+dash']);
      expect(report.versusNginx.map((c) => c.onrampMode).sort()).toEqual(['ts', 'ts+cmaf']);
      for (const c of report.versusNginx) {
        expect(c.cpuPerStream.ratio).toBeGreaterThan(0);
        expect(c.rssPerStream.ratio).toBeGreaterThan(0);
      }
    } else {
      expect(report.nginx.reason).not.toBe('');
      expect(report.runs.every((r) => r.target === 'onramp')).toBe(true);
      expect(report.versusNginx).toEqual([]);
    }
    for (const r of report.runs) {
      expect(r.connected, `${r.mode}: every publisher connected`).toBe(r.streams);
      expect(r.cpu.cpuSecPerSec).toBeGreaterThan(0);
      expect(r.cpu.processes).toBeGreaterThan(0);
      expect(r.cpu.perStreamPercentOfCore).toBeGreaterThan(0);
      expect(r.rss.peakMb).toBeGreaterThan(0);
      expect(r.rss.perStreamMb).toBeGreaterThan(0);
      expect(r.availability.segments, `${r.mode}: segments matched to their keyframes`).toBeGreaterThan(0);
      expect(typeof r.availability.p50Ms).toBe('number');
      expect(typeof r.availability.p99Ms).toBe('number');
      expect(r.onTime.streamsWatched).toBe(r.streams);
      expect(typeof r.onTime.allOnTime).toBe('boolean');
      expect(r.loadGenerator.sentMbps).toBeGreaterThan(0);
    }
    expect(report.cmafCost).toHaveLength(1);
    expect(report.cmafCost[0].ratio).toBeGreaterThan(0);
    expect(report.latency.llHls.status).toBe('skipped');
  }, 120_000);
});
