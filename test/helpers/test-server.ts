// Starts an Onramp on OS-chosen ports with a memory logger, for one test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/default-config.js';
import type { DeepPartial, OnrampConfig } from '../../src/config/config-schema.js';
import { createMemoryLogger, type MemoryLogger } from '../../src/logging/memory-logger.js';
import { startOnramp, type RunningOnramp } from '../../src/onramp.js';

export interface TestServer {
  readonly server: RunningOnramp;
  readonly log: MemoryLogger;
  readonly config: OnrampConfig;
  rtmpUrl(path: string): string;
  httpUrl(path: string): string;
  stop(): Promise<void>;
}

export async function startTestServer(overrides: DeepPartial<OnrampConfig> = {}): Promise<TestServer> {
  const mediaDir = await mkdtemp(join(tmpdir(), 'onramp-test-'));
  const config = defaultConfig({
    host: '127.0.0.1',
    mediaDir,
    ...overrides,
    rtmp: { port: 0, ...overrides.rtmp },
    http: { port: 0, ...overrides.http },
  });
  const log = createMemoryLogger({ level: 'debug' });
  const server = await startOnramp({ config, logger: log.logger });
  return {
    server,
    log,
    config,
    rtmpUrl: (path) => `rtmp://127.0.0.1:${server.rtmpPort}/${path}`,
    httpUrl: (path) => `http://127.0.0.1:${server.httpPort}${path}`,
    async stop() {
      await server.close();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/** Polls a condition until it holds or the time runs out (for events in another process). */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
