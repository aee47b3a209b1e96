// Start-up configuration: defaults < config file < environment < flags, validated once.
// Pure except for reading the config file and checking that the TLS files are readable.
import { ConfigError, type ConfigProblem } from './config-error.js';
import { readConfigFile } from './config-file.js';
import type { Layer } from './config-layer.js';
import type { OnrampConfig } from './config-schema.js';
import { readCli, readEnv, type Env } from './config-sources.js';
import { validateConfig } from './config-validate.js';
import { checkReadableFiles } from './readable-files.js';
import { usageText } from './usage.js';
import { versionText } from './version.js';

export interface LoadInput {
  /** The arguments after the script: process.argv.slice(2). */
  readonly argv: readonly string[];
  readonly env: Env;
  /** Relative paths from the environment and flags resolve against this. */
  readonly cwd: string;
}

/** 'help' and 'version' carry text to print (no trailing newline) before exiting with 0. */
export type LoadResult =
  | { readonly kind: 'config'; readonly config: OnrampConfig }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version'; readonly text: string };

/** Throws ConfigError listing every problem found. */
export async function loadConfig(input: LoadInput): Promise<LoadResult> {
  const cli = readCli(input.argv, input.cwd);
  if (cli.problems.length === 0 && cli.help) return { kind: 'help', text: usageText() };
  if (cli.problems.length === 0 && cli.version) return { kind: 'version', text: versionText() };

  const problems: ConfigProblem[] = [...cli.problems];
  const env = readEnv(input.env, input.cwd);
  const layers: Layer[] = [];
  const configFile = cli.configFile ?? env.configFile;
  if (configFile !== undefined) {
    const file = await readConfigFile(configFile, input.cwd);
    layers.push(file.layer);
    problems.push(...file.problems);
  }
  layers.push(env.layer, cli.layer);

  const result = validateConfig(layers, input.cwd);
  problems.push(...result.problems);
  if (result.config !== undefined) problems.push(...(await checkReadableFiles(result.config, result.sources)));
  if (problems.length > 0 || result.config === undefined) throw new ConfigError(problems);
  return { kind: 'config', config: result.config };
}
