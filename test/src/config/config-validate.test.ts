// Validation: every bad value is reported with the option's name, its source and the problem,
// and all problems come together in one ConfigError.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ConfigProblem } from '../../../src/config/index.js';

async function problemsOf(argv: readonly string[], env: Record<string, string> = {}): Promise<readonly ConfigProblem[]> {
  try {
    await loadConfig({ argv, env, cwd: '/srv' });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config validation', () => {
  it('formats the message as the issue asks', async () => {
    await expect(loadConfig({ argv: [], env: { RTMP_PORT: 'abc' }, cwd: '/' })).rejects.toThrow(
      'config: rtmp.port (from env RTMP_PORT) must be an integer 0-65535, got "abc"',
    );
  });

  const cases: { name: string; argv?: string[]; env?: Record<string, string>; option: string; source: string; message: RegExp }[] = [
    { name: 'non-numeric port', env: { RTMP_PORT: 'abc' }, option: 'rtmp.port', source: 'env RTMP_PORT', message: /must be an integer 0-65535, got "abc"/ },
    { name: 'port too large', argv: ['--http-port', '70000'], option: 'http.port', source: 'flag --http-port', message: /0-65535, got "70000"/ },
    { name: 'negative port', argv: ['--rtmps-port=-1'], env: { TLS_CERT: '/dev/null', TLS_KEY: '/dev/null' }, option: 'rtmps.port', source: 'flag --rtmps-port', message: /0-65535, got "-1"/ },
    { name: 'fractional port', env: { HTTP_PORT: '80.5' }, option: 'http.port', source: 'env HTTP_PORT', message: /integer/ },
    { name: 'hex port', env: { HTTP_PORT: '0x50' }, option: 'http.port', source: 'env HTTP_PORT', message: /integer/ },
    { name: 'unknown log level', env: { LOG_LEVEL: 'verbose' }, option: 'logLevel', source: 'env LOG_LEVEL', message: /must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/ },
    { name: 'bad host', argv: ['--host', 'not a host'], option: 'host', source: 'flag --host', message: /IP address or host name, got "not a host"/ },
    { name: 'bad IPv4 host', env: { HOST: '300.1.1.1' }, option: 'host', source: 'env HOST', message: /IP address or host name/ },
    { name: 'bad IPv6 host', env: { HOST: '::g' }, option: 'host', source: 'env HOST', message: /IP address or host name/ },
    { name: 'empty media dir flag', argv: ['--media-dir='], option: 'mediaDir', source: 'flag --media-dir', message: /non-empty path, got ""/ },
    { name: 'redis URL scheme', env: { REDIS_URL: 'http://h:6379' }, option: 'redisUrl', source: 'env REDIS_URL', message: /redis:\/\/ or rediss:\/\// },
    { name: 'redis URL garbage', argv: ['--redis-url', 'localhost:6379'], option: 'redisUrl', source: 'flag --redis-url', message: /URL starting with redis:\/\// },
    { name: 'TLS cert without key', env: { TLS_CERT: '/dev/null' }, option: 'rtmps.certFile', source: 'env TLS_CERT', message: /rtmps.keyFile is not.*TLS_KEY, --tls-key/ },
    { name: 'TLS key without cert', argv: ['--tls-key', '/dev/null'], option: 'rtmps.keyFile', source: 'flag --tls-key', message: /rtmps.certFile is not.*TLS_CERT, --tls-cert/ },
    { name: 'RTMPS port without TLS', env: { RTMPS_PORT: '443' }, option: 'rtmps.port', source: 'env RTMPS_PORT', message: /RTMPS is off/ },
    { name: 'rtmp and http on one port', env: { HTTP_PORT: '1935' }, option: 'http.port', source: 'env HTTP_PORT', message: /is 1935, the same port as rtmp.port \(from default\)/ },
    { name: 'rtmps on the rtmp port', argv: ['--rtmps-port', '1935'], env: { TLS_CERT: '/dev/null', TLS_KEY: '/dev/null' }, option: 'rtmps.port', source: 'flag --rtmps-port', message: /same port as rtmp.port/ },
  ];
  for (const c of cases) {
    it(`reports ${c.name}`, async () => {
      const problems = await problemsOf(c.argv ?? [], c.env);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ option: c.option, source: c.source });
      expect(problems[0].message).toMatch(c.message);
    });
  }

  it('allows port 0 more than once (the OS picks distinct ports)', async () => {
    const result = await loadConfig({ argv: ['--rtmp-port', '0', '--http-port', '0'], env: {}, cwd: '/' });
    expect(result.kind === 'config' && [result.config.rtmp.port, result.config.http.port]).toEqual([0, 0]);
  });

  it('collects every problem into one error, one line each', async () => {
    let error: unknown;
    try {
      await loadConfig({ argv: ['--http-port', 'x', '--bogus'], env: { RTMP_PORT: 'abc', LOG_LEVEL: 'loud', TLS_KEY: '/k' }, cwd: '/' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.option).sort()).toEqual(['--bogus', 'logLevel', 'rtmp.port', 'rtmps.keyFile']);
    expect((error as ConfigError).message.split('\n')).toHaveLength(4);
    expect((error as ConfigError).name).toBe('ConfigError');
  });

  it('reports all value problems together when the command line is fine', async () => {
    const problems = await problemsOf(['--http-port', 'x'], { RTMP_PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => `${p.option} ${p.source}`)).toEqual([
      'rtmp.port env RTMP_PORT',
      'http.port flag --http-port',
      'logLevel env LOG_LEVEL',
    ]);
  });

  it('masks a password in a bad Redis URL', async () => {
    const [problem] = await problemsOf(['--redis-url', 'http://user:secret@h']);
    expect(problem.message).not.toContain('secret');
    expect(problem.message).toContain('user:***@h');
  });
});
