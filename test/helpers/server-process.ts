// Onramp as a real child process (the built CLI), for tests that must kill it: `kill -9` in the
// middle of a stream, SIGTERM. The build goes to test-artifacts/server-<pid>/ inside the repository,
// so the child resolves node_modules like `npm start` does; it is built once per test worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { run } from './processes.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_DIR = join(REPO, 'test-artifacts', `server-${process.pid}`);
let built: Promise<string> | undefined;

/** Compiles src/ and pipeline/ once for this worker; returns the path of main.js. */
export function buildServer(): Promise<string> {
  built ??= (async () => {
    await removeStaleBuilds();
    const r = await run('npx', ['tsc', '-p', join(REPO, 'tsconfig.build.json'), '--outDir', BUILD_DIR], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`building the server failed:\n${r.stdout.toString()}${r.stderr}`);
    return join(BUILD_DIR, 'src', 'main.js');
  })();
  return built;
}

/** Builds of test workers that are gone (each worker builds into server-<its pid>). */
async function removeStaleBuilds(): Promise<void> {
  const root = join(REPO, 'test-artifacts');
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^server-(\d+)$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly rtmpPort: number;
  readonly httpPort: number;
  /** Every log line so far (pino JSON). */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  rtmpUrl(path: string): string;
  httpUrl(path: string): string;
  /** Sends the signal and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** Starts the built CLI with these flags/env on OS-chosen ports and waits for "onramp started". */
export async function startServerProcess(args: readonly string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const main = await buildServer();
  const child = spawn(process.execPath, [main, '--host', '127.0.0.1', '--rtmp-port', '0', '--http-port', '0', ...args], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  let pending = '';
  const started = new Promise<{ rtmp: number; http: number }>((resolve, reject) => {
    const onData = (b: Buffer): void => {
      pending += b.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line.includes('"onramp started"')) {
          const fields = JSON.parse(line) as { rtmp: number; http: number };
          resolve({ rtmp: fields.rtmp, http: fields.http });
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => lines.push(b.toString()));
    void exited.then((code) => reject(new Error(`onramp exited (${code}) before starting:\n${lines.join('\n')}`)));
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const ports = await started.finally(() => clearTimeout(timeout));
  return {
    child, lines, exited,
    rtmpPort: ports.rtmp,
    httpPort: ports.http,
    rtmpUrl: (path) => `rtmp://127.0.0.1:${ports.rtmp}/${path}`,
    httpUrl: (path) => `http://127.0.0.1:${ports.http}${path}`,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
