// A layer of settings from one source (file, environment, flags, code), keyed by option path,
// and the reader that turns a nested object (config file, defaultConfig overrides) into one.
import type { ConfigProblem } from './config-error.js';
import { NULLABLE_GROUPS, OPTION_BY_PATH, OPTION_GROUPS, OPTIONS } from './config-options.js';
import { closestName } from './closest-name.js';

export interface Setting {
  readonly value: unknown;
  /** 'env RTMP_PORT', 'flag --rtmp-port', 'file /etc/onramp.json', 'code'. */
  readonly source: string;
  /** Relative paths in this setting resolve against this directory. */
  readonly baseDir: string;
  /** True for strings from the environment or flags, which are parsed ('1935' → 1935). */
  readonly fromText: boolean;
}

export type Layer = ReadonlyMap<string, Setting>;

export interface LayerResult {
  readonly layer: Layer;
  readonly problems: readonly ConfigProblem[];
}

const KNOWN_PATHS = [...OPTIONS.map((o) => o.path), ...OPTION_GROUPS];

/**
 * Flattens a nested object shaped like OnrampConfig. Unknown keys are problems (typo
 * protection); undefined values count as absent; a null 'rtmps' turns RTMPS off.
 */
export function layerFromTree(tree: unknown, source: string, baseDir: string): LayerResult {
  const layer = new Map<string, Setting>();
  const problems: ConfigProblem[] = [];
  const visit = (node: unknown, prefix: string): void => {
    if (!isPlainObject(node)) {
      const what = prefix === '' ? 'the top level' : prefix;
      problems.push({ option: what, source, message: `must be an object, got ${describe(node)}` });
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (value === undefined) continue;
      if (OPTION_BY_PATH.has(path)) {
        layer.set(path, { value, source, baseDir, fromText: false });
      } else if (OPTION_GROUPS.has(path)) {
        if (value === null && NULLABLE_GROUPS.has(path)) {
          for (const leaf of ['certFile', 'keyFile']) layer.set(`${path}.${leaf}`, { value: null, source, baseDir, fromText: false });
        } else {
          visit(value, path);
        }
      } else {
        const guess = closestName(path, KNOWN_PATHS);
        const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
        problems.push({ option: path, source, message: `is not a known option${hint}` });
      }
    }
  };
  visit(tree, '');
  return { layer, problems };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it appears in messages: JSON, so strings are quoted and types are visible. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
