// The JSON config file: nested keys, unknown keys, missing and malformed files, TLS file checks.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ConfigProblem, type OnrampConfig } from '../../../src/config/index.js';

let dir: string;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-config-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes text to a fresh file in the temp directory and returns its path. */
async function file(text: string, name = `c${++n}.json`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function loadFile(text: string, env: Record<string, string> = {}): Promise<OnrampConfig> {
  const result = await loadConfig({ argv: ['--config', await file(text)], env, cwd: '/' });
  if (result.kind !== 'config') throw new Error(result.kind);
  return result.config;
}

async function problemsOf(argv: readonly string[], env: Record<string, string> = {}): Promise<readonly ConfigProblem[]> {
  const error = await loadConfig({ argv, env, cwd: dir }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe('config file', () => {
  it('sets nested options, including those without env or flag names', async () => {
    const config = await loadFile(JSON.stringify({
      rtmp: { port: 0, chunkSize: 60000, idleTimeoutMs: 5000, pingIntervalMs: 15000, maxConnectionsPerIp: 3 },
      http: { corsOrigins: ['https://a.example', 'http://localhost:3000'] },
      streams: { publisherTakeover: 'never', gopCache: false, player: { dropAfterMs: 1 } },
    }));
    expect(config.rtmp).toMatchObject({ port: 0, chunkSize: 60000, idleTimeoutMs: 5000, pingIntervalMs: 15000, maxConnectionsPerIp: 3, maxConnections: 1000 });
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(config.streams).toMatchObject({ publisherTakeover: 'never', gopCache: false, staleAfterMs: 5000, player: { dropAfterMs: 1, maxQueueBytes: 4194304 } });
  });

  it('accepts a byte order mark and an empty object', async () => {
    expect((await loadFile('\ufeff{}')).rtmp.port).toBe(1935);
  });

  it('accepts null for redisUrl and rtmps, and lets the environment override them', async () => {
    expect((await loadFile('{"redisUrl": null, "rtmps": null}')).rtmps).toBeNull();
    expect((await loadFile('{"redisUrl": null}', { REDIS_URL: 'redis://r' })).redisUrl).toBe('redis://r');
  });

  it('reports unknown keys with the key, the file and a suggestion', async () => {
    const path = await file('{"rtmp": {"prot": 1935}, "logLevle": "info", "extra": {"a": 1}}');
    const problems = await problemsOf(['--config', path]);
    expect(problems).toEqual([
      { option: 'rtmp.prot', source: `file ${path}`, message: 'is not a known option (did you mean "rtmp.port"?)' },
      { option: 'logLevle', source: `file ${path}`, message: 'is not a known option (did you mean "logLevel"?)' },
      { option: 'extra', source: `file ${path}`, message: 'is not a known option' },
    ]);
  });

  const typeCases: { name: string; json: string; option: string; message: RegExp }[] = [
    { name: 'port as a string', json: '{"rtmp": {"port": "1935"}}', option: 'rtmp.port', message: /must be an integer 0-65535, got "1935"/ },
    { name: 'fractional timeout', json: '{"rtmp": {"idleTimeoutMs": 1.5}}', option: 'rtmp.idleTimeoutMs', message: /integer 1-86400000, got 1.5/ },
    { name: 'zero idle timeout', json: '{"rtmp": {"idleTimeoutMs": 0}}', option: 'rtmp.idleTimeoutMs', message: /integer 1-/ },
    { name: 'tiny chunk size', json: '{"rtmp": {"chunkSize": 64}}', option: 'rtmp.chunkSize', message: /integer 128-65536, got 64/ },
    { name: 'boolean as string', json: '{"streams": {"gopCache": "yes"}}', option: 'streams.gopCache', message: /must be a boolean/ },
    { name: 'bad takeover mode', json: '{"streams": {"publisherTakeover": "sometimes"}}', option: 'streams.publisherTakeover', message: /one of stale, always, never, got "sometimes"/ },
    { name: 'group not an object', json: '{"rtmp": 1935}', option: 'rtmp', message: /must be an object, got 1935/ },
    { name: 'null group', json: '{"http": null}', option: 'http', message: /must be an object, got null/ },
    { name: 'origins not an array', json: '{"http": {"corsOrigins": "*"}}', option: 'http.corsOrigins', message: /an array of origins/ },
    { name: 'origin with a path', json: '{"http": {"corsOrigins": ["https://a.example/x"]}}', option: 'http.corsOrigins', message: /no path\), got "https:\/\/a.example\/x"/ },
    { name: 'empty media dir', json: '{"mediaDir": ""}', option: 'mediaDir', message: /non-empty path/ },
    { name: 'redis URL as number', json: '{"redisUrl": 6379}', option: 'redisUrl', message: /or null, got 6379/ },
    { name: 'log level in capitals', json: '{"logLevel": "INFO"}', option: 'logLevel', message: /got "INFO"/ },
  ];
  for (const c of typeCases) {
    it(`reports ${c.name}, naming the file`, async () => {
      const path = await file(c.json);
      const problems = await problemsOf(['--config', path]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ option: c.option, source: `file ${path}` });
      expect(problems[0].message).toMatch(c.message);
    });
  }

  it('reports a missing file, naming where its name came from', async () => {
    const missing = join(dir, 'nope.json');
    expect(await problemsOf([], { ONRAMP_CONFIG: missing })).toEqual([
      { option: 'config', source: 'env ONRAMP_CONFIG', message: `cannot read ${JSON.stringify(missing)}: no such file (ENOENT)` },
    ]);
  });

  it('reports a directory given as the file', async () => {
    const [problem] = await problemsOf(['--config', dir]);
    expect(problem).toMatchObject({ option: 'config', source: 'flag --config' });
    expect(problem.message).toMatch(/EISDIR/);
  });

  it('reports malformed JSON with line, column and position', async () => {
    const path = await file('{\n  "rtmp": {"port": 1935,}\n}');
    const [problem] = await problemsOf(['--config', path]);
    expect(problem.option).toBe('config');
    expect(problem.message).toBe(
      `${JSON.stringify(path)} is not valid JSON: expected another property after ',' (trailing commas are not JSON), found "}" at line 2, column 25 (position 26)`,
    );
  });

  it('reports a file that is not a JSON object', async () => {
    const path = await file('[1, 2]');
    expect(await problemsOf(['--config', path])).toEqual([{ option: 'the top level', source: `file ${path}`, message: 'must be an object, got [1,2]' }]);
  });

  it('reports file problems together with environment problems', async () => {
    const path = await file('{"rtmp": {"port": -1}}');
    const problems = await problemsOf(['--config', path], { HTTP_PORT: 'x' });
    expect(problems.map((p) => p.source)).toEqual([`file ${path}`, 'env HTTP_PORT']);
  });
});

describe('TLS certificate and key files', () => {
  it('turns RTMPS on at port 1936 with readable cert and key, resolved against the file directory', async () => {
    await file('', 'cert.pem');
    await file('', 'key.pem');
    const config = await loadFile('{"rtmps": {"certFile": "cert.pem", "keyFile": "key.pem"}}');
    expect(config.rtmps).toEqual({ port: 1936, certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') });
  });

  it('takes cert and key from flags with a custom port', async () => {
    const cert = await file('');
    const key = await file('');
    const result = await loadConfig({ argv: ['--tls-cert', cert, '--tls-key', key, '--rtmps-port', '8443'], env: {}, cwd: '/' });
    expect(result.kind === 'config' && result.config.rtmps).toEqual({ port: 8443, certFile: cert, keyFile: key });
  });

  it('reports cert and key files that do not exist, each with its source', async () => {
    const problems = await problemsOf(['--tls-key', 'missing-key.pem'], { TLS_CERT: 'missing-cert.pem' });
    expect(problems).toEqual([
      { option: 'rtmps.certFile', source: 'env TLS_CERT', message: `names ${JSON.stringify(join(dir, 'missing-cert.pem'))}, which cannot be read: no such file (ENOENT)` },
      { option: 'rtmps.keyFile', source: 'flag --tls-key', message: `names ${JSON.stringify(join(dir, 'missing-key.pem'))}, which cannot be read: no such file (ENOENT)` },
    ]);
  });

  it('reports a directory given as the key', async () => {
    const cert = await file('');
    const problems = await problemsOf(['--tls-cert', cert, '--tls-key', dir]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ option: 'rtmps.keyFile', source: 'flag --tls-key' });
    expect(problems[0].message).toMatch(/directory/);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable key (skipped as root, who can read anything)', async () => {
    const cert = await file('');
    const key = await file('');
    await chmod(key, 0o000);
    const problems = await problemsOf(['--tls-cert', cert, '--tls-key', key]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/permission denied/);
  });
});
