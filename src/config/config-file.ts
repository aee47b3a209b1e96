// Reads the JSON config file into a layer; relative paths in it resolve against its directory.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ConfigProblem } from './config-error.js';
import { layerFromTree, type LayerResult } from './config-layer.js';
import type { ConfigFileRef } from './config-sources.js';
import { locateJsonError } from './json-error-position.js';

/** The option name used in problems about the file itself. */
const OPTION = 'config';

export async function readConfigFile(ref: ConfigFileRef, cwd: string): Promise<LayerResult> {
  const path = resolve(cwd, ref.path);
  const problem = (message: string): LayerResult => ({
    layer: new Map(),
    problems: [{ option: OPTION, source: ref.source, message } satisfies ConfigProblem],
  });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return problem(`cannot read ${JSON.stringify(path)}: ${fileErrorReason(error)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text);
    const where = at === undefined ? (error instanceof Error ? error.message : String(error)) : `${at.reason} at line ${at.line}, column ${at.column} (position ${at.offset})`;
    return problem(`${JSON.stringify(path)} is not valid JSON: ${where}`);
  }
  return layerFromTree(tree, `file ${path}`, dirname(path));
}

/** A readable reason for a failed file operation. */
export function fileErrorReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'it is a directory, not a file (EISDIR)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
