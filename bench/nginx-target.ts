// nginx with its RTMP module (libnginx-mod-rtmp) as a benchmark target: HLS + DASH on, one worker,
// its own config and files in a temporary folder; master and workers killed however the run ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeOnExit, stopChild, track } from './child-processes.js';
import { freePorts } from './free-port.js';
import { childPids } from './proc-stats.js';
import type { StartOptions, Target, TargetInstance } from './target.js';

const START_TIMEOUT_MS = 20_000;
const MAX_WARNING_LINES = 10;
/** One worker: nginx-rtmp's live streams are per worker (several need rtmp_auto_push), and one
 *  event loop is what Onramp's figures are compared with. */
export const NGINX_WORKER_PROCESSES = 1;
export const NGINX_TARGET_NAME = 'nginx-rtmp';
export const NGINX_FRAGMENT_SEC = 2;
export const NGINX_PLAYLIST_SEC = 12;
const BINARIES = ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
const MODULE_FILE = 'ngx_rtmp_module.so';
const MODULE_DIRS = ['/usr/lib/nginx/modules', '/usr/lib64/nginx/modules', '/usr/local/nginx/modules'];
const MODULE_CONFS = ['/usr/share/nginx/modules-available/mod-rtmp.conf', '/etc/nginx/modules-enabled/50-mod-rtmp.conf'];
const INSTALL_HINT = 'Debian/Ubuntu: apt-get install nginx libnginx-mod-rtmp';

export interface NginxInstall {
  readonly binary: string;
  readonly version: string;
  /** The dynamic module to load; undefined when the RTMP module is built into the binary. */
  readonly modulePath: string | undefined;
}

export type NginxDetection = ({ readonly available: true } & NginxInstall) | { readonly available: false; readonly reason: string };

/** Finds nginx (`nginx -V`) and its RTMP module (the .so in the modules folder, or the one the
 *  Debian package's mod-rtmp.conf loads, or built in). */
export function detectNginx(): NginxDetection {
  for (const binary of BINARIES) {
    const r = spawnSync(binary, ['-V'], { encoding: 'utf8', timeout: 5000 });
    if (r.error || r.status !== 0) continue;
    const text = `${r.stdout}\n${r.stderr}`;
    const version = /nginx version: nginx\/(\S+)/.exec(text)?.[1] ?? 'unknown';
    if (/--add-module=\S*rtmp/.test(text)) return { available: true, binary, version, modulePath: undefined };
    const prefix = /--prefix=(\S+)/.exec(text)?.[1] ?? '/usr/share/nginx';
    const modulesPath = /--modules-path=(\S+)/.exec(text)?.[1];
    const candidates = [...(modulesPath ? [modulesPath] : []), ...MODULE_DIRS].map((d) => join(d, MODULE_FILE));
    for (const conf of MODULE_CONFS) {
      const m = existsSync(conf) ? /^\s*load_module\s+([^;\s]+)\s*;/m.exec(readFileSync(conf, 'utf8')) : null;
      if (m) candidates.push(isAbsolute(m[1]) ? m[1] : resolve(prefix, m[1]));
    }
    const modulePath = candidates.find((f) => existsSync(f));
    if (modulePath === undefined) {
      return { available: false, reason: `nginx ${version} (${binary}) has no RTMP module (looked for ${[...new Set(candidates)].join(', ')}; ${INSTALL_HINT})` };
    }
    return { available: true, binary, version, modulePath };
  }
  return { available: false, reason: `nginx not found (${INSTALL_HINT})` };
}

export interface NginxConfigOptions {
  readonly dir: string;
  readonly rtmpPort: number;
  readonly httpPort: number;
  readonly modulePath: string | undefined;
  readonly streams: number;
  /** Run the workers as root (the master is root; the default user could not write the folder). */
  readonly asRoot: boolean;
}

/** nginx.conf for one run: everything (logs, pid, temp paths, HLS and DASH files) under `dir`. */
export function nginxConfig(o: NginxConfigOptions): string {
  const connections = Math.max(1024, o.streams * 2 + 256);
  const d = o.dir;
  return `# Written by the Onramp benchmark (bench/nginx-target.ts) for one run; nothing outside ${d} is used.
${o.modulePath ? `load_module ${o.modulePath};\n` : ''}${o.asRoot ? 'user root;\n' : ''}worker_processes ${NGINX_WORKER_PROCESSES};
worker_rlimit_nofile ${connections * 2 + o.streams * 8};
error_log ${d}/error.log warn;
pid ${d}/nginx.pid;

events {
  worker_connections ${connections};
}

rtmp {
  server {
    listen 127.0.0.1:${o.rtmpPort};
    chunk_size 4096;
    application live {
      live on;
      hls on;
      hls_path ${d}/hls;
      hls_fragment ${NGINX_FRAGMENT_SEC}s;
      hls_playlist_length ${NGINX_PLAYLIST_SEC}s;
      dash on;
      dash_path ${d}/dash;
      dash_fragment ${NGINX_FRAGMENT_SEC}s;
      dash_playlist_length ${NGINX_PLAYLIST_SEC}s;
    }
  }
}

http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${d}/temp/client_body;
  proxy_temp_path ${d}/temp/proxy;
  fastcgi_temp_path ${d}/temp/fastcgi;
  uwsgi_temp_path ${d}/temp/uwsgi;
  scgi_temp_path ${d}/temp/scgi;
  types {
    application/vnd.apple.mpegurl m3u8;
    video/mp2t ts;
    application/dash+xml mpd;
    video/mp4 mp4 m4v m4s;
    audio/mp4 m4a;
  }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${o.httpPort};
    location /hls {
      root ${d};
      add_header Cache-Control no-cache;
    }
    location /dash {
      root ${d};
      add_header Cache-Control no-cache;
    }
  }
}
`;
}

/** `-e` (the error log before the config is read) exists from nginx 1.19.5. */
function hasErrorLogFlag(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)));
}

// Process groups still running and their folders, killed and removed on exit and on signals,
// ahead of child-processes.ts's own handlers (which kill only the master, so the workers would stay).
const running = new Map<number, string>();
let exitHooked = false;

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killAllGroupsNow(): void {
  for (const [pgid, dir] of running) {
    signalGroup(pgid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }
  running.clear();
}

/** Called after track(), so child-processes.ts has its signal handlers (which exit) in place. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.prependListener('exit', killAllGroupsNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.prependListener(signal, killAllGroupsNow);
}

export class NginxTarget implements Target {
  readonly name = NGINX_TARGET_NAME;
  readonly app = 'live';
  private child: ChildProcess | undefined;
  private dir: string | undefined;
  private dirCleanup: { forget(): void } | undefined;
  private output = '';
  private errorLogOffset = 0;

  constructor(private readonly install: NginxInstall) {}

  async start(opts: StartOptions): Promise<TargetInstance> {
    if (this.child) throw new Error('nginx target already started');
    if (opts.mode !== 'ts+dash') throw new Error(`nginx-rtmp runs HLS (TS) + DASH only ('ts+dash'), not '${opts.mode}'`);
    this.output = '';
    this.errorLogOffset = 0;
    const dir = await mkdtemp(join(tmpdir(), 'onramp-bench-nginx-'));
    this.dir = dir;
    // Removed on exit even if nginx never starts (once it has, killAllGroupsNow removes it first).
    this.dirCleanup = removeOnExit(dir);
    const [rtmpPort, httpPort] = await freePorts(2);
    const configFile = join(dir, 'nginx.conf');
    try {
      await Promise.all(['hls', 'dash', 'temp'].map((d) => mkdir(join(dir, d))));
      await writeFile(configFile, nginxConfig({
        dir, rtmpPort, httpPort, modulePath: this.install.modulePath, streams: opts.streams, asRoot: process.getuid?.() === 0,
      }));
    } catch (err) {
      await this.stop();
      throw err;
    }
    const args = ['-p', `${dir}/`, '-c', configFile, ...(hasErrorLogFlag(this.install.version) ? ['-e', join(dir, 'error.log')] : []), '-g', 'daemon off; master_process on;'];
    // detached: a new process group led by the master, which its workers join.
    const child = track(spawn(this.install.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
    this.child = child;
    if (child.pid !== undefined) running.set(child.pid, dir);
    hookExit();
    const keep = (b: Buffer): void => void (this.output = (this.output + b.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await this.untilReady(child, httpPort);
    this.errorLogOffset = this.errorLogSize();
    const master = child.pid ?? 0;
    return { rtmpPort, httpPort, pid: master, processes: () => [master, ...childPids(master)] };
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child) {
      const pgid = child.pid;
      // SIGTERM is nginx's fast shutdown: the master stops its workers, waits for them, exits.
      await stopChild(child, 'SIGTERM', 10_000);
      if (pgid !== undefined) {
        for (let i = 0; i < 100 && signalGroup(pgid, 0); i++) {
          signalGroup(pgid, 'SIGKILL');
          await sleep(20);
        }
        running.delete(pgid);
      }
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    this.dirCleanup?.forget();
    this.dir = undefined;
    this.dirCleanup = undefined;
  }

  /** nginx-rtmp names its files after the stream, in one folder per format (hls_nested off). */
  paths(name: string): { hls: string; dash: string } {
    return { hls: `/hls/${name}.m3u8`, dash: `/dash/${name}.mpd` };
  }

  playlistFile(name: string): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, 'hls', `${name}.m3u8`);
  }

  /** Lines nginx wrote to its error log (level warn and above) since it became ready. */
  warnings(): { count: number; last: readonly string[] } {
    if (this.dir === undefined) return { count: 0, last: [] };
    let text: string;
    try {
      text = readFileSync(join(this.dir, 'error.log')).subarray(this.errorLogOffset).toString('utf8');
    } catch {
      return { count: 0, last: [] };
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    return { count: lines.length, last: lines.slice(-MAX_WARNING_LINES) };
  }

  private errorLogSize(): number {
    try {
      return this.dir === undefined ? 0 : statSync(join(this.dir, 'error.log')).size;
    } catch {
      return 0;
    }
  }

  private errorLogTail(): string {
    try {
      return this.dir === undefined ? '' : readFileSync(join(this.dir, 'error.log'), 'utf8').slice(-2000).trim();
    } catch {
      return '';
    }
  }

  /** Ready once the worker answers HTTP (the master listens before it forks the worker). */
  private async untilReady(child: ChildProcess, httpPort: number): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const why = this.output.trim() || this.errorLogTail();
        await this.stop();
        throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}) while starting: ${why}`);
      }
      const ok = await fetch(`http://127.0.0.1:${httpPort}/`).then(async (r) => (await r.arrayBuffer(), true), () => false);
      if (ok) return;
      if (Date.now() > deadline) {
        const why = this.output.trim() || this.errorLogTail();
        await this.stop();
        throw new Error(`nginx did not answer on port ${httpPort} within ${START_TIMEOUT_MS} ms: ${why}`);
      }
      await sleep(50);
    }
  }
}
