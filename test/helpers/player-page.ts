// The player test page from Node: a tiny HTTP server for the page and its player libraries, and playInPage, which drives it.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { ConsoleMessage, Page, Request } from 'playwright-core';

export type PlayerName = 'hls.js' | 'dash.js';

const require = createRequire(import.meta.url);

/** The page, found next to this source file (a compiled copy elsewhere passes its own path). */
const DEFAULT_PAGE = fileURLToPath(new URL('../fixtures/player/index.html', import.meta.url));

/** Everything the page loads comes from here: the page itself and the players from node_modules. */
function pageFiles(pagePath: string): ReadonlyMap<string, { readonly path: string; readonly type: string }> {
  return new Map([
    ['/', { path: pagePath, type: 'text/html; charset=utf-8' }],
    ['/lib/hls.js', { path: require.resolve('hls.js/dist/hls.js'), type: 'text/javascript; charset=utf-8' }],
    ['/lib/dash.js', { path: require.resolve('dashjs'), type: 'text/javascript; charset=utf-8' }], // dist/modern/umd/dash.all.min.js
  ]);
}

export interface PlayerPageServer {
  /** The page's address (its own origin, distinct from Onramp's, so playback exercises CORS). */
  readonly url: string;
  close(): Promise<void>;
}

export async function servePlayerPage(pagePath: string = DEFAULT_PAGE): Promise<PlayerPageServer> {
  const files = pageFiles(pagePath);
  const server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    readFile(file.path).then(
      (body) => res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(body),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface PlayOptions {
  readonly player: PlayerName;
  /** The stream: an HLS playlist for hls.js, an MPD for dash.js. */
  readonly src: string;
  /** hls.js: lowLatencyMode; dash.js: live catch-up on. */
  readonly lowLatency?: boolean;
  /** How long to watch once playback has started. */
  readonly watchMs: number;
  /** How long playback may take to start (default 20 s). */
  readonly startTimeoutMs?: number;
  /** Passed through: the Hls constructor's config, or dash.js updateSettings(). Plain JSON only. */
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface PlaybackReport {
  readonly player: PlayerName;
  readonly currentTimeStart: number;
  readonly currentTimeEnd: number;
  readonly advancedSec: number;
  /** Wall-clock latency at the end (hls.js: now − EXT-X-PROGRAM-DATE-TIME of the playing frame;
   *  dash.js: getCurrentLiveLatency()). Undefined when the player could not tell. */
  readonly latencySec?: number;
  /** hls.js: hls.latency (media-time distance from the live edge); dash.js: same as latencySec. */
  readonly playerLatencySec?: number;
  /** latencySec sampled every half second while watching. */
  readonly latencySamplesSec: readonly number[];
  /** From startPlayback() to the first 'playing' event. */
  readonly startupMs: number;
  readonly stalls: number;
  readonly droppedFrames: number;
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly buffered: ReadonlyArray<readonly [number, number]>;
  readonly mseH264Aac: boolean;
  /** Player errors, fatal and not, with details; fatal ones are also in fatalErrors. */
  readonly errors: string[];
  readonly fatalErrors: string[];
  /** console.error messages and uncaught exceptions in the page. */
  readonly consoleErrors: string[];
  /** Requests to anything but this machine (the network is closed: there must be none). */
  readonly externalRequests: string[];
}

/** window.report() in the page (test/fixtures/player/index.html). */
interface PageReport {
  readonly player: PlayerName;
  readonly mseH264Aac: boolean;
  readonly started: boolean;
  readonly startupMs: number | null;
  readonly currentTime: number;
  readonly paused: boolean;
  readonly readyState: number;
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly buffered: Array<[number, number]>;
  readonly stalls: number;
  readonly droppedFrames: number;
  readonly latencySec: number | null;
  readonly playerLatencySec: number | null;
  readonly errors: string[];
  readonly fatalErrors: string[];
}

interface StartResult {
  readonly ok: boolean;
  readonly reason: string;
}

const SAMPLE_MS = 500;

async function readReport(page: Page): Promise<PageReport> {
  const r = await page.evaluate<PageReport | undefined>('typeof window.report === "function" ? window.report() : undefined');
  if (typeof r?.currentTime !== 'number' || !Array.isArray(r.errors)) throw new Error('the page gave no report: is it the player page?');
  return r;
}

function isLocal(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
}

interface PageLog {
  readonly consoleErrors: readonly string[];
  readonly externalRequests: readonly string[];
}

function describeState(r: PageReport, log: PageLog): string {
  const buffered = r.buffered.map(([s, e]) => `${s.toFixed(2)}-${e.toFixed(2)}`).join(',') || 'nothing';
  const external = log.externalRequests.length > 0 ? `; requests off this machine: ${JSON.stringify(log.externalRequests)}` : '';
  return `currentTime ${r.currentTime.toFixed(2)}, readyState ${r.readyState}, paused ${r.paused}, buffered ${buffered}; ` +
    `player errors: ${JSON.stringify(r.errors)}; console errors: ${JSON.stringify(log.consoleErrors)}${external}`;
}

/** Waits until the video plays (first 'playing' and currentTime > 0); throws with the page's state
 *  on a fatal player error or when the time runs out. */
async function untilPlaying(page: Page, timeoutMs: number, log: PageLog): Promise<PageReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await readReport(page);
    if (r.fatalErrors.length > 0) throw new Error(`${r.player} failed before playing: ${describeState(r, log)}`);
    if (r.started && r.currentTime > 0) return r;
    if (Date.now() > deadline) throw new Error(`${r.player} did not start playing within ${timeoutMs} ms: ${describeState(r, log)}`);
    await sleep(100);
  }
}

/** Plays a stream in a page already showing the player page (page.goto(servePlayerPage().url)),
 *  watches it for watchMs after it starts, and reports. Throws when the browser cannot play
 *  H.264/AAC, when the player cannot start, or when playback does not begin in time. */
export async function playInPage(page: Page, opts: PlayOptions): Promise<PlaybackReport> {
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  const onConsole = (m: ConsoleMessage): void => {
    if (m.type() !== 'error') return;
    const at = m.location().url;
    consoleErrors.push(at ? `${m.text()} (${at}:${m.location().lineNumber})` : m.text());
  };
  const onPageError = (e: Error): void => void consoleErrors.push(`uncaught ${e.name}: ${e.message}`);
  const onRequest = (r: Request): void => {
    if (!isLocal(r.url())) externalRequests.push(r.url());
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('request', onRequest);
  try {
    const isPlayerPage = await page.evaluate<boolean>('typeof window.startPlayback === "function"');
    if (!isPlayerPage) throw new Error(`playInPage: ${page.url()} is not the player page; goto servePlayerPage().url first`);
    const args = JSON.stringify({ player: opts.player, src: opts.src, lowLatency: opts.lowLatency ?? false, config: opts.config });
    const start = await page.evaluate<StartResult>(`window.startPlayback(${args})`);
    if (!start.ok) throw new Error(`${opts.player} could not start: ${start.reason}`);

    const first = await untilPlaying(page, opts.startTimeoutMs ?? 20_000, { consoleErrors, externalRequests });
    const samples: number[] = [];
    const endAt = Date.now() + opts.watchMs;
    let last = first;
    while (Date.now() < endAt && last.fatalErrors.length === 0) {
      await sleep(Math.min(SAMPLE_MS, endAt - Date.now()));
      last = await readReport(page);
      if (last.latencySec !== null) samples.push(last.latencySec);
    }
    return {
      player: opts.player,
      currentTimeStart: first.currentTime,
      currentTimeEnd: last.currentTime,
      advancedSec: last.currentTime - first.currentTime,
      latencySec: last.latencySec ?? undefined,
      playerLatencySec: last.playerLatencySec ?? undefined,
      latencySamplesSec: samples,
      startupMs: first.startupMs ?? Number.NaN,
      stalls: last.stalls,
      droppedFrames: last.droppedFrames,
      videoWidth: last.videoWidth,
      videoHeight: last.videoHeight,
      buffered: last.buffered,
      mseH264Aac: last.mseH264Aac,
      errors: last.errors,
      fatalErrors: last.fatalErrors,
      consoleErrors: [...consoleErrors],
      externalRequests: [...externalRequests],
    };
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('request', onRequest);
  }
}
