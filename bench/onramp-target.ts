// Onramp as a benchmark target: node dist/src/main.js as a child process on free 127.0.0.1 ports,
// with its own temporary media directory, LOG_LEVEL=warn and a config file for the mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit, stopChild, track } from './child-processes.js';
import { freePorts } from './free-port.js';
import { ONRAMP_MAIN } from './paths.js';
import type { StartOptions, Target, TargetInstance } from './target.js';

const START_TIMEOUT_MS = 20_000;
const MAX_WARNING_LINES = 10;

export interface OnrampTargetOptions {
  /** Write V8 CPU profiles of each server run here (node --cpu-prof): a folder per run named after mode and streams, a file per thread. */
  readonly cpuProfileDir?: string;
}

export class OnrampTarget implements Target {
  readonly name = 'onramp';
  readonly app = 'live';
  private child: ChildProcess | undefined;
  private dir: string | undefined;
  private dirCleanup: { forget(): void } | undefined;
  private warningCount = 0;
  private lastWarnings: string[] = [];
  private output = '';

  constructor(private readonly opts: OnrampTargetOptions = {}) {}

  async start(opts: StartOptions): Promise<TargetInstance> {
    if (this.child) throw new Error('onramp target already started');
    this.warningCount = 0;
    this.lastWarnings = [];
    this.output = '';
    this.dir = await mkdtemp(join(tmpdir(), 'onramp-bench-'));
    this.dirCleanup = removeOnExit(this.dir);
    const configFile = join(this.dir, 'config.json');
    const connections = Math.max(1000, opts.streams * 2 + 100);
    await writeFile(configFile, JSON.stringify({
      cmaf: { enabled: opts.mode === 'ts+cmaf' },
      rtmp: { maxConnections: connections, maxConnectionsPerIp: connections, maxPublishesPerIp: connections },
    }));
    const [rtmpPort, httpPort] = await freePorts(2);
    const profile = this.opts.cpuProfileDir
      ? // A folder per run: Node names each thread's profile (main thread and file writers) itself.
        ['--cpu-prof', `--cpu-prof-dir=${join(this.opts.cpuProfileDir, `onramp-${opts.mode.replace('+', '-')}-${opts.streams}-${Date.now()}`)}`]
      : [];
    const args = [...profile, ONRAMP_MAIN, '--config', configFile, '--host', '127.0.0.1', '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), '--media-dir', join(this.dir, 'media')];
    const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } }));
    this.child = child;
    const onLine = (line: string): void => {
      if (line.trim() === '') return;
      this.output = (this.output + line + '\n').slice(-4000);
      this.warningCount++;
      this.lastWarnings = [...this.lastWarnings, line].slice(-MAX_WARNING_LINES);
    };
    splitLines(child.stdout, onLine);
    splitLines(child.stderr, onLine);
    await this.untilReady(child, httpPort);
    // Lines logged while starting are not warnings about the load.
    this.warningCount = 0;
    this.lastWarnings = [];
    return { rtmpPort, httpPort, pid: child.pid ?? 0 };
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child) await stopChild(child, 'SIGTERM', 10_000);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dirCleanup?.forget();
    this.dir = undefined;
    this.dirCleanup = undefined;
  }

  paths(name: string): { hls: string; llHls: string; dash: string } {
    const base = `/${this.app}/${name}`;
    return { hls: `${base}/index.m3u8`, llHls: `${base}/ll.m3u8`, dash: `${base}/index.mpd` };
  }

  playlistFile(name: string): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, 'media', this.app, name, 'index.m3u8');
  }

  warnings(): { count: number; last: readonly string[] } {
    return { count: this.warningCount, last: this.lastWarnings };
  }

  private async untilReady(child: ChildProcess, httpPort: number): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`onramp exited (${child.exitCode ?? child.signalCode}) while starting: ${this.output.trim()}`);
      }
      const ok = await fetch(`http://127.0.0.1:${httpPort}/api/streams`).then((r) => r.ok, () => false);
      if (ok) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`onramp did not answer on port ${httpPort} within ${START_TIMEOUT_MS} ms: ${this.output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function splitLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let rest = '';
  stream?.on('data', (b: Buffer) => {
    const lines = (rest + b.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  });
}
