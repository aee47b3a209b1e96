// The web page (public/) in headless Chromium, against a recording Onramp with a stream that
// ffmpeg publishes: the dashboard lists it; the player plays it over HLS, DASH and low-latency
// HLS with a measured latency; the page says when it ends; the finished recording is listed,
// plays, has its MP4 link and can be deleted; the how-to panel shows this server's RTMP URL.
// Phone width and the dark scheme are checked; screenshots go to test-artifacts/screenshots/.
// No console errors, no page errors, and no request leaves 127.0.0.1 at any point.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, launchBrowser, type BrowserSession } from '../helpers/browser.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { killAll, type RunResult } from '../helpers/processes.js';
import { waitFor } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const enabled = requireTool('ffmpeg') && requireTool(CHROMIUM_PATH, ['--version'], `Chromium (${CHROMIUM_PATH})`);
const SHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const STREAM = 'live/web';

/** What the page did wrong while the test watched it. */
interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly externalRequests: string[];
  readonly dialogs: string[];
  /** Failed requests and HTTP errors (a 404 also shows as a console error), for failure messages. */
  readonly network: string[];
}

function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], externalRequests: [], dialogs: [], network: [] };
  page.on('response', (r) => {
    if (r.status() >= 400) problems.network.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.network.push(`${r.failure()?.errorText ?? 'failed'} ${r.url()}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.pageErrors.push(`${e.name}: ${e.message}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.hostname !== '127.0.0.1') problems.externalRequests.push(r.url());
  });
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.accept();
  });
  return problems;
}

/** Waits until the page's <video> has played `seconds` (currentTime, counted from its first
 *  reading; a new element, as after a protocol switch, starts the count again). */
async function videoAdvances(page: Page, problems: PageProblems, seconds: number, what: string, timeoutMs = 25_000): Promise<number> {
  const probe = `(() => {
    const v = document.querySelector('video');
    if (!v) return null;
    v.dataset.probe ??= String(Math.random());
    return { id: v.dataset.probe, t: v.currentTime, paused: v.paused };
  })()`;
  let first: { id: string; t: number } | undefined;
  try {
    const advanced = await waitFor(`${what}: video currentTime to advance ${seconds} s`, async () => {
      const r = await page.evaluate<{ id: string; t: number; paused: boolean } | null>(probe);
      if (!r || r.t <= 0 || r.paused) return false;
      if (first?.id !== r.id) first = r;
      const advanced = r.t - first.t;
      return advanced >= seconds ? advanced : false;
    }, timeoutMs);
    // The player starts a load again when it has not started within 10 s: say so when it did.
    const restarts = await page.evaluate<string | undefined>("document.querySelector('.player')?.dataset.restarts");
    if (restarts) console.warn(`${what}: the player restarted its load ${restarts} time(s) before playing`);
    return advanced;
  } catch (e) {
    await shot(page, `failed-${what.replace(/\W+/g, '-')}`).catch(() => undefined);
    const network = problems.network.slice(-10).join('; ') || 'none';
    throw new Error(`${(e as Error).message}; the page: ${await page.evaluate<string>(PLAYER_STATE)}; failed requests: ${network}`);
  }
}

/** What the player shows and what its video is doing, for failure messages. */
const PLAYER_STATE = `(() => {
  const v = document.querySelector('video');
  const ranges = (r) => Array.from({ length: r.length }, (_, i) => r.start(i).toFixed(2) + '-' + r.end(i).toFixed(2)).join(',');
  const message = document.querySelector('.player-message');
  return JSON.stringify({
    state: document.querySelector('.player')?.dataset.state,
    message: message && !message.hidden ? message.textContent : null,
    video: v && { currentTime: v.currentTime, paused: v.paused, readyState: v.readyState, ended: v.ended, error: v.error && v.error.message, buffered: ranges(v.buffered), duration: v.duration },
  });
})()`;

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

async function untilText(page: Page, selector: string, test: RegExp, timeoutMs = 10_000): Promise<string> {
  return waitFor(`${selector} to match ${test}`, async () => {
    const t = await text(page, selector).catch(() => '');
    return test.test(t) ? t : false;
  }, timeoutMs);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png` });
}

/** No horizontal scrolling: the page fits the viewport. */
async function expectNoOverflow(page: Page, where: string): Promise<void> {
  const [scrollWidth, innerWidth] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
  expect(scrollWidth, `${where}: no horizontal overflow at ${innerWidth} px`).toBeLessThanOrEqual(innerWidth);
}

/** Relative luminance (0 black … 1 white) of the body's background. */
async function backgroundLuminance(page: Page): Promise<number> {
  const rgb = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['255', '255', '255']).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe.skipIf(!enabled)('the web page in Chromium', () => {
  let onramp: TestServer | undefined;
  let session: BrowserSession | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    onramp = await startTestServer({ recording: { streams: ['live'] }, streams: { reconnectGraceMs: 1000 } });
    session = await launchBrowser();
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    killAll();
    await context?.close().catch(() => undefined);
    await session?.close();
    await onramp?.stop();
  });

  it('lists a live stream, plays it over HLS, DASH and low-latency HLS, then plays and deletes its recording', async () => {
    const t = onramp!;
    const origin = t.httpUrl('');
    const browser: Browser = session!.browser;
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = watchPage(page);

    let published: RunResult | undefined;
    void ffmpegLivePublish(t.rtmpUrl(STREAM), 60).then((r) => (published = r));

    // The dashboard lists the stream by itself, with its codecs, resolution and bitrate.
    await page.goto(`${origin}/`);
    const card = `[data-stream="${STREAM}"]`;
    await page.locator(card).waitFor({ timeout: 8_000 });
    expect(published, 'ffmpeg is still publishing').toBeUndefined();
    expect(await untilText(page, `${card} [data-stat=video]`, /H\.264 High.*320×180/)).toBeTruthy();
    await untilText(page, `${card} [data-stat=bitrate]`, /^[1-9]\d* kb\/s/);
    expect(await text(page, `${card} [data-stat=audio]`)).toMatch(/AAC/);
    expect(await text(page, `${card} [data-stat=uptime]`)).toMatch(/^\d+:\d\d$/);
    await untilText(page, `${card} .chart-caption`, /over the last/);
    await shot(page, 'dashboard');

    // The player: HLS first (the default), then DASH, then low-latency HLS.
    await page.getByRole('link', { name: `Watch ${STREAM}` }).click();
    expect(page.url()).toBe(`${origin}/#/watch/${STREAM}`);
    await videoAdvances(page, problems, 2, 'HLS');
    await untilText(page, '[data-stat=latency]', /^\d+\.\d s$/);
    expect(await text(page, '[data-stat=stream-state]')).toBe('Live');
    await shot(page, 'player-hls');

    await page.getByLabel('DASH', { exact: true }).check();
    await videoAdvances(page, problems, 2, 'DASH');
    await untilText(page, '[data-stat=latency]', /^\d+\.\d s$/);
    expect(page.url(), 'the protocol is in the shareable link').toBe(`${origin}/#/watch/${STREAM}?via=dash`);
    await shot(page, 'player-dash');

    await page.getByLabel('Low-latency HLS', { exact: true }).check();
    await videoAdvances(page, problems, 2, 'low-latency HLS');
    await untilText(page, '[data-stat=latency]', /^\d+\.\d s$/);
    await shot(page, 'player-ll-hls');

    // Phone width and the dark scheme, on the player and the dashboard.
    await page.setViewportSize({ width: 375, height: 740 });
    await expectNoOverflow(page, 'player');
    await shot(page, 'phone-player');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await backgroundLuminance(page), 'dark scheme: dark background').toBeLessThan(0.05);
    await shot(page, 'dark-phone-player');
    await page.getByRole('link', { name: 'Live', exact: true }).click();
    await page.locator(card).waitFor();
    await expectNoOverflow(page, 'dashboard');
    await shot(page, 'dark-phone-dashboard');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await backgroundLuminance(page), 'light scheme: light background').toBeGreaterThan(0.8);
    await page.setViewportSize({ width: 1280, height: 860 });

    // The publish ends: the player page says so.
    await page.goBack();
    await videoAdvances(page, problems, 1, 'low-latency HLS again');
    killAll();
    await untilText(page, '[data-stat=stream-state]', /^Ended$/, 10_000);
    expect(await text(page, '.player-message')).toMatch(/stream has ended/);
    await shot(page, 'player-ended');

    // The recording: listed with its duration and size, plays, has an MP4, and can be deleted.
    await page.getByRole('link', { name: 'Recordings', exact: true }).click();
    const item = page.locator('li.recording').first();
    await item.locator('.badge[data-state=ready]').waitFor({ timeout: 20_000 });
    expect(await item.locator('.card-title').textContent()).toBe(STREAM);
    expect(await text(page, 'li.recording [data-stat=duration]')).toMatch(/^0:[1-9]\d$/);
    expect(await text(page, 'li.recording [data-stat=size]')).toMatch(/^\d+(\.\d)? (kB|MB)$/);
    const mp4 = item.locator('a[data-action=mp4]');
    await mp4.waitFor({ timeout: 20_000 });
    expect(await mp4.getAttribute('download')).toMatch(/\.mp4$/);
    const mp4Res = await fetch(new URL((await mp4.getAttribute('href'))!, origin));
    expect(mp4Res.headers.get('content-type')).toBe('video/mp4');
    await mp4Res.body?.cancel();
    await shot(page, 'recordings');

    await item.getByRole('link', { name: `Play the recording of ${STREAM}` }).click();
    await videoAdvances(page, problems, 2, 'recording (HLS)');
    expect(await text(page, '[data-stat=duration]')).toMatch(/^0:[1-9]\d$/);
    await shot(page, 'recording-player');
    await page.getByLabel('DASH', { exact: true }).check();
    await videoAdvances(page, problems, 1, 'recording (DASH)');

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${origin}/#/recordings`);
    await waitFor('the recording to be gone', async () => (await page.locator('li.recording').count()) === 0);
    expect(problems.dialogs).toEqual([expect.stringMatching(/^confirm: Delete the recording of live\/web/)]);
    const left = (await (await fetch(t.httpUrl('/api/recordings'))).json()) as { recordings: unknown[] };
    expect(left.recordings).toEqual([]);

    // How to stream: this server's RTMP URL, a keyframe interval, an ffmpeg command; at phone width too.
    await page.getByRole('link', { name: 'How to stream' }).click();
    const rtmpUrl = `rtmp://127.0.0.1:${t.server.rtmpPort}/live`;
    expect(await untilText(page, '[data-stat=rtmp-url]', /^rtmp:/)).toBe(rtmpUrl);
    expect(await text(page, '[data-stat=keyframe-interval]')).toMatch(/^2 s/);
    expect(await text(page, '[data-stat=ffmpeg]')).toContain(`${rtmpUrl}/mystream`);
    await page.getByLabel('Stream name').fill('studio-1');
    expect(await text(page, '[data-stat=ffmpeg]')).toContain(`${rtmpUrl}/studio-1`);
    await shot(page, 'how-to');
    await page.setViewportSize({ width: 375, height: 740 });
    await expectNoOverflow(page, 'how-to');
    await shot(page, 'phone-how-to');
    await page.getByRole('link', { name: 'Recordings', exact: true }).click();
    await expectNoOverflow(page, 'recordings');

    expect(problems.pageErrors, 'no uncaught errors in the page').toEqual([]);
    expect(problems.consoleErrors, 'no console errors').toEqual([]);
    expect(problems.externalRequests, 'every request goes to 127.0.0.1').toEqual([]);
  }, 90_000);
});
