// Storage keys are forward-slash relative paths ("live/mystream/seg-000001.ts"); this is the one
// place that decides which keys are safe, shared by every backend so they refuse the same keys.
import { StorageKeyError, type StorageOperation } from './storage-errors.js';

/** Longer keys are refused; stream names are ≤ 128 characters, so real keys stay far below. */
export const MAX_KEY_LENGTH = 1024;

/**
 * Throws StorageKeyError unless `key` is a non-empty relative path of '/'-separated segments,
 * each non-empty, not starting with '.' (which rules out '.' and '..' and reserves dot names for
 * temporary files), and free of backslashes, NUL and other control characters.
 */
export function checkStorageKey(operation: StorageOperation, key: string): void {
  const reason = keyProblem(key);
  if (reason !== undefined) throw new StorageKeyError(operation, key, reason);
}

/**
 * Validates a folder prefix such as "live/mystream" or "live/mystream/" and returns it without
 * the trailing slash; "" (the root) is allowed only when `allowRoot` is set.
 */
export function normalizePrefix(operation: StorageOperation, prefix: string, allowRoot: boolean): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (trimmed === '') {
    if (allowRoot && prefix === '') return '';
    throw new StorageKeyError(operation, prefix, allowRoot ? 'a prefix must not be "/"' : 'the prefix must name a folder, not the root');
  }
  checkStorageKey(operation, trimmed);
  return trimmed;
}

function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'empty';
  if (key.length > MAX_KEY_LENGTH) return `longer than ${MAX_KEY_LENGTH} characters`;
  if (key.includes('\\')) return 'contains a backslash';
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'contains a control character';
  if (key.startsWith('/')) return 'absolute';
  if (/^[A-Za-z]:/.test(key)) return 'starts with a drive letter';
  for (const segment of key.split('/')) {
    if (segment === '') return 'has an empty segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
    if (segment.startsWith('.')) return 'has a segment starting with "."';
  }
  return undefined;
}
