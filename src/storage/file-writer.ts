// Whole-file writes on worker threads: a file is created, written, stamped and renamed into place
// (or appended to) by one message to a worker that makes the blocking calls in a row, instead of
// five round trips through libuv's thread pool (open, writev, fstat, close, rename), each of which
// wakes the event loop and allocates promises and request objects on it. The event loop never
// blocks: it copies the views into one buffer, hands that buffer over (transferred, not copied
// again) and is woken once with the result.
import { Worker } from 'node:worker_threads';

/** What a published file is stamped with (for its version ETag). */
export interface PublishedFile {
  readonly mtimeNs: bigint;
  readonly ino: bigint;
}

/** A failed file-system call, with the errno code (ENOENT, EEXIST, …) the worker saw. */
export class FileWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly syscall: string | undefined,
  ) {
    super(message);
    this.name = 'FileWriteError';
  }
}

/** A request as sent; the thread adds its id. */
type Job =
  | { readonly op: 'publish'; readonly temp: string; readonly path: string; readonly bytes: Uint8Array }
  | { readonly op: 'append'; readonly path: string; readonly bytes: Uint8Array };

/** Every reply hands the request's bytes back (for reuse). */
type Reply = { readonly id: number; readonly bytes: Uint8Array } & (
  | { readonly ok: true; readonly mtimeNs?: bigint; readonly ino?: bigint }
  | { readonly ok: false; readonly message: string; readonly code?: string; readonly syscall?: string }
);

/**
 * The worker (CommonJS, run from this string so that it needs no build step). Each request runs
 * to the end before the next: open (making the folder once if it is missing), write everything,
 * then for a publish fstat, close and rename; a failed publish removes its temporary file.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { dirname } = require('node:path');

function openIn(path, flags) {
  try {
    return fs.openSync(path, flags, 0o644);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    fs.mkdirSync(dirname(path), { recursive: true });
    return fs.openSync(path, flags, 0o644);
  }
}

function writeAll(fd, bytes) {
  for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
}

function publish(m) {
  const fd = openIn(m.temp, 'wx');
  let st;
  try {
    writeAll(fd, m.bytes);
    st = fs.fstatSync(fd, { bigint: true });
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(m.temp, { force: true });
    throw err;
  }
  try {
    fs.closeSync(fd);
    fs.renameSync(m.temp, m.path);
  } catch (err) {
    fs.rmSync(m.temp, { force: true });
    throw err;
  }
  return { mtimeNs: st.mtimeNs, ino: st.ino };
}

function append(m) {
  const fd = openIn(m.path, 'a');
  try {
    writeAll(fd, m.bytes);
  } finally {
    fs.closeSync(fd);
  }
  return {};
}

// The bytes go back with the answer: this thread allocates next to nothing, so its own garbage
// collector would seldom run and the buffers it received would pile up here.
parentPort.on('message', (m) => {
  const handBack = [m.bytes.buffer];
  try {
    const result = m.op === 'publish' ? publish(m) : append(m);
    parentPort.postMessage({ id: m.id, ok: true, bytes: m.bytes, ...result }, handBack);
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, bytes: m.bytes, message: String(err && err.message), code: err && err.code, syscall: err && err.syscall }, handBack);
  }
});
`;

interface Pending {
  readonly resolve: (reply: Reply & { ok: true }) => void;
  readonly reject: (err: Error) => void;
}

/** One worker thread and the requests it has not answered yet. */
class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private dead = false;

  constructor(
    private readonly onExit: (thread: WriterThread) => void,
    private readonly recycle: (bytes: Uint8Array) => void,
  ) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: 'onramp-file-writer' });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`file writer thread exited (code ${code})`)));
  }

  get load(): number {
    return this.pending.size;
  }

  get alive(): boolean {
    return !this.dead;
  }

  send(request: Job): Promise<Reply & { ok: true }> {
    if (this.dead) return Promise.reject(new Error('file writer thread is gone'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The thread keeps the process alive only while it owes answers.
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...request, id }, [request.bytes.buffer as ArrayBuffer]);
    });
  }

  /** Stops the thread; what it still owed is rejected. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    this.recycle(reply.bytes);
    if (reply.ok) waiter.resolve(reply);
    else waiter.reject(new FileWriteError(reply.message, reply.code, reply.syscall));
  }

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
    this.onExit(this);
  }
}

/** A few writer threads; each request goes to the one with the fewest requests outstanding. */
export class FileWriter {
  private threads: WriterThread[] = [];
  private readonly buffers = new BufferRecycler(RECYCLED_BYTES_MAX);

  constructor(private readonly size = 2) {}

  /** Writes `data` to `temp` (which must not exist), then renames it to `path`: readers see the old file or the new one whole. */
  async publish(temp: string, path: string, data: readonly Uint8Array[]): Promise<PublishedFile> {
    const reply = await this.pick().send({ op: 'publish', temp, path, bytes: this.joined(data) });
    return { mtimeNs: reply.mtimeNs ?? 0n, ino: reply.ino ?? 0n };
  }

  /** Appends `data` to `path`, creating it and its folder when missing. */
  async append(path: string, data: readonly Uint8Array[]): Promise<void> {
    await this.pick().send({ op: 'append', path, bytes: this.joined(data) });
  }

  /** Stops every thread (tests); the next request starts new ones. */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private pick(): WriterThread {
    while (this.threads.length < this.size) {
      this.threads.push(new WriterThread((gone) => this.forget(gone), (bytes) => this.buffers.give(bytes.buffer as ArrayBuffer)));
    }
    let best = this.threads[0];
    for (const t of this.threads) if (t.load < best.load) best = t;
    return best;
  }

  private forget(gone: WriterThread): void {
    this.threads = this.threads.filter((t) => t !== gone && t.alive);
  }

  /** The views copied into one buffer of its own (a recycled one when one fits), which is then handed to the worker. */
  private joined(data: readonly Uint8Array[]): Uint8Array {
    let size = 0;
    for (const view of data) size += view.byteLength;
    const out = this.buffers.take(size);
    let at = 0;
    for (const view of data) {
      out.set(view, at);
      at += view.byteLength;
    }
    return out;
  }
}

/** Bytes of returned buffers kept for reuse at most. */
const RECYCLED_BYTES_MAX = 32 * 1024 * 1024;
/** Buffers smaller than this are not kept (allocating them is cheap). */
const RECYCLED_BYTES_MIN = 64 * 1024;

/**
 * Buffers that came back from the writer threads, reused for the next files: segments are
 * similar in size, so most copies land in a buffer that exists already instead of a fresh
 * (zero-filled) allocation that the garbage collector must later account for and free.
 */
class BufferRecycler {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** A view of `size` bytes: of the smallest free buffer that holds it without wasting over half, else new. */
  take(size: number): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i].byteLength;
      if (length >= size && length <= size * 2 && (best < 0 || length < this.free[best].byteLength)) best = i;
    }
    if (best < 0) return new Uint8Array(size);
    const [buffer] = this.free.splice(best, 1);
    this.freeBytes -= buffer.byteLength;
    return new Uint8Array(buffer, 0, size);
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength < RECYCLED_BYTES_MIN) return;
    // Past the cap, the oldest go first.
    while (this.free.length > 0 && this.freeBytes + buffer.byteLength > this.maxBytes) this.freeBytes -= (this.free.shift() as ArrayBuffer).byteLength;
    if (buffer.byteLength > this.maxBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.byteLength;
  }
}

let shared: FileWriter | undefined;

/** The process's file writer, shared by every DiskStorage. */
export function sharedFileWriter(): FileWriter {
  shared ??= new FileWriter();
  return shared;
}
