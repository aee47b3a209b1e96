// Readers for the text sources: environment variables and command-line flags (node:util
// parseArgs, strict), each producing a layer of settings plus any problems found.
import { parseArgs } from 'node:util';
import type { ConfigProblem } from './config-error.js';
import type { Layer, Setting } from './config-layer.js';
import { CONFIG_FILE_OPTION, OPTIONS } from './config-options.js';
import { closestName } from './closest-name.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where the config file's name came from, if anywhere. */
export interface ConfigFileRef {
  readonly path: string;
  readonly source: string;
}

export interface CliResult {
  readonly layer: Layer;
  readonly configFile: ConfigFileRef | undefined;
  readonly help: boolean;
  readonly version: boolean;
  readonly problems: readonly ConfigProblem[];
}

const CLI_SOURCE = 'command line';

const FLAG_OPTIONS = OPTIONS.filter((o) => 'flag' in o);

interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

const PARSE_OPTIONS: Readonly<Record<string, FlagSpec>> = {
  ...Object.fromEntries(FLAG_OPTIONS.map((o) => [o.flag, { type: 'string' }])),
  [CONFIG_FILE_OPTION.flag]: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

/** The environment's settings. An empty variable counts as unset (`REDIS_URL=` in a compose file). */
export function readEnv(env: Env, cwd: string): { layer: Layer; configFile: ConfigFileRef | undefined } {
  const layer = new Map<string, Setting>();
  for (const option of OPTIONS) {
    if (!('env' in option)) continue;
    const value = env[option.env];
    if (value !== undefined && value !== '') {
      layer.set(option.path, { value, source: `env ${option.env}`, baseDir: cwd, fromText: true });
    }
  }
  const file = env[CONFIG_FILE_OPTION.env];
  const configFile = file === undefined || file === '' ? undefined : { path: file, source: `env ${CONFIG_FILE_OPTION.env}` };
  return { layer, configFile };
}

/** The flags' settings; argv is the arguments after the script (process.argv.slice(2)). */
export function readCli(argv: readonly string[], cwd: string): CliResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: PARSE_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { layer: new Map(), configFile: undefined, help: false, version: false, problems: explainCliError(argv, error) };
  }
  const layer = new Map<string, Setting>();
  for (const option of FLAG_OPTIONS) {
    const value = values[option.flag];
    if (typeof value === 'string') layer.set(option.path, { value, source: `flag --${option.flag}`, baseDir: cwd, fromText: true });
  }
  const file = values[CONFIG_FILE_OPTION.flag];
  const problems: ConfigProblem[] = [];
  if (file === '') problems.push({ option: 'config', source: `flag --${CONFIG_FILE_OPTION.flag}`, message: 'must name a file, got ""' });
  return {
    layer,
    configFile: typeof file === 'string' && file !== '' ? { path: file, source: `flag --${CONFIG_FILE_OPTION.flag}` } : undefined,
    help: values.help === true,
    version: values.version === true,
    problems,
  };
}

/** parseArgs stops at the first error; a lenient second pass names every bad argument. */
function explainCliError(argv: readonly string[], error: unknown): ConfigProblem[] {
  const { tokens } = parseArgs({ args: [...argv], options: PARSE_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const known = Object.keys(PARSE_OPTIONS).map((name) => `--${name}`);
  const problems: ConfigProblem[] = [];
  // After an unknown flag, or a flag that swallowed the next flag as its value, the next
  // positional is most likely that flag's value rather than a stray argument.
  let skipPositional = false;
  for (const token of tokens) {
    const skip = skipPositional;
    skipPositional = false;
    if (token.kind === 'positional') {
      if (skip) continue;
      problems.push({ option: token.value, source: CLI_SOURCE, message: 'is not expected: onramp takes only flags (see --help)' });
    } else if (token.kind === 'option') {
      const spec = Object.hasOwn(PARSE_OPTIONS, token.name) ? PARSE_OPTIONS[token.name] : undefined;
      if (spec === undefined) {
        const guess = closestName(token.rawName, known);
        const hint = guess === undefined ? '' : `; did you mean ${guess}?`;
        problems.push({ option: token.rawName, source: CLI_SOURCE, message: `is not a known flag${hint} (see --help)` });
        skipPositional = token.value === undefined;
      } else if (spec.type === 'boolean' && token.value !== undefined) {
        problems.push({ option: token.rawName, source: CLI_SOURCE, message: `takes no value, got ${JSON.stringify(token.value)}` });
      } else if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
        const got = token.value === undefined ? '' : `, got the flag ${JSON.stringify(token.value)} (write --${token.name}=${token.value} if that is the value)`;
        problems.push({ option: token.rawName, source: CLI_SOURCE, message: `needs a value${got}` });
        skipPositional = token.value !== undefined;
      }
    }
  }
  if (problems.length === 0) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push({ option: argv.join(' '), source: CLI_SOURCE, message: `could not be parsed: ${message}` });
  }
  return problems;
}
