// Command-line flags: strict parsing with clear errors, and the --help text.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, usageText, type ConfigProblem } from '../../../src/config/index.js';

async function problemsOf(argv: readonly string[]): Promise<readonly ConfigProblem[]> {
  const error = await loadConfig({ argv, env: {}, cwd: '/' }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe('command-line flags', () => {
  const cases: { argv: string[]; problems: ConfigProblem[] }[] = [
    { argv: ['--rtmp-prot', '1935'], problems: [{ option: '--rtmp-prot', source: 'command line', message: 'is not a known flag; did you mean --rtmp-port? (see --help)' }] },
    { argv: ['--frobnicate'], problems: [{ option: '--frobnicate', source: 'command line', message: 'is not a known flag (see --help)' }] },
    { argv: ['-x'], problems: [{ option: '-x', source: 'command line', message: 'is not a known flag (see --help)' }] },
    { argv: ['--rtmp-port'], problems: [{ option: '--rtmp-port', source: 'command line', message: 'needs a value' }] },
    {
      argv: ['--media-dir', '--http-port', '1'],
      problems: [{ option: '--media-dir', source: 'command line', message: 'needs a value, got the flag "--http-port" (write --media-dir=--http-port if that is the value)' }],
    },
    { argv: ['--help=yes'], problems: [{ option: '--help', source: 'command line', message: 'takes no value, got "yes"' }] },
    { argv: ['serve'], problems: [{ option: 'serve', source: 'command line', message: 'is not expected: onramp takes only flags (see --help)' }] },
    { argv: ['--config='], problems: [{ option: 'config', source: 'flag --config', message: 'must name a file, got ""' }] },
  ];
  for (const c of cases) {
    it(`rejects ${c.argv.join(' ')}`, async () => {
      expect(await problemsOf(c.argv)).toEqual(c.problems);
    });
  }

  it('names every bad argument at once', async () => {
    const problems = await problemsOf(['--a', '--b=1', 'c', '--rtmp-port']);
    expect(problems.map((p) => p.option)).toEqual(['--a', '--b', 'c', '--rtmp-port']);
  });

  it('accepts --flag=value and the last of repeated flags', async () => {
    const result = await loadConfig({ argv: ['--http-port=81', '--http-port', '82'], env: {}, cwd: '/' });
    expect(result.kind === 'config' && result.config.http.port).toBe(82);
  });
});

describe('usage text', () => {
  const text = usageText();
  const flags: [flag: string, env: string, defaultText: string][] = [
    ['--config FILE', 'ONRAMP_CONFIG', 'none'],
    ['--host HOST', 'HOST', '0.0.0.0'],
    ['--rtmp-port PORT', 'RTMP_PORT', '1935'],
    ['--rtmps-port PORT', 'RTMPS_PORT', '1936'],
    ['--tls-cert FILE', 'TLS_CERT', 'none'],
    ['--tls-key FILE', 'TLS_KEY', 'none'],
    ['--http-port PORT', 'HTTP_PORT', '8000'],
    ['--media-dir DIR', 'MEDIA_DIR', './media'],
    ['--redis-url URL', 'REDIS_URL', 'none'],
    ['--log-level LEVEL', 'LOG_LEVEL', 'info'],
  ];
  for (const [flag, env, defaultText] of flags) {
    it(`lists ${flag} with env ${env} and default ${defaultText}`, () => {
      const line = text.split('\n').find((l) => l.trimStart().startsWith(`${flag} `));
      expect(line).toBeDefined();
      expect(line).toMatch(new RegExp(`env ${env}\\s+default: ${defaultText.replace(/\./g, '\\.')}$`));
    });
  }

  it('lists --help and --version and points to the docs', () => {
    expect(text).toContain('-h, --help');
    expect(text).toContain('--version');
    expect(text).toContain('docs/configuration.md');
  });

  it('lists exactly the flags the parser accepts', () => {
    const listed = [...text.matchAll(/^ {2}(?:-h, )?--([a-z-]+)/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(['config', 'help', 'host', 'http-port', 'log-level', 'media-dir', 'record', 'redis-url', 'rtmp-port', 'rtmps-port', 'tls-cert', 'tls-key', 'version', 'watch-dir', 'webhook-url']);
  });
});
