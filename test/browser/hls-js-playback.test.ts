// hls.js plays Onramp's live HLS (MPEG-TS) in headless Chromium from another origin (so CORS too),
// with the live latency measured from EXT-X-PROGRAM-DATE-TIME.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, launchBrowser, type BrowserSession } from '../helpers/browser.js';
import { playInPage, servePlayerPage, type PlayerPageServer } from '../helpers/player-page.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { killAll, type RunResult } from '../helpers/processes.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';

const enabled = requireTool('ffmpeg') && requireTool(CHROMIUM_PATH, ['--version'], `Chromium (${CHROMIUM_PATH})`);
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const PUBLISH_SEC = 25; // outlasts the test; killed afterwards

describe.skipIf(!enabled)('hls.js in Chromium', () => {
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

  it('plays live MPEG-TS HLS: time advances, no errors, latency from PROGRAM-DATE-TIME', async () => {
    const server = t!;
    let published: RunResult | undefined;
    void ffmpegLivePublish(server.rtmpUrl('live/browser'), PUBLISH_SEC).then((r) => (published = r));
    const src = server.httpUrl('/live/browser/index.m3u8');
    await waitFor('the first segment in the playlist', async () => {
      if (published) throw new Error(`ffmpeg stopped early (exit ${published.code}): ${published.stderr}`);
      const res = await fetch(src).catch(() => undefined);
      return res?.ok && (await res.text()).includes('#EXTINF');
    }, 15_000);

    const page = await session!.newPage();
    try {
      await page.goto(pages!.url);
      const report = await playInPage(page, { player: 'hls.js', src, watchMs: 8_000 });
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}hls-js-playback.png` });
      const latency = report.latencySec === undefined ? 'not measured' : `${report.latencySec.toFixed(2)} s`;
      console.log(`hls.js: started in ${report.startupMs.toFixed(0)} ms, advanced ${report.advancedSec.toFixed(2)} s, ` +
        `latency ${latency} (PROGRAM-DATE-TIME; hls.latency ${report.playerLatencySec?.toFixed(2)} s), ` +
        `${report.stalls} stalls, ${report.droppedFrames} dropped frames`);

      expect(report.mseH264Aac, 'Chromium plays H.264/AAC through MSE').toBe(true);
      expect(report.fatalErrors, 'no fatal player errors').toEqual([]);
      expect(report.consoleErrors, 'no console errors').toEqual([]);
      expect(report.externalRequests, 'the page loads nothing from outside this machine').toEqual([]);
      expect(report.advancedSec, 'video currentTime advances while watching').toBeGreaterThanOrEqual(5);
      expect([report.videoWidth, report.videoHeight]).toEqual([320, 180]);
      expect(report.latencySec, 'latency measured from EXT-X-PROGRAM-DATE-TIME').toBeDefined();
      expect(report.latencySec!).toBeGreaterThan(0);
      expect(report.latencySec!).toBeLessThan(15);
    } finally {
      await page.close();
    }
  }, 45_000);
});
