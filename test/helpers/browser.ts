// Headless Chromium for playback tests: Debian's /usr/bin/chromium driven by playwright-core (never a downloaded browser).
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The machine's network is closed: no background traffic, no QUIC, and host names other than
 *  localhost fail fast instead of waiting on DNS. Muted, autoplaying video needs no gesture. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--mute-audio',
  '--autoplay-policy=no-user-gesture-required',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

const LAUNCH_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5_000;

export interface BrowserSession {
  readonly browser: Browser;
  /** A page in its own fresh context (no shared cache or storage between pages). */
  newPage(): Promise<Page>;
  /** Closes gracefully; kills the browser process if that does not finish in time. Idempotent. */
  close(): Promise<void>;
}

/** Resolves true when the promise settles in time, false when the time runs out. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Launches Chromium (with a temporary profile that Playwright removes on close) and connects to it.
 *  Launching as a server keeps a handle on the process, so a hung browser can always be killed. */
export async function launchBrowser(): Promise<BrowserSession> {
  const server: BrowserServer = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: LAUNCH_TIMEOUT_MS,
  });
  let browser: Browser;
  try {
    browser = await chromium.connect(server.wsEndpoint(), { timeout: LAUNCH_TIMEOUT_MS });
  } catch (e) {
    await server.kill();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    browser,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 640, height: 360 } });
      page.setDefaultTimeout(10_000);
      return page;
    },
    close() {
      closing ??= (async () => {
        await settlesWithin(browser.close(), CLOSE_TIMEOUT_MS);
        if (!(await settlesWithin(server.close(), CLOSE_TIMEOUT_MS))) await server.kill();
      })();
      return closing;
    },
  };
}
