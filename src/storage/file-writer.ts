// Whole-file writes on worker threads: a file is created, written, stamped and renamed into place
// (or appended to) by one message to a worker that makes the blocking calls in a row, instead of
// five round trips through libuv's thread pool (open, writev, fstat, close, rename), each of which
// wakes the event loop and allocates promises and request objects on it. The event loop never
// blocks: it copies the views into the thread's ring (shared memory, allocated once) and is woken
// once with the results of the requests the thread answered in a row (waking the event loop is
// what a reply costs most). Nothing is allocated per file, so writing adds no garbage to collect,
// and a burst of files (every stream closing its segments at once) waits for room in the ring
// rather than being copied all at once. A file can also be staged: written in pieces while it is
// made, kept open by one thread, then renamed into place whole.
import { Worker } from 'node:worker_threads';
import { copyViews } from '../../pipeline/core/byte-views.js';
import { byteLength } from './object-etag.js';

/** What a published file is stamped with (for its version ETag). */
export interface PublishedFile {
  readonly mtimeNs: bigint;
  readonly ino: bigint;
  /** When asked for: base64url of the first 16 bytes of the SHA-256 of the bytes written. */
  readonly hash?: string;
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

/** Where a request's bytes are: a span of the thread's ring, or (too large for it) a buffer of their own. */
type Bytes = { readonly offset: number; readonly length: number } | { readonly bytes: Uint8Array };

/** A request as sent; the thread adds its id. */
type Op =
  | { readonly op: 'publish'; readonly temp: string; readonly path: string; readonly hash: boolean }
  | { readonly op: 'append'; readonly path: string }
  /** A piece of a staged file: the first creates `temp` and keeps it open; with `path`, the file
   *  is then published (fstat, close, rename); with `abort`, it is closed and removed instead. */
  | { readonly op: 'stage'; readonly temp: string; readonly first: boolean; readonly path?: string; readonly abort?: boolean };
/** A request as posted: the thread answers it by its id. */
type Job = Op & Bytes & { readonly id: number };

type Reply = { readonly id: number } & (
  | { readonly ok: true; readonly mtimeNs?: bigint; readonly ino?: bigint; readonly hash?: string }
  | { readonly ok: false; readonly message: string; readonly code?: string; readonly syscall?: string }
);

/**
 * The worker (CommonJS, run from this string so that it needs no build step). Each request runs
 * to the end before the next: open (making the folder once if it is missing), write everything,
 * then for a publish fstat, close and rename (and, when asked, hash the bytes for a content ETag,
 * off the event loop); a failed publish removes its temporary file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
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

/**
 * Writes the request's bytes to the open temporary file m.temp, then, when it names m.path,
 * stamps, closes and renames the file into place and returns the stamp (without m.path the file
 * stays open: a staged piece). On any failure the file is closed and removed.
 */
function writeThenPublish(fd, m) {
  let closed = false;
  try {
    writeAll(fd, m.bytes);
    if (m.path === undefined) return undefined;
    const st = fs.fstatSync(fd, { bigint: true });
    closed = true;
    fs.closeSync(fd);
    fs.renameSync(m.temp, m.path);
    return { mtimeNs: st.mtimeNs, ino: st.ino };
  } catch (err) {
    if (!closed) fs.closeSync(fd);
    fs.rmSync(m.temp, { force: true });
    throw err;
  }
}

function publish(m) {
  const result = writeThenPublish(openIn(m.temp, 'wx'), m);
  if (m.hash) result.hash = createHash('sha256').update(m.bytes).digest().subarray(0, 16).toString('base64url');
  return result;
}

/** Staged files open in this thread, by temporary path. */
const staged = new Map();

function stage(m) {
  if (m.abort) {
    const fd = staged.get(m.temp);
    if (fd === undefined) return {}; // never opened, or already removed by the piece that failed
    staged.delete(m.temp);
    fs.closeSync(fd);
    fs.rmSync(m.temp, { force: true });
    return {};
  }
  let fd = staged.get(m.temp);
  if (fd === undefined) {
    if (!m.first) throw Object.assign(new Error('staged file ' + m.temp + ' is not open (an earlier piece failed)'), { code: 'EBADF' });
    fd = openIn(m.temp, 'wx');
    staged.set(m.temp, fd);
  }
  // The last piece closes the file, and a failed one closes and removes it: either way it is
  // no longer open here.
  if (m.path !== undefined) staged.delete(m.temp);
  try {
    return writeThenPublish(fd, m) ?? {};
  } catch (err) {
    staged.delete(m.temp);
    throw err;
  }
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

const ring = new Uint8Array(workerData.ring);

// Replies go back in batches: one message, so one wake-up of the event loop, for the requests
// answered in a row; a batch is sent once no request waits any more, or once its first reply
// is REPLY_BATCH_MS old (a long burst of requests does not hold back the first answers).
const REPLY_BATCH_MS = 2;
let replies = [];
let batchStart = 0;

function flush() {
  if (replies.length === 0) return;
  const batch = replies;
  replies = [];
  parentPort.postMessage(batch);
}

function reply(r) {
  if (replies.length === 0) {
    batchStart = performance.now();
    setImmediate(flush);
  }
  replies.push(r);
  if (performance.now() - batchStart >= REPLY_BATCH_MS) flush();
}

function run(m) {
  if (m.bytes === undefined) m.bytes = ring.subarray(m.offset, m.offset + m.length);
  try {
    const result = m.op === 'publish' ? publish(m) : m.op === 'stage' ? stage(m) : append(m);
    reply({ id: m.id, ok: true, ...result });
  } catch (err) {
    reply({ id: m.id, ok: false, message: String(err && err.message), code: err && err.code, syscall: err && err.syscall });
  }
}

// Requests come in batches too (those made in one turn of the caller's event loop), in order.
parentPort.on('message', (batch) => {
  for (const m of batch) run(m);
});
`;

interface Pending {
  readonly resolve: (reply: Reply & { ok: true }) => void;
  readonly reject: (err: Error) => void;
}

/** A request not sent yet: its views wait, uncopied, for room in the ring. */
interface Waiting extends Pending {
  readonly request: Op;
  readonly data: readonly Uint8Array[];
}

/** Size of each thread's ring; a file larger than half of it is sent in a buffer of its own.
 *  Segments come in pieces of a few hundred KB (staged writes), so a few MB suffice. */
const RING_BYTES = 4 * 1024 * 1024;

/** One worker thread, its ring and the requests it has not answered yet. */
class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  /** Requests waiting for room in the ring, in order: memory stays bounded by the ring when files come in a burst. */
  private readonly waiting: Waiting[] = [];
  private readonly ring = new RingSpans(RING_BYTES);
  private readonly ringView: Uint8Array;
  private nextId = 0;
  private dead = false;
  /** Requests made in one task of the event loop (and its microtasks), posted together: one
   *  message and one wake-up of the thread instead of one each. A message costs the event loop
   *  ~20 µs when idle and up to ~90 µs under load here (in a VM, waking another CPU is most of
   *  it), whatever it carries. Batching a whole turn of the loop (setImmediate) halved the
   *  messages at 100 streams but held each request until the turn ended: segment latency p90
   *  10 → 25 ms. */
  private outbox: Job[] = [];
  private outboxTransfer: ArrayBuffer[] = [];
  private readonly flush = (): void => {
    const batch = this.outbox;
    const transfer = this.outboxTransfer;
    this.outbox = [];
    this.outboxTransfer = [];
    if (!this.dead) this.worker.postMessage(batch, transfer);
  };

  constructor(private readonly onExit: (thread: WriterThread) => void) {
    const ring = new SharedArrayBuffer(RING_BYTES);
    this.ringView = new Uint8Array(ring);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: 'onramp-file-writer', workerData: { ring } });
    this.worker.unref();
    this.worker.on('message', (replies: readonly Reply[]) => {
      for (const reply of replies) this.settle(reply);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`file writer thread exited (code ${code})`)));
  }

  get load(): number {
    return this.pending.size + this.waiting.length;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Sends the request with `data` copied into the ring, once the ring has room (or in a buffer of its own when it is too large for the ring). */
  send(request: Op, data: readonly Uint8Array[]): Promise<Reply & { ok: true }> {
    if (this.dead) return Promise.reject(new Error('file writer thread is gone'));
    return new Promise((resolve, reject) => {
      const job: Waiting = { request, data, resolve, reject };
      if (this.waiting.length > 0 || !this.dispatch(job)) this.waiting.push(job);
    });
  }

  /** Copies and posts a request; false when the ring has no room for it now. */
  private dispatch(job: Waiting): boolean {
    const id = this.nextId;
    const length = byteLength(job.data);
    let message: Op & Bytes;
    let transfer: ArrayBuffer[] = [];
    if (length > RING_BYTES / 2) {
      const bytes = copyViews(new Uint8Array(length), job.data);
      message = { ...job.request, bytes };
      transfer = [bytes.buffer as ArrayBuffer];
    } else {
      const offset = this.ring.take(id, length);
      if (offset === undefined) return false;
      copyViews(this.ringView.subarray(offset, offset + length), job.data);
      message = { ...job.request, offset, length };
    }
    this.nextId++;
    this.pending.set(id, job);
    // The thread keeps the process alive only while it owes answers.
    if (this.pending.size === 1) this.worker.ref();
    if (this.outbox.length === 0) queueMicrotask(this.flush);
    this.outbox.push({ ...message, id });
    for (const t of transfer) this.outboxTransfer.push(t);
    return true;
  }

  /** Stops the thread; what it still owed is rejected. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    this.pending.delete(reply.id);
    this.ring.release(reply.id);
    while (this.waiting.length > 0 && this.dispatch(this.waiting[0])) this.waiting.shift();
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiter.resolve(reply);
    else waiter.reject(new FileWriteError(reply.message, reply.code, reply.syscall));
  }

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    for (const waiter of this.pending.values()) waiter.reject(err);
    for (const waiter of this.waiting) waiter.reject(err);
    this.pending.clear();
    this.waiting.length = 0;
    this.onExit(this);
  }
}

/**
 * The writer threads (one by default: a second measured no faster at 100 streams and cost 25 MB
 * more); each request goes to the one with the fewest requests outstanding.
 */
export class FileWriter {
  private threads: WriterThread[] = [];

  constructor(private readonly size = 1) {}

  /** True when requests are carried out in the order they are made (one thread, first in, first
   *  out); with several, each goes to the least busy one. */
  get inOrder(): boolean {
    return this.size === 1;
  }

  /** Writes `data` to `temp` (which must not exist), then renames it to `path`: readers see the
   *  old file or the new one whole. With `hash`, the reply carries the bytes' content hash. */
  async publish(temp: string, path: string, data: readonly Uint8Array[], hash = false): Promise<PublishedFile> {
    const reply = await this.pick().send({ op: 'publish', temp, path, hash }, data);
    const file = stampOf(reply);
    return reply.hash === undefined ? file : { ...file, hash: reply.hash };
  }

  /** Appends `data` to `path`, creating it and its folder when missing. */
  async append(path: string, data: readonly Uint8Array[]): Promise<void> {
    await this.pick().send({ op: 'append', path }, data);
  }

  /** A file written piece by piece into `temp` (which must not exist), kept open by one thread
   *  between pieces, then renamed into place whole: readers never see it before. */
  stage(temp: string): StagedFile {
    return new StagedFile(this.pick(), temp);
  }

  /** Stops every thread (tests); the next request starts new ones. */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private pick(): WriterThread {
    while (this.threads.length < this.size) {
      this.threads.push(new WriterThread((gone) => this.forget(gone)));
    }
    let best = this.threads[0];
    for (const t of this.threads) if (t.load < best.load) best = t;
    return best;
  }

  private forget(gone: WriterThread): void {
    this.threads = this.threads.filter((t) => t !== gone && t.alive);
  }
}

function stampOf(reply: Reply & { ok: true }): PublishedFile {
  return { mtimeNs: reply.mtimeNs ?? 0n, ino: reply.ino ?? 0n };
}

/** One staged file: its pieces go, in order, to the thread that holds it open. */
export class StagedFile {
  private opened = false;

  constructor(
    private readonly thread: WriterThread,
    private readonly temp: string,
  ) {}

  /** Writes `data` after the pieces before it; the views may be reused once it resolves. */
  async append(data: readonly Uint8Array[]): Promise<void> {
    await this.piece(data);
  }

  /** Writes the last piece and renames the file to `path`; on failure the temporary file is gone. */
  async publish(path: string, data: readonly Uint8Array[]): Promise<PublishedFile> {
    return stampOf(await this.piece(data, path));
  }

  /** Sends a piece; the first one creates the file. */
  private piece(data: readonly Uint8Array[], path?: string): Promise<Reply & { ok: true }> {
    const first = !this.opened;
    this.opened = true;
    return this.thread.send({ op: 'stage', temp: this.temp, first, path }, data);
  }

  /** Closes and removes the temporary file. */
  async abort(): Promise<void> {
    await this.thread.send({ op: 'stage', temp: this.temp, first: false, abort: true }, []);
  }
}

/**
 * Spans of a ring handed out in order and given back in the same order (a thread answers its
 * requests one after another): each new span starts where the newest in use ends, wrapping to
 * the start when the end has no room, and never reaches the oldest span still in use.
 */
class RingSpans {
  /** Spans in use, oldest first. */
  private readonly inUse: { id: number; start: number; end: number; done: boolean }[] = [];

  constructor(private readonly size: number) {}

  /** The start of a span of `length` bytes for request `id`, or undefined when it does not fit now. */
  take(id: number, length: number): number | undefined {
    if (length > this.size / 2) return undefined;
    let start = 0;
    if (this.inUse.length > 0) {
      const oldest = this.inUse[0].start;
      const newestEnd = this.inUse[this.inUse.length - 1].end;
      if (newestEnd > oldest) {
        // In use: [oldest, newestEnd); free: after it, then before oldest.
        if (newestEnd + length <= this.size) start = newestEnd;
        else if (length < oldest) start = 0;
        else return undefined;
      } else if (newestEnd + length < oldest) {
        start = newestEnd; // wrapped: free only between the newest end and the oldest start
      } else {
        return undefined;
      }
    }
    this.inUse.push({ id, start, end: start + length, done: false });
    return start;
  }

  /** Request `id` is answered: its span (and any answered before it) is free again. */
  release(id: number): void {
    const span = this.inUse.find((s) => s.id === id);
    if (span === undefined) return;
    span.done = true;
    while (this.inUse.length > 0 && this.inUse[0].done) this.inUse.shift();
  }
}


let shared: FileWriter | undefined;

/** The process's file writer, shared by every DiskStorage. */
export function sharedFileWriter(): FileWriter {
  shared ??= new FileWriter();
  return shared;
}
