// Builds a validated config in code, for tests and embedding: the built-in defaults with the
// given overrides, e.g. defaultConfig({ rtmp: { port: 0 }, http: { port: 0 }, logLevel: 'silent' }).
import { ConfigError } from './config-error.js';
import { layerFromTree } from './config-layer.js';
import type { DeepPartial, OnrampConfig } from './config-schema.js';
import { validateConfig } from './config-validate.js';

export const CODE_SOURCE = 'code';

/**
 * Same checks as loadConfig except that the TLS files are not read (this stays synchronous
 * and free of I/O). Relative paths resolve against process.cwd(). Throws ConfigError.
 */
export function defaultConfig(overrides: DeepPartial<OnrampConfig> = {}): OnrampConfig {
  const cwd = process.cwd();
  const code = layerFromTree(overrides, CODE_SOURCE, cwd);
  const result = validateConfig([code.layer], cwd);
  const problems = [...code.problems, ...result.problems];
  if (problems.length > 0 || result.config === undefined) throw new ConfigError(problems);
  return result.config;
}
