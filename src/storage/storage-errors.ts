// Typed errors of the media storage layer: every one names the operation and the key it concerns.

export type StorageOperation = 'write' | 'writeAtomic' | 'append' | 'writeStream' | 'stat' | 'read' | 'readAll' | 'delete' | 'deletePrefix' | 'list' | 'folders';

/** What went wrong: a refused key, a refused byte range, a key clashing with a folder, or an I/O fault. */
export type StorageErrorCode = 'invalid-key' | 'invalid-range' | 'conflict' | 'io';

export class StorageError extends Error {
  override readonly name: string = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    readonly operation: StorageOperation,
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} ${JSON.stringify(printable(key))}: ${message}`, options);
  }
}

/** A key (or prefix) that is not a safe relative path: absolute, '..', '.', backslash, NUL, etc. */
export class StorageKeyError extends StorageError {
  override readonly name = 'StorageKeyError';

  constructor(operation: StorageOperation, key: string, readonly reason: string) {
    super('invalid-key', operation, key, `invalid storage key: ${reason}`);
  }
}

function printable(key: string): string {
  const safe = key.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 96 ? `${safe.slice(0, 96)}…` : safe;
}
