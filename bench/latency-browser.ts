// Glass-to-glass latency in headless Chromium: one publisher replays the 1 s-GOP fixture in real
// time; hls.js (lowLatencyMode) plays ll.m3u8 and dash.js plays index.mpd. hls.js's figure is
// now − EXT-X-PROGRAM-DATE-TIME of the frame on screen; Onramp stamps PROGRAM-DATE-TIME from the
// wall clock when the stream's frames arrive, so it is the time from a frame reaching the server
// to it being shown: for a replayed fixture, glass-to-glass minus the encoder. dash.js reports
// its own live latency (getCurrentLiveLatency(), from the MPD timeline and UTCTiming).
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM_PATH, launchBrowser, type BrowserSession } from '../test/helpers/browser.js';
import type { LatencyResult } from './bench-results.js';
import { LOAD_GENERATOR_MAIN } from './paths.js';
import { playInPage, servePlayerPage, type PlayerPageServer as PageServer, type PlayOptions } from '../test/helpers/player-page.js';
import { PLAYER_PAGE_HTML } from './paths.js';
import { median, round } from './stats.js';
import type { Target } from './target.js';
import type { LoadGeneratorConfig, LoadGeneratorMessage } from './worker-messages.js';
import { WorkerProcess } from './worker-process.js';

export interface GlassToGlass {
  readonly llHls: LatencyResult;
  readonly dash: LatencyResult;
}

const READY_TIMEOUT_MS = 30_000;

/** As a low-latency player should be set up (and as the browser test does): hls.js may play up
 *  to 1.5× to reach PART-HOLD-BACK; by default it never speeds up and stays where it started.
 *  dash.js runs with its live catch-up on (the page's lowLatency switch). */
export const HLS_JS_CONFIG: Readonly<Record<string, unknown>> = { maxLiveSyncPlaybackRate: 1.5 };

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `Chromium is not installed at ${CHROMIUM_PATH}`;
}

async function untilReady(url: string, ready: (text: string) => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.ok && ready(await res.text())) return;
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${READY_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

async function play(session: BrowserSession, pages: PageServer, opts: PlayOptions): Promise<LatencyResult> {
  const page = await session.newPage();
  try {
    await page.goto(pages.url);
    const r = await playInPage(page, opts);
    const samples = r.latencySamplesSec;
    const mid = median(samples);
    if (mid === undefined) return { status: 'failed', reason: `${opts.player} played but reported no latency; errors: ${JSON.stringify(r.errors)}` };
    return {
      status: 'ok',
      player: opts.player,
      medianSec: round(mid, 3),
      minSec: round(Math.min(...samples), 3),
      maxSec: round(Math.max(...samples), 3),
      endSec: round(samples[samples.length - 1], 3),
      samples: samples.length,
      startupMs: round(r.startupMs, 0),
      stalls: r.stalls,
      advancedSec: round(r.advancedSec, 2),
      errors: [...r.errors, ...r.consoleErrors],
    };
  } catch (err) {
    return { status: 'failed', reason: err instanceof Error ? err.message : String(err) };
  } finally {
    await page.close().catch(() => undefined);
  }
}

export async function measureGlassToGlass(target: Target, fixturePath: string, watchSec: number): Promise<GlassToGlass> {
  const missing = chromiumMissing();
  if (missing) return { llHls: { status: 'skipped', reason: missing }, dash: { status: 'skipped', reason: missing } };
  const inst = await target.start({ mode: 'ts+cmaf', streams: 1 });
  const http = `http://127.0.0.1:${inst.httpPort}`;
  const paths = target.paths('latency');
  let lg: WorkerProcess<LoadGeneratorMessage> | undefined;
  let pages: PageServer | undefined;
  let session: BrowserSession | undefined;
  try {
    const config: LoadGeneratorConfig = { rtmpBase: `rtmp://127.0.0.1:${inst.rtmpPort}/${target.app}`, names: ['latency'], fixturePath, staggerMs: 0, tickMs: 5 };
    lg = new WorkerProcess<LoadGeneratorMessage>(LOAD_GENERATOR_MAIN, config);
    const ready = await lg.next('ready', 15_000);
    if (ready.connected !== 1) throw new Error(`the publisher could not connect: ${ready.failures.join('; ')}`);
    pages = await servePlayerPage(PLAYER_PAGE_HTML);
    session = await launchBrowser();
    const watchMs = watchSec * 1000;
    let llHls: LatencyResult = { status: 'skipped', reason: 'the target has no LL-HLS output' };
    if (paths.llHls) {
      await untilReady(http + paths.llHls, (text) => text.includes('#EXT-X-STREAM-INF'));
      llHls = await play(session, pages, { player: 'hls.js', src: http + paths.llHls, lowLatency: true, watchMs, config: HLS_JS_CONFIG });
    }
    let dash: LatencyResult = { status: 'skipped', reason: 'the target has no DASH output' };
    if (paths.dash) {
      await untilReady(http + paths.dash, (mpd) => (mpd.match(/<S /g) ?? []).length >= 2);
      dash = await play(session, pages, { player: 'dash.js', src: http + paths.dash, lowLatency: true, watchMs });
    }
    return { llHls, dash };
  } finally {
    await session?.close();
    await pages?.close();
    if (lg) {
      lg.send({ type: 'stop' });
      await lg.close(5000);
    }
    await target.stop();
  }
}
