// The --help text: every flag with its environment variable, default and meaning.
import { CONFIG_FILE_OPTION, OPTIONS, type OptionValue } from './config-options.js';
import { ONRAMP_VERSION } from './version.js';

const FLAG_WIDTH = 22;
const ENV_WIDTH = 20;

/** Without a trailing newline; the caller prints it as one block. */
export function usageText(): string {
  const lines = [
    'Usage: onramp [options]',
    '',
    `Onramp ${ONRAMP_VERSION}: a live-streaming origin with RTMP/RTMPS ingest and an HTTP origin.`,
    '',
    'Options (flag, environment variable, default):',
    ...entry(`--${CONFIG_FILE_OPTION.flag} ${CONFIG_FILE_OPTION.valueName}`, CONFIG_FILE_OPTION.env, 'none',
      'JSON config file; it can set every option, including those without a flag.'),
  ];
  for (const option of OPTIONS) {
    if (!('flag' in option)) continue;
    lines.push(...entry(`--${option.flag} ${option.valueName}`, option.env, formatDefault(option.default), option.summary));
  }
  lines.push(
    ...entry('-h, --help', undefined, undefined, 'Print this help and exit.'),
    ...entry('--version', undefined, undefined, 'Print the version and exit.'),
    '',
    'Precedence, lowest to highest: defaults, config file, environment variables, flags.',
    'An empty environment variable counts as unset. Relative paths resolve against the',
    "working directory, or against the config file's directory for paths set in the file.",
    'All options and the config file format: docs/configuration.md',
  );
  return lines.join('\n');
}

function entry(flag: string, env: string | undefined, defaultText: string | undefined, summary: string): string[] {
  const envText = env === undefined ? '' : `env ${env}`;
  const head = defaultText === undefined ? flag : `${flag.padEnd(FLAG_WIDTH)} ${envText.padEnd(ENV_WIDTH)} default: ${defaultText}`;
  return [`  ${head}`, `      ${summary}`];
}

/** A default as shown to users: null → none, lists comma-separated. */
export function formatDefault(value: OptionValue): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
