// Validation of app and stream names: they become paths and URLs (/{app}/{name}/index.m3u8),
// so only a conservative character set is allowed and nothing that could climb directories.

/** Letters, digits, '_', '-', '.', not starting with '.', at most 128 characters. */
const NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/** App names the origin uses for its own paths (/vod/..., /api/..., /admin/...). */
export const RESERVED_APP_NAMES: ReadonlySet<string> = new Set(['vod', 'api', 'admin']);

/** Returns why a name is not acceptable, or undefined when it is. */
export function checkStreamName(kind: 'app' | 'stream', name: string): string | undefined {
  if (name.length === 0) return `${kind} name is empty`;
  if (kind === 'app' && RESERVED_APP_NAMES.has(name)) return `app name "${name}" is reserved (used by ${name === 'vod' ? 'recordings' : 'the origin'})`;
  if (!NAME_PATTERN.test(name)) {
    return `${kind} name "${truncate(name)}" is not allowed: use 1-128 letters, digits, '_', '-' or '.', not starting with '.'`;
  }
  return undefined;
}

export function streamKey(app: string, name: string): string {
  return `${app}/${name}`;
}

function truncate(s: string): string {
  const printable = s.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}
