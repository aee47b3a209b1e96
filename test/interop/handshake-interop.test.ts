// Live interop: ffmpeg and rtmpdump clients against our ServerHandshake, our ClientHandshake against
// ffmpeg's listen mode and librtmp's rtmpsrv. Missing tools skip (fail with CI=true).
// CAPTURE_PEERS=1 rewrites the peer-*.hex fixtures that handshake-peers.test.ts replays.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientHandshake, ServerHandshake } from '../../pipeline/rtmp/handshake/index.js';
import { concat, seededRandom, writeFixture } from '../pipeline/rtmp/handshake/handshake-test-kit.js';
import { PEER_CLOCK_MS, REAL_CLIENTS, REAL_SERVERS, type RealClient, type RealServer } from '../pipeline/rtmp/handshake/handshake-peers.js';

const CAPTURE = process.env.CAPTURE_PEERS === '1';
const CI = process.env.CI === 'true';
const DEADLINE_MS = 15_000;

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why a live case cannot run here, or undefined. Under CI a missing tool is a failure, not a skip. */
function missing(tool: string): string | undefined {
  if (onPath(tool)) return undefined;
  if (CI) throw new Error(`${tool} is required with CI=true`);
  return `${tool} not on PATH`;
}

function freePort(): Promise<number | undefined> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(undefined));
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

interface Run { child: ChildProcess; log: () => string; exited: Promise<void> }

function run(tool: string, args: string[]): Run {
  const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, log: () => log, exited };
}

async function stop(r: Run): Promise<void> {
  if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  await r.exited;
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a real client against our server until the first chunk-stream bytes follow C2. */
async function serveOne(peer: RealClient): Promise<{ server: ServerHandshake; fromClient: Uint8Array; fromServer: Uint8Array; log: string }> {
  const server = new ServerHandshake({ randomBytes: seededRandom(peer.serverSeed), nowMs: () => PEER_CLOCK_MS });
  const received: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  let leftover = 0;
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  const finished = new Promise<net.Socket>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${peer.name}: no chunk stream after the handshake`)), DEADLINE_MS);
    listener.once('connection', (sock) => {
      sock.on('data', (d: Buffer) => {
        received.push(new Uint8Array(d));
        try {
          const progress = server.push(new Uint8Array(d));
          for (const o of progress.output) { sent.push(o.slice()); sock.write(o); }
          leftover += progress.leftover.reduce((n, l) => n + l.length, 0);
          if (progress.done && leftover > 0) { clearTimeout(timer); resolve(sock); }
        } catch (err) {
          clearTimeout(timer);
          reject(err as Error);
        }
      });
      sock.on('error', () => undefined);
    });
  });
  const client = run(peer.tool, peer.args(`rtmp://127.0.0.1:${port}/live/test`));
  try {
    const sock = await finished;
    await settle(150); // the rest of the connect command
    sock.destroy();
  } finally {
    await stop(client);
    listener.close();
  }
  return { server, fromClient: concat(received), fromServer: concat(sent), log: client.log() };
}

async function connectWithRetry(port: number): Promise<net.Socket> {
  const until = Date.now() + DEADLINE_MS;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
    } catch (err) {
      if (Date.now() > until) throw err;
      await settle(100);
    }
  }
}

/** Runs our client against a real server through the handshake. */
async function connectOne(peer: RealServer, port: number): Promise<{ client: ClientHandshake; fromClient: Uint8Array; fromServer: Uint8Array; log: string }> {
  const client = new ClientHandshake({ randomBytes: seededRandom(peer.clientSeed), nowMs: () => PEER_CLOCK_MS });
  const server = run(peer.tool, peer.args(port));
  const received: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  try {
    const sock = await connectWithRetry(port);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${peer.name}: handshake did not finish`)), DEADLINE_MS);
      sock.on('data', (d: Buffer) => {
        received.push(new Uint8Array(d));
        try {
          const progress = client.push(new Uint8Array(d));
          for (const o of progress.output) { sent.push(o.slice()); sock.write(o); }
          if (progress.done) { clearTimeout(timer); resolve(); }
        } catch (err) {
          clearTimeout(timer);
          reject(err as Error);
        }
      });
      for (const o of client.start()) { sent.push(o); sock.write(o); }
    });
    // Give the server time to judge C2 (and say so) before we hang up.
    const until = Date.now() + 2000;
    while (peer.logOk && !peer.logOk.test(server.log()) && Date.now() < until) await settle(50);
    await settle(200);
    sock.destroy();
    await Promise.race([server.exited, settle(1000)]);
  } finally {
    await stop(server);
  }
  return { client, fromClient: concat(sent), fromServer: concat(received), log: server.log() };
}

describe('real clients → ServerHandshake', () => {
  for (const peer of REAL_CLIENTS) {
    const reason = missing(peer.tool);
    it.skipIf(reason !== undefined)(`${peer.name}${reason ? ` (skipped: ${reason})` : ''}`, async () => {
      const { server, fromClient, fromServer, log } = await serveOne(peer);
      if (CAPTURE) {
        writeFixture(`peer-${peer.name}-from-client.hex`, fromClient, `${peer.tool} ${peer.args('rtmp://127.0.0.1:PORT/live/test').join(' ')}: C0C1, C2, then chunk stream`);
        writeFixture(`peer-${peer.name}-from-server.hex`, fromServer, `ServerHandshake(seed ${peer.serverSeed}, clock fixed at ${PEER_CLOCK_MS}) answering it`);
      }
      expect([server.scheme, server.clientVersion, server.c2Proof]).toEqual([peer.scheme, peer.clientVersion, peer.c2Proof]);
      expect(log).not.toMatch(peer.logBad);
      if (peer.logOk) expect(log).toMatch(peer.logOk);
      expect(fromClient[3073]).toBe(0x03); // chunk basic header: fmt 0, chunk stream 3 (connect)
    });
  }
});

describe('ClientHandshake → real servers', () => {
  // Live runs only against servers that take an OS-chosen port (rtmpsrv is fixed to 1935, which a
  // developer's own Onramp may hold); its captured handshake is replayed in handshake-peers.test.ts.
  for (const peer of REAL_SERVERS.filter((p) => p.port === undefined || CAPTURE)) {
    const reason = missing(peer.tool);
    it.skipIf(reason !== undefined)(`${peer.name}${reason ? ` (skipped: ${reason})` : ''}`, async (ctx) => {
      const port = peer.port ?? (await freePort());
      if (port === undefined || (peer.port !== undefined && !(await portIsFree(peer.port)))) {
        ctx.skip(`port ${peer.port ?? 'any'} is in use`);
        return;
      }
      const { client, fromClient, fromServer, log } = await connectOne(peer, port);
      if (CAPTURE) {
        writeFixture(`peer-${peer.name}-from-client.hex`, fromClient, `ClientHandshake(seed ${peer.clientSeed}, clock fixed at ${PEER_CLOCK_MS}, digest scheme 0): C0C1, C2`);
        writeFixture(`peer-${peer.name}-from-server.hex`, fromServer, `${peer.tool} ${peer.args(port).join(' ')}: S0S1S2`);
      }
      expect([client.serverScheme, client.serverVersion, client.serverDigestValid, client.s2Proof]).toEqual([
        peer.serverScheme,
        peer.serverVersion,
        peer.serverDigestValid,
        peer.s2Proof,
      ]);
      expect(log).not.toMatch(peer.logBad);
      if (peer.logOk) expect(log).toMatch(peer.logOk);
    });
  }
});
