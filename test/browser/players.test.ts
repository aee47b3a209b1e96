// Real players in headless Chromium, from another origin (so CORS too): hls.js plays the live
// MPEG-TS HLS, dash.js the live DASH, hls.js with lowLatencyMode the low-latency HLS; latency is
// measured by each (HLS: from EXT-X-PROGRAM-DATE-TIME; DASH: dash.js with Onramp's UTCTiming clock).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, launchBrowser, type BrowserSession } from '../helpers/browser.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { playInPage, servePlayerPage, type PlaybackReport, type PlayerPageServer } from '../helpers/player-page.js';
import { killAll, type RunResult } from '../helpers/processes.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';

const enabled = requireTool('ffmpeg') && requireTool(CHROMIUM_PATH, ['--version'], `Chromium (${CHROMIUM_PATH})`);
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

describe.skipIf(!enabled)('players in Chromium', () => {
  let t: TestServer | undefined;
  let pages: PlayerPageServer | undefined;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    t = await startTestServer();
    pages = await servePlayerPage();
    session = await launchBrowser();
  });
  afterEach(() => killAll());
  afterAll(async () => {
    killAll();
    await session?.close();
    await pages?.close();
    await t?.stop();
  });

  async function publishAndWait(name: string, manifest: string, ready: (text: string) => boolean): Promise<string> {
    const server = t!;
    let published: RunResult | undefined;
    void ffmpegLivePublish(server.rtmpUrl(`live/${name}`), 30).then((r) => (published = r));
    const src = server.httpUrl(`/live/${name}/${manifest}`);
    await waitFor(`${manifest} to be ready`, async () => {
      if (published) throw new Error(`ffmpeg stopped early (exit ${published.code}): ${published.stderr}`);
      const res = await fetch(src).catch(() => undefined);
      return res?.ok && ready(await res.text());
    }, 20_000);
    return src;
  }

  function expectPlayed(report: PlaybackReport, label: string): void {
    const latency = report.latencySec === undefined ? 'not measured' : `${report.latencySec.toFixed(2)} s`;
    console.log(`${label}: started in ${report.startupMs.toFixed(0)} ms, advanced ${report.advancedSec.toFixed(2)} s, latency ${latency}, ${report.stalls} stalls`);
    expect(report.fatalErrors, `${label}: no fatal player errors`).toEqual([]);
    expect(report.consoleErrors, `${label}: no console errors`).toEqual([]);
    expect(report.externalRequests, `${label}: nothing loaded from outside this machine`).toEqual([]);
    expect(report.advancedSec, `${label}: video currentTime advances`).toBeGreaterThanOrEqual(5);
    expect(report.latencySec, `${label}: latency measured`).toBeDefined();
    expect(report.latencySec!).toBeGreaterThan(0);
  }

  it('hls.js plays the live MPEG-TS HLS stream', async () => {
    const src = await publishAndWait('hlsts', 'index.m3u8', (text) => text.includes('#EXTINF'));
    const page = await session!.newPage();
    try {
      await page.goto(pages!.url);
      const report = await playInPage(page, { player: 'hls.js', src, watchMs: 8_000 });
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}hls-js-playback.png` });
      expect(report.mseH264Aac, 'Chromium plays H.264/AAC through MSE').toBe(true);
      expectPlayed(report, 'hls.js (MPEG-TS)');
      expect([report.videoWidth, report.videoHeight]).toEqual([320, 180]);
      expect(report.latencySec!).toBeLessThan(15);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('dash.js plays the live DASH stream', async () => {
    const src = await publishAndWait('dashjs', 'index.mpd', (mpd) => (mpd.match(/<S /g) ?? []).length >= 2);
    const page = await session!.newPage();
    try {
      await page.goto(pages!.url);
      const report = await playInPage(page, { player: 'dash.js', src, watchMs: 8_000 });
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}dash-js-playback.png` });
      expectPlayed(report, 'dash.js');
      expect(report.latencySec!).toBeLessThan(15);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('hls.js with lowLatencyMode plays the LL-HLS stream close to live', async () => {
    const src = await publishAndWait('llhls', 'll.m3u8', (text) => text.includes('#EXT-X-STREAM-INF'));
    const page = await session!.newPage();
    try {
      await page.goto(pages!.url);
      // As a low-latency player should be set up: it may play up to 1.5× to reach PART-HOLD-BACK.
      const report = await playInPage(page, { player: 'hls.js', src, lowLatency: true, watchMs: 8_000, config: { maxLiveSyncPlaybackRate: 1.5 } });
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}hls-js-low-latency.png` });
      expectPlayed(report, 'hls.js low latency');
      expect(report.latencySec!, 'LL-HLS plays within a few seconds of live').toBeLessThan(6);
    } finally {
      await page.close();
    }
  }, 60_000);
});
