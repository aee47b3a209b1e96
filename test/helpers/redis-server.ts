// A private redis-server for tests that stop and restart Redis: a free port chosen by the OS,
// bound to 127.0.0.1, no persistence unless asked (stop({ save: true }) then restart() keeps
// the data). A watchdog kills the server if the test process dies without cleaning up.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../bench/free-port.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The shared Redis most BullMQ tests use, each under its own key prefix. */
export const SHARED_REDIS_PORT = 6379;
export const SHARED_REDIS_URL = `redis://127.0.0.1:${SHARED_REDIS_PORT}`;

/** Deletes every key under `prefix:` (what a test's queues left behind). */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:port */
  readonly url: string;
  readonly running: boolean;
  /** Stops the server (SIGTERM, SIGKILL after 3 s) and waits for it to exit. With `save`, it
   *  writes its data first (SHUTDOWN SAVE) so that restart() brings it back. */
  stop(opts?: { readonly save?: boolean }): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  restart(): Promise<void>;
  /** Stops it and removes its working directory. */
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}


/** Sends one inline command and resolves with the first reply line (or rejects). */
export function redisCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (err: Error | undefined, line?: string): void => {
      socket.destroy();
      if (err !== undefined) reject(err);
      else resolve(line ?? '');
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`redis ${command}: timeout`)));
    socket.once('error', (err) => done(err));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      const end = buf.indexOf('\r\n');
      if (end >= 0) done(undefined, buf.slice(0, end));
    });
    socket.once('close', () => done(new Error(`redis ${command}: connection closed`)));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True when a Redis answers PING on 127.0.0.1:port. */
export async function redisAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  try {
    return (await redisCommand(port, 'PING', timeoutMs)) === '+PONG';
  } catch {
    return false;
  }
}

export async function startRedisServer(): Promise<RedisServer> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), 'onramp-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  let stderr = '';

  const spawnServer = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'dump.rdb', '--loglevel', 'warning'];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    live.add(proc);
    proc.stderr?.on('data', (b: Buffer) => {
      if (stderr.length < 10_000) stderr += b.toString();
    });
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.once('exit', () => live.delete(proc));
    proc.once('error', () => live.delete(proc));
    // Kills the server if this process dies (even by SIGKILL, when no exit hook runs).
    const wd = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${proc.pid ?? 0} 2>/dev/null; do sleep 1; done; kill -9 ${proc.pid ?? 0} 2>/dev/null`], {
      stdio: 'ignore',
    });
    wd.unref();
    watchdog = wd;
    const deadline = Date.now() + 5000;
    for (;;) {
      if (await redisAnswers(port, 200)) return;
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`redis-server exited at start: ${stderr.trim()}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        await exited;
        throw new Error(`redis-server did not answer PING on port ${port} within 5 s: ${stderr.trim()}`);
      }
      await Promise.race([exited, sleep(50)]);
    }
  };

  const stop = async (opts: { readonly save?: boolean } = {}): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    if (opts.save === true) await redisCommand(port, 'SHUTDOWN SAVE', 3000).catch(() => undefined);
    else proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
    watchdog?.kill('SIGKILL');
    watchdog = undefined;
  };

  await spawnServer();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    stop,
    restart: async () => {
      await stop();
      await spawnServer();
    },
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
