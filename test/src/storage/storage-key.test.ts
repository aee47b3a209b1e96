// Key validation, shared by every backend: unsafe keys are refused by every method with
// StorageKeyError before any I/O happens.
import { describe, expect, it } from 'vitest';
import { StorageError, StorageKeyError } from '../../../src/storage/storage-errors.js';
import { checkStorageKey, MAX_KEY_LENGTH } from '../../../src/storage/storage-key.js';
import { STORAGE_BACKENDS, text } from './storage-backends.js';

const BAD_KEYS: readonly (readonly [string, string])[] = [
  ['', 'empty'],
  ['/etc/passwd', 'absolute'],
  ['C:/Windows/win.ini', 'drive letter'],
  ['c:x', 'drive letter'],
  ['..', '".." segment'],
  ['../secret', '".." segment'],
  ['live/../../secret', '".." segment'],
  ['live/x/..', '".." segment'],
  ['./live/x', '"." segment'],
  ['live/./x', '"." segment'],
  ['live/.hidden', 'starting with "."'],
  ['live/x/.index.m3u8.1a2b.tmp', 'starting with "."'],
  ['live\\..\\secret', 'backslash'],
  ['live/x\\y', 'backslash'],
  ['live/x\u0000.ts', 'control character'],
  ['live/x\n.ts', 'control character'],
  ['live//x', 'empty segment'],
  ['live/x/', 'empty segment'],
  ['a'.repeat(MAX_KEY_LENGTH + 1), 'longer than'],
];

const GOOD_KEYS = ['a', 'live/x/index.m3u8', 'live/a..b/seg-000001.ts', '-x/_y/init-1.mp4', 'live/x.y/part.1.m4s', 'a/b/c/d/e'];

describe('checkStorageKey', () => {
  it.each(BAD_KEYS)('refuses %j (%s)', (key, reason) => {
    expect(() => checkStorageKey('stat', key)).toThrow(StorageKeyError);
    try {
      checkStorageKey('stat', key);
    } catch (err) {
      expect(err).toBeInstanceOf(StorageError);
      expect(err).toMatchObject({ code: 'invalid-key', operation: 'stat', key });
      expect((err as StorageKeyError).reason).toContain(reason);
    }
  });

  it.each(GOOD_KEYS)('accepts %j', (key) => {
    expect(() => checkStorageKey('write', key)).not.toThrow();
  });
});

describe.each(STORAGE_BACKENDS)('%s refuses unsafe keys in every method', (_name, create) => {
  it.each(BAD_KEYS.map(([key]) => key).filter((key) => key !== ''))('%j', async (key) => {
    const { storage, dispose } = await create();
    try {
      await expect(storage.write(key, [text('x')])).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.writeAtomic(key, 'x')).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.stat(key)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.read(key)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.readAll(key)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(StorageKeyError);
      if (!/[^/]\/$/.test(key)) {
        // "live/x/" is a valid folder prefix: only keys refuse a trailing slash.
        await expect(storage.deletePrefix(key)).rejects.toBeInstanceOf(StorageKeyError);
        await expect(storage.list(key)).rejects.toBeInstanceOf(StorageKeyError);
      }
      expect(await storage.list('')).toEqual([]);
    } finally {
      await dispose();
    }
  });
});
