// loadConfig: defaults, precedence of file < environment < flags, help and version.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ONRAMP_VERSION, type OnrampConfig } from '../../../src/config/index.js';

const CWD = '/srv/onramp';

async function load(argv: readonly string[] = [], env: Record<string, string | undefined> = {}, cwd = CWD): Promise<OnrampConfig> {
  const result = await loadConfig({ argv, env, cwd });
  if (result.kind !== 'config') throw new Error(`expected a config, got ${result.kind}`);
  return result.config;
}

describe('loadConfig defaults', () => {
  it('gives the documented defaults with nothing set', async () => {
    expect(await load()).toEqual({
      host: '0.0.0.0',
      rtmp: {
        port: 1935,
        chunkSize: 4096,
        handshakeTimeoutMs: 10_000,
        idleTimeoutMs: 30_000,
        maxConnections: 1000,
        maxConnectionsPerIp: 100,
        pingIntervalMs: 0,
        windowAckSize: 2_500_000,
        maxPublishesPerIp: 10,
      },
      rtmps: null,
      http: { port: 8000, corsOrigins: ['*'] },
      mediaDir: '/srv/onramp/media',
      redisUrl: null,
      logLevel: 'info',
      streams: {
        publisherTakeover: 'stale',
        staleAfterMs: 5000,
        gopCache: true,
        maxGopCacheBytes: 16 * 1024 * 1024,
        player: { maxQueueBytes: 4 * 1024 * 1024, dropAfterMs: 10_000 },
        reconnectGraceMs: 10_000,
      },
      hls: { enabled: true, segmentDurationMs: 2000, windowSegments: 6, segmentRetentionMs: 30_000, endedRetentionMs: 60_000 },
      cmaf: { enabled: true, partDurationMs: 500 },
      recording: { streams: [], fragmentDurationMs: 1000, mp4: true, retentionHours: 0 },
      jobs: { prefix: 'onramp', cleanupIntervalMs: 300_000 },
      watch: { dir: null, app: 'uploads' },
      webhooks: { url: null, secret: null, timeoutMs: 10_000 },
      auth: {
        publish: { keys: {}, secret: null, callbackUrl: null, allow: [], deny: [] },
        play: { secret: null, callbackUrl: null, allow: [], deny: [] },
        callbackTimeoutMs: 5000,
      },
      shutdownTimeoutMs: 8000,
    });
  });

  it('reads recording, watch-folder and webhook settings from the environment, checked', async () => {
    const config = await load([], { RECORD: 'live, studio/main', WATCH_DIR: 'drop', WEBHOOK_URL: 'https://hooks.example/onramp', WEBHOOK_SECRET: '0123456789abcdef' });
    expect(config.recording.streams).toEqual(['live', 'studio/main']);
    expect(config.watch.dir).toMatch(/\/drop$/);
    expect(config.webhooks).toMatchObject({ url: 'https://hooks.example/onramp', secret: '0123456789abcdef' });
    await expect(load([], { RECORD: 'live/../x' })).rejects.toThrow(/recording\.streams|RECORD/);
    await expect(load([], { WEBHOOK_SECRET: 'short' })).rejects.toThrow(/at least 16 characters/);
    await expect(load([], { WEBHOOK_URL: 'ftp://x' })).rejects.toThrow(/WEBHOOK_URL|webhooks\.url/);
    await expect(load([], { PUBLISH_SECRET: 'too-short' })).rejects.toThrow(/PUBLISH_SECRET.*at least 16/);
  });

  it('returns a deeply frozen object', async () => {
    const config = await load();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.rtmp)).toBe(true);
    expect(Object.isFrozen(config.streams.player)).toBe(true);
    expect(Object.isFrozen(config.http.corsOrigins)).toBe(true);
  });

  it('ignores environment variables it does not own and empty ones', async () => {
    const config = await load([], { PATH: '/bin', PORT: '1', RTMP_PORT: '', REDIS_URL: '' });
    expect(config.rtmp.port).toBe(1935);
    expect(config.redisUrl).toBeNull();
  });
});

describe('loadConfig precedence', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-config-'));
    file = join(dir, 'onramp.json');
    await writeFile(file, JSON.stringify({ rtmp: { port: 2001 }, http: { port: 2002 }, logLevel: 'debug', mediaDir: 'm' }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: { name: string; argv: string[]; env: Record<string, string>; withFile: boolean; port: number; level: string }[] = [
    { name: 'default', argv: [], env: {}, withFile: false, port: 1935, level: 'info' },
    { name: 'file over default', argv: [], env: {}, withFile: true, port: 2001, level: 'debug' },
    { name: 'env over file', argv: [], env: { RTMP_PORT: '3001' }, withFile: true, port: 3001, level: 'debug' },
    { name: 'flag over env', argv: ['--rtmp-port', '4001'], env: { RTMP_PORT: '3001' }, withFile: true, port: 4001, level: 'debug' },
    { name: 'flag over file', argv: ['--log-level=warn'], env: {}, withFile: true, port: 2001, level: 'warn' },
    { name: 'flag over default', argv: ['--rtmp-port', '0'], env: {}, withFile: false, port: 0, level: 'info' },
    { name: 'env over default', argv: [], env: { LOG_LEVEL: 'TRACE' }, withFile: false, port: 1935, level: 'trace' },
  ];
  for (const c of cases) {
    for (const via of ['flag', 'env'] as const) {
      if (!c.withFile && via === 'env') continue;
      it(`${c.name}${c.withFile ? ` (file named by ${via})` : ''}`, async () => {
        const argv = c.withFile && via === 'flag' ? ['--config', file, ...c.argv] : c.argv;
        const env = c.withFile && via === 'env' ? { ...c.env, ONRAMP_CONFIG: file } : c.env;
        const config = await load(argv, env);
        expect(config.rtmp.port).toBe(c.port);
        expect(config.logLevel).toBe(c.level);
      });
    }
  }

  it('--config wins over ONRAMP_CONFIG', async () => {
    const config = await load(['--config', file], { ONRAMP_CONFIG: join(dir, 'missing.json') });
    expect(config.http.port).toBe(2002);
  });

  it('resolves relative paths: from the file against its directory, from env and flags against cwd', async () => {
    expect((await load(['--config', file])).mediaDir).toBe(join(dir, 'm'));
    expect((await load(['--config', file], { MEDIA_DIR: 'e' })).mediaDir).toBe('/srv/onramp/e');
    expect((await load(['--media-dir', '../x'])).mediaDir).toBe('/srv/x');
    expect((await load(['--media-dir', '/abs/media'])).mediaDir).toBe('/abs/media');
  });

  it('reads a relative --config against cwd', async () => {
    expect((await load(['--config', 'onramp.json'], {}, dir)).rtmp.port).toBe(2001);
  });

  it('sets every env-named option', async () => {
    const config = await load([], {
      HOST: '127.0.0.1', RTMP_PORT: '1', HTTP_PORT: '2', MEDIA_DIR: '/m', REDIS_URL: 'redis://h:6379/0', LOG_LEVEL: 'silent',
    });
    expect(config).toMatchObject({ host: '127.0.0.1', rtmp: { port: 1 }, http: { port: 2 }, mediaDir: '/m', redisUrl: 'redis://h:6379/0', logLevel: 'silent' });
  });

  it('sets every flag-named option', async () => {
    const config = await load(['--host', '::1', '--rtmp-port', '1', '--http-port', '2', '--media-dir', '/m', '--redis-url', 'rediss://h', '--log-level', 'error']);
    expect(config).toMatchObject({ host: '::1', rtmp: { port: 1 }, http: { port: 2 }, mediaDir: '/m', redisUrl: 'rediss://h', logLevel: 'error' });
  });

  it('lets an empty --redis-url turn off a Redis set in the environment', async () => {
    expect((await load(['--redis-url='], { REDIS_URL: 'redis://h' })).redisUrl).toBeNull();
  });
});

describe('loadConfig help and version', () => {
  it('returns the usage for --help and -h, ignoring everything else', async () => {
    for (const argv of [['--help'], ['-h'], ['--rtmp-port', '1', '--help']]) {
      const result = await loadConfig({ argv, env: { RTMP_PORT: 'bad' }, cwd: CWD });
      expect(result.kind).toBe('help');
      if (result.kind === 'help') expect(result.text).toContain('Usage: onramp');
    }
  });

  it('returns the version for --version', async () => {
    expect(await loadConfig({ argv: ['--version'], env: {}, cwd: CWD })).toEqual({ kind: 'version', text: `onramp ${ONRAMP_VERSION}` });
  });
});
