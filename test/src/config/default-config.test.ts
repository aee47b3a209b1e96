// defaultConfig: validated configs built in code, and the option table matching the config shape.
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, redactConfig, type OnrampConfig } from '../../../src/config/index.js';
import { OPTIONS } from '../../../src/config/config-options.js';

/** Map-valued options (a key map) are leaves too. */
const MAP_OPTIONS = new Set(['auth.publish.keys']);

function leafPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return typeof child === 'object' && child !== null && !Array.isArray(child) && !MAP_OPTIONS.has(path) ? leafPaths(child as object, path) : [path];
  });
}

describe('defaultConfig', () => {
  it('applies overrides over the defaults', () => {
    const config = defaultConfig({ rtmp: { port: 0 }, http: { port: 0 }, mediaDir: '/tmp/m', logLevel: 'silent', streams: { player: { dropAfterMs: 50 } } });
    expect(config.rtmp).toMatchObject({ port: 0, chunkSize: 4096 });
    expect(config.http).toEqual({ port: 0, corsOrigins: ['*'] });
    expect(config.mediaDir).toBe('/tmp/m');
    expect(config.logLevel).toBe('silent');
    expect(config.streams.player).toEqual({ dropAfterMs: 50, maxQueueBytes: 4 * 1024 * 1024 });
    expect(config.streams.staleAfterMs).toBe(5000);
  });

  it('equals what loadConfig gives with nothing set, except that paths resolve against process.cwd()', () => {
    const config = defaultConfig();
    expect(config.mediaDir).toBe(`${process.cwd()}/media`);
    expect(config.rtmps).toBeNull();
    expect(config.rtmp.port).toBe(1935);
  });

  it('turns RTMPS on with cert and key, without reading them', () => {
    expect(defaultConfig({ rtmps: { certFile: '/c.pem', keyFile: '/k.pem' } }).rtmps).toEqual({ port: 1936, certFile: '/c.pem', keyFile: '/k.pem' });
    expect(defaultConfig({ rtmps: null }).rtmps).toBeNull();
  });

  it('treats undefined overrides as absent', () => {
    expect(defaultConfig({ rtmp: { port: undefined } }).rtmp.port).toBe(1935);
  });

  it('throws ConfigError naming the option and "code" as the source', () => {
    const bad = { rtmp: { port: 70000 }, http: { port: 1.5 }, streams: { gopCahce: true } } as unknown as OnrampConfig;
    let error: unknown;
    try {
      defaultConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { option: 'streams.gopCahce', source: 'code', message: 'is not a known option (did you mean "streams.gopCache"?)' },
      { option: 'rtmp.port', source: 'code', message: 'must be an integer 0-65535, got 70000' },
      { option: 'http.port', source: 'code', message: 'must be an integer 0-65535, got 1.5' },
    ]);
  });

  it('checks rules between options', () => {
    expect(() => defaultConfig({ http: { port: 1935 } })).toThrow('config: http.port (from code) is 1935, the same port as rtmp.port (from default)');
    expect(() => defaultConfig({ rtmps: { certFile: '/c.pem' } })).toThrow(/rtmps.certFile \(from code\) is set but rtmps.keyFile is not/);
  });

  it('has exactly one option-table entry per config field', () => {
    const config = defaultConfig({ rtmps: { certFile: '/c', keyFile: '/k' } });
    expect(leafPaths(config).sort()).toEqual(OPTIONS.map((o) => o.path).sort());
  });
});

describe('redactConfig', () => {
  it('masks the Redis password and nothing else', () => {
    const config = defaultConfig({ redisUrl: 'redis://user:s3cret@redis:6379/2' });
    expect(redactConfig(config).redisUrl).toBe('redis://user:***@redis:6379/2');
    expect(redactConfig(config).rtmp).toBe(config.rtmp);
    const plain = defaultConfig({ redisUrl: 'redis://redis:6379' });
    expect(redactConfig(plain)).toEqual(plain);
  });

  it('masks the webhook secret and a password in the webhook URL', () => {
    const config = defaultConfig({ webhooks: { url: 'https://u:pw@hooks.example/x', secret: 'a-very-long-secret-value' } });
    const redacted = redactConfig(config);
    expect(redacted.webhooks.secret).toBe('***');
    expect(redacted.webhooks.url).toBe('https://u:***@hooks.example/x');
    expect(JSON.stringify(redacted)).not.toMatch(/a-very-long-secret-value|pw@/);
  });

  it('hides stream keys and the publish and play secrets, keeping the public names', () => {
    const config = defaultConfig({ auth: { publish: { keys: { 'sk_live_very_secret': 'live/show' }, secret: 'publish-secret-0123456789' }, play: { secret: 'play-secret-0123456789ab' } } });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toMatch(/sk_live_very_secret|publish-secret|play-secret/);
    expect(redactConfig(config).auth.publish.keys).toEqual({ 'key-1': 'live/show' });
  });
});
