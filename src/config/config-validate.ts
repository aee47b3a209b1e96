// Resolves every option from the layers (highest precedence last) over the defaults, checks
// each value and the rules between options, and builds the config when nothing is wrong.
import type { ConfigProblem } from './config-error.js';
import type { Layer, Setting } from './config-layer.js';
import { OPTIONS, OPTION_BY_PATH, waysToSet, type OptionValue } from './config-options.js';
import type { OnrampConfig } from './config-schema.js';
import { buildConfig } from './config-build.js';
import { parseOptionValue } from './option-value.js';

export const DEFAULT_SOURCE = 'default';

export interface ValidationResult {
  /** Present when problems is empty. */
  readonly config: OnrampConfig | undefined;
  /** Where each option's value came from, by option path. */
  readonly sources: ReadonlyMap<string, string>;
  readonly problems: readonly ConfigProblem[];
}

/** Relative default paths (mediaDir './media') resolve against defaultsDir. */
export function validateConfig(layers: readonly Layer[], defaultsDir: string): ValidationResult {
  const values = new Map<string, OptionValue>();
  const sources = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const spec of OPTIONS) {
    const setting = topSetting(layers, spec.path) ?? {
      value: spec.default,
      source: DEFAULT_SOURCE,
      baseDir: defaultsDir,
      fromText: false,
    };
    sources.set(spec.path, setting.source);
    const result = parseOptionValue(spec.kind, setting);
    if (result.ok) values.set(spec.path, result.value);
    else problems.push({ option: spec.path, source: setting.source, message: result.message });
  }
  problems.push(...crossCheck(values, sources));
  const config = problems.length === 0 ? buildConfig(values) : undefined;
  return { config, sources, problems };
}

function topSetting(layers: readonly Layer[], path: string): Setting | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const setting = layers[i].get(path);
    if (setting !== undefined) return setting;
  }
  return undefined;
}

/** Rules between options; an option that already failed its own check is skipped. */
function crossCheck(values: ReadonlyMap<string, OptionValue>, sources: ReadonlyMap<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const from = (path: string) => `${path} (from ${sources.get(path)})`;
  const problem = (path: string, message: string) => problems.push({ option: path, source: sources.get(path) ?? '', message });

  const cert = values.get('rtmps.certFile');
  const key = values.get('rtmps.keyFile');
  if (typeof cert === 'string' && key === null) {
    problem('rtmps.certFile', `is set but rtmps.keyFile is not: RTMPS needs a key too (${waysToSet(spec('rtmps.keyFile'))})`);
  }
  if (typeof key === 'string' && cert === null) {
    problem('rtmps.keyFile', `is set but rtmps.certFile is not: RTMPS needs a certificate too (${waysToSet(spec('rtmps.certFile'))})`);
  }
  const rtmpsOn = typeof cert === 'string' && typeof key === 'string';
  if (cert === null && key === null && values.has('rtmps.port') && sources.get('rtmps.port') !== DEFAULT_SOURCE) {
    problem('rtmps.port', 'is set but RTMPS is off: it needs a certificate and a key (TLS_CERT and TLS_KEY, --tls-cert and --tls-key)');
  }

  const ports = ['rtmp.port', ...(rtmpsOn ? ['rtmps.port'] : []), 'http.port'];
  const seen = new Map<number, string>();
  for (const path of ports) {
    const port = values.get(path);
    if (typeof port !== 'number' || port === 0) continue;
    const earlier = seen.get(port);
    if (earlier === undefined) seen.set(port, path);
    else problem(path, `is ${port}, the same port as ${from(earlier)}; each listener needs its own port`);
  }
  return problems;
}

function spec(path: string) {
  const found = OPTION_BY_PATH.get(path);
  if (found === undefined) throw new Error(`config: internal error, no option ${path}`);
  return found;
}
