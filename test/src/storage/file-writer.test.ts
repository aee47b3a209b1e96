// The file writer's threads: a publish is created, written and renamed into place in one request
// (and hashed for a content ETag when asked; folders made when missing, the temporary file removed when a step fails), appends create and
// extend, errors carry the errno code, the shared ring is reused (files wait for room in it), and a
// thread that dies fails what it owed and is replaced.
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWriteError, FileWriter } from '../../../src/storage/file-writer.js';
import { contentEtag, contentEtagOf } from '../../../src/storage/object-etag.js';

describe('FileWriter', () => {
  let dir: string;
  let writer: FileWriter;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-file-writer-'));
    writer = new FileWriter(2);
  });
  afterEach(async () => {
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes the views whole under the final name, making the folder, and reports its stamp', async () => {
    const target = join(dir, 'a', 'b', 'seg.ts');
    const views = [Buffer.from('hello '), new Uint8Array([119, 111, 114, 108, 100])];
    const done = writer.publish(join(dir, 'a', 'b', '.seg.tmp'), target, views);
    views[0].fill(0); // the views were copied when the call was made
    const stamp = await done;
    expect(await readFile(target, 'utf8')).toBe('hello world');
    const st = await stat(target, { bigint: true });
    expect(stamp).toEqual({ mtimeNs: st.mtimeNs, ino: st.ino });
    expect(await readdir(join(dir, 'a', 'b')), 'no temporary file left').toEqual(['seg.ts']);
  });

  it('hashes the bytes written when asked, as contentEtag does (off the event loop)', async () => {
    const views = [Buffer.from('#EXTM3U\n'), Buffer.from('#EXT-X-VERSION:7\n')];
    const expected = contentEtag(views.map((v) => Buffer.from(v)));
    const done = writer.publish(join(dir, '.ll.tmp'), join(dir, 'll.m3u8'), views, true);
    views[1].fill(0); // hashed from the copy the writer got, not from the caller views
    const st = await done;
    expect(contentEtagOf(st.hash as string)).toBe(expected);
    expect((await writer.publish(join(dir, '.x.tmp'), join(dir, 'x.ts'), [Buffer.from('x')])).hash, 'not asked: not hashed').toBeUndefined();
  });

  it('replaces an existing file whole', async () => {
    const target = join(dir, 'index.m3u8');
    await writeFile(target, 'old');
    await writer.publish(join(dir, '.index.tmp'), target, [Buffer.from('new')]);
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it('refuses a temporary name that exists (EEXIST) and leaves that file alone', async () => {
    const temp = join(dir, '.taken.tmp');
    await writeFile(temp, 'someone else');
    const err = await writer.publish(temp, join(dir, 'x.ts'), [Buffer.from('x')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileWriteError);
    expect(err).toMatchObject({ code: 'EEXIST', syscall: 'open' });
    expect(await readFile(temp, 'utf8')).toBe('someone else');
  });

  it('removes its temporary file when the rename fails', async () => {
    await mkdir(join(dir, 'folder.ts', 'inside'), { recursive: true });
    const err = await writer.publish(join(dir, '.f.tmp'), join(dir, 'folder.ts'), [Buffer.from('x')]).catch((e: unknown) => e);
    expect(err).toMatchObject({ syscall: 'rename' });
    expect((err as FileWriteError).code).toMatch(/^E(ISDIR|NOTEMPTY|EXIST)$/);
    expect((await readdir(dir)).sort()).toEqual(['folder.ts']);
  });

  it('reuses its ring without leaking bytes from one file into the next', async () => {
    await writer.publish(join(dir, '.a.tmp'), join(dir, 'a.ts'), [Buffer.alloc(200_000, 1)]);
    await writer.publish(join(dir, '.b.tmp'), join(dir, 'b.ts'), [Buffer.alloc(150_000, 2), Buffer.alloc(10, 3)]);
    await writer.append(join(dir, 'c.m4s'), [Buffer.alloc(190_000, 4)]);
    expect((await readFile(join(dir, 'a.ts'))).equals(Buffer.alloc(200_000, 1))).toBe(true);
    expect((await readFile(join(dir, 'b.ts'))).equals(Buffer.concat([Buffer.alloc(150_000, 2), Buffer.alloc(10, 3)]))).toBe(true);
    expect((await readFile(join(dir, 'c.m4s'))).equals(Buffer.alloc(190_000, 4))).toBe(true);
  });

  it('sends a file too large for its ring in a buffer of its own, and more files at once than the ring holds as room frees up', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024, 5);
    await writer.publish(join(dir, '.big.tmp'), join(dir, 'big.mp4'), [big]);
    expect((await readFile(join(dir, 'big.mp4'))).equals(big)).toBe(true);
    const many = Array.from({ length: 48 }, (_, i) => Buffer.alloc(1024 * 1024, i));
    await Promise.all(many.map((b, i) => writer.publish(join(dir, `.m${i}.tmp`), join(dir, `m${i}.ts`), [b])));
    for (const i of [0, 17, 47]) expect((await readFile(join(dir, `m${i}.ts`))).equals(many[i]), `m${i}.ts`).toBe(true);
  });

  it('stages files piece by piece, interleaved, each kept open by its thread until it is published or dropped', async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length;
    await writer.publish(join(dir, '.warm.tmp'), join(dir, 'warm'), []); // the threads start (their own descriptors)
    const before = fds();
    const files = ['a', 'b', 'c'].map((name) => ({ name, file: writer.stage(join(dir, 'live', `.${name}.tmp`)) }));
    for (let i = 0; i < 3; i++) await Promise.all(files.map(({ name, file }) => file.append([Buffer.from(`${name}${i}`)])));
    expect((await readdir(join(dir, 'live'))).sort(), 'only temporary files so far').toEqual(['.a.tmp', '.b.tmp', '.c.tmp']);
    expect(fds(), 'one descriptor per staged file while it is open').toBe(before + 3);
    const stamp = await files[0].file.publish(join(dir, 'live', 'a.ts'), [Buffer.from('!')]);
    await files[1].file.publish(join(dir, 'live', 'b.ts'), []);
    await files[2].file.abort();
    expect(await readFile(join(dir, 'live', 'a.ts'), 'utf8')).toBe('a0a1a2!');
    expect(await readFile(join(dir, 'live', 'b.ts'), 'utf8')).toBe('b0b1b2');
    expect(stamp.ino).toBe((await stat(join(dir, 'live', 'a.ts'), { bigint: true })).ino);
    expect((await readdir(join(dir, 'live'))).sort(), 'published or removed, no temporary file left').toEqual(['a.ts', 'b.ts']);
    expect(fds(), 'every descriptor closed').toBe(before);
  });

  it('a staged file whose first piece fails is gone, and its later pieces fail too', async () => {
    await writeFile(join(dir, 'blocker'), 'x');
    const file = writer.stage(join(dir, 'blocker', '.s.tmp'));
    await expect(file.append([Buffer.from('a')])).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(file.publish(join(dir, 'blocker', 's.ts'), [Buffer.from('b')])).rejects.toMatchObject({ code: 'EBADF' });
    await file.abort();
    expect(await readFile(join(dir, 'blocker'), 'utf8')).toBe('x');
  });

  it('appends, creating the file and its folder', async () => {
    const target = join(dir, 'rec', 'v.m4s');
    await writer.append(target, [Buffer.from('ab')]);
    await writer.append(target, [Buffer.from('c'), Buffer.from('d')]);
    expect(await readFile(target, 'utf8')).toBe('abcd');
  });

  it('writes many files at once across its threads', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `f${i}.ts`);
    await Promise.all(names.map((n, i) => writer.publish(join(dir, `.${n}.tmp`), join(dir, n), [Buffer.alloc(1000 + i, i)])));
    expect((await readdir(dir)).sort()).toEqual([...names].sort());
    expect((await readFile(join(dir, 'f7.ts'))).equals(Buffer.alloc(1007, 7))).toBe(true);
  });

  it('fails what a dead thread owed, then works again with a new one', async () => {
    const owed = writer.publish(join(dir, '.a.tmp'), join(dir, 'a.ts'), [Buffer.alloc(1 << 20)]).catch((e: unknown) => e);
    await writer.close();
    expect(await owed).toBeInstanceOf(Error);
    expect(String(await owed)).toMatch(/exited|gone/);
    await writer.publish(join(dir, '.b.tmp'), join(dir, 'b.ts'), [Buffer.from('b')]);
    expect(await readFile(join(dir, 'b.ts'), 'utf8')).toBe('b');
  });
});
