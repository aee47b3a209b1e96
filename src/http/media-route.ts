// The HTTP media origin: GET and HEAD of /{app}/{name}/{file}, read only through MediaStorage,
// with validators and conditional requests (RFC 9110 §8.8, §13), single byte ranges (§14) and
// the cache policy of cache-policy.ts. Invalid paths fall through (next()) to the app's 404.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ManifestRewrite } from '../auth/http-play-access.js';
import { redactUrl } from '../auth/redact-url.js';
import type { Logger } from '../logging/logger.js';
import type { ByteRange, MediaStorage } from '../storage/media-storage.js';
import { contentEtag } from '../storage/object-etag.js';
import { NO_STORE, createCachePolicy, type CachePolicy } from './cache-policy.js';
import { contentTypeFor } from './content-types.js';
import { parseMediaPath, type MediaPath } from './media-path.js';

export interface MediaRouteDeps {
  readonly storage: MediaStorage;
  readonly logger: Logger;
  /** max-age of live playlists and manifests; defaults to DEFAULT_PLAYLIST_MAX_AGE_SEC (1 s). */
  readonly playlistMaxAgeSec?: number;
  /** Rewrites playlists and manifests per response (hands a playback token on); see src/auth/. */
  readonly rewriteManifest?: ManifestRewrite;
}

/** The representation selected for a request: validators plus a way to produce (part of) its body. */
interface Representation {
  readonly size: number;
  readonly mtimeMs: number;
  readonly etag: string;
  body(range: ByteRange): Promise<NodeJS.ReadableStream | undefined>;
}

export type RangeSelection = { readonly kind: 'whole' } | { readonly kind: 'unsatisfiable' } | ({ readonly kind: 'partial' } & ByteRange);

/** Headers describing the object, dropped when an error replaces the response. */
const REPRESENTATION_HEADERS = ['ETag', 'Last-Modified', 'Accept-Ranges', 'Content-Range', 'Content-Length', 'Content-Type'];

const WHOLE: RangeSelection = { kind: 'whole' };
const UNSATISFIABLE: RangeSelection = { kind: 'unsatisfiable' };

export function mediaRoute(deps: MediaRouteDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'media-origin' });
  const cache = createCachePolicy({ playlistMaxAgeSec: deps.playlistMaxAgeSec });
  router.use((req: Request, res: Response, next: NextFunction) => {
    const target = parseMediaPath(req.path);
    if (target === undefined) return next();
    const rewrite = deps.rewriteManifest;
    const transform = rewrite !== undefined && target.mutable ? (text: string) => rewrite(res, target.extension, text) : undefined;
    serveMediaRequest(deps.storage, log, req, res, target, cache.forKind(target.kind), transform);
  });
  return router;
}

/** What serveMediaRequest needs to know of a stored file. */
export type StoredTarget = Pick<MediaPath, 'key' | 'extension' | 'mutable'>;

/** Rewrites a mutable file's text before it is sent (validators are computed from the result). */
export type BodyTransform = (text: string) => string;

/**
 * Answers GET and HEAD of one stored file (405 otherwise) with validators, ranges and the given
 * Cache-Control; a miss is a 404 that caches must not keep. Never throws: failures are logged.
 */
export function serveMediaRequest(
  storage: MediaStorage,
  log: Logger,
  req: Request,
  res: Response,
  target: StoredTarget,
  cacheControl: string,
  transform?: BodyTransform,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    res.setHeader('Cache-Control', NO_STORE);
    res.status(405).end();
    return;
  }
  serve(storage, cacheControl, req, res, target, transform).catch((err: unknown) => {
    if (isClientAbort(err)) {
      log.debug({ key: target.key }, 'client closed the connection during a media response');
      return;
    }
    log.error({ err, key: target.key, method: req.method, url: redactUrl(req.originalUrl), status: res.headersSent ? res.statusCode : 500 }, 'media response failed');
    if (!res.headersSent) {
      for (const name of REPRESENTATION_HEADERS) res.removeHeader(name);
      res.setHeader('Cache-Control', NO_STORE);
      res.status(500).type('text/plain').end('internal error\n');
    } else {
      res.destroy(); // the body is cut short; the client must see an incomplete response
    }
  });
}

async function serve(storage: MediaStorage, cacheControl: string, req: Request, res: Response, target: StoredTarget, transform: BodyTransform | undefined): Promise<void> {
  const rep = await select(storage, target, transform);
  if (rep === undefined) {
    res.setHeader('Cache-Control', NO_STORE); // a segment not produced yet must not be cached as a miss
    res.status(404).type('text/plain').end('not found\n');
    return;
  }
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', rep.etag);
  res.setHeader('Last-Modified', httpDate(rep.mtimeMs));
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (isNotModified(req, rep, target.mutable)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', contentTypeFor(target.extension));
  // Range is defined for GET only (RFC 9110 §14.2): HEAD describes the whole object.
  const range = req.method === 'GET' && rangeApplies(req, rep, target.mutable) ? selectByteRange(req.headers.range, rep.size) : WHOLE;
  if (range.kind === 'unsatisfiable') {
    res.setHeader('Cache-Control', NO_STORE);
    res.setHeader('Content-Range', `bytes */${rep.size}`);
    res.removeHeader('Content-Type');
    res.status(416).end();
    return;
  }
  const span: ByteRange = range.kind === 'partial' ? range : { start: 0, end: rep.size - 1 };
  if (range.kind === 'partial') {
    res.status(206);
    res.setHeader('Content-Range', `bytes ${span.start}-${span.end}/${rep.size}`);
  }
  res.setHeader('Content-Length', String(span.end - span.start + 1));
  if (req.method === 'HEAD' || rep.size === 0) {
    res.end();
    return;
  }
  const body = await rep.body(span);
  if (body === undefined) throw new Error(`${target.key} disappeared between stat and read`);
  // pipeline destroys the body when the client goes away, which closes its file descriptor.
  await pipeline(body, res);
}

/**
 * Segments are streamed from storage (their size comes from stat; they never change). Playlists
 * and manifests are small and rewritten in place, so they are read whole and their length and
 * ETag come from the very bytes sent; stat comes first so Last-Modified is never newer than them.
 */
async function select(storage: MediaStorage, target: StoredTarget, transform: BodyTransform | undefined): Promise<Representation | undefined> {
  const stat = await storage.stat(target.key);
  if (stat === undefined) return undefined;
  if (!target.mutable) {
    return { ...stat, body: (span) => storage.read(target.key, span) };
  }
  const bytes = await storage.readAll(target.key);
  if (bytes === undefined) return undefined;
  const stored = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const buffer = transform === undefined ? stored : Buffer.from(transform(stored.toString('utf8')));
  return {
    size: buffer.byteLength,
    mtimeMs: stat.mtimeMs,
    etag: contentEtag([buffer]),
    body: async (span) => Readable.from([buffer.subarray(span.start, span.end + 1)], { objectMode: false }),
  };
}

/**
 * RFC 9110 §13.2.2: If-None-Match (weak comparison) wins over If-Modified-Since. HTTP dates have
 * one-second resolution; a playlist can change twice within one second, so for mutable objects
 * If-Modified-Since proves nothing unless the object is older than the whole second given.
 */
function isNotModified(req: Request, rep: Representation, mutable: boolean): boolean {
  const ifNoneMatch = headerValue(req, 'if-none-match');
  if (ifNoneMatch !== undefined) return etagListMatches(ifNoneMatch, rep.etag);
  const since = parseHttpDate(headerValue(req, 'if-modified-since'));
  if (since === undefined) return false;
  return mutable ? rep.mtimeMs < since : wholeSeconds(rep.mtimeMs) <= since;
}

function etagListMatches(header: string, etag: string): boolean {
  const opaque = stripWeak(etag);
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || stripWeak(tag) === opaque;
  });
}

/** RFC 9110 §13.1.5: a Range is honoured only if If-Range names the current representation. */
function rangeApplies(req: Request, rep: Representation, mutable: boolean): boolean {
  const ifRange = headerValue(req, 'if-range')?.trim();
  if (ifRange === undefined) return true;
  if (ifRange.startsWith('"')) return ifRange === rep.etag; // strong comparison
  if (ifRange.startsWith('W/')) return false;
  const date = parseHttpDate(ifRange);
  return !mutable && date !== undefined && date === wholeSeconds(rep.mtimeMs);
}

/**
 * One `bytes=` range of RFC 9110 §14.1.2 resolved against the object size. Other units, invalid
 * syntax and several ranges select the whole object (a server may ignore Range, §14.2); a range
 * starting past the end, or an empty suffix, is unsatisfiable (416).
 */
export function selectByteRange(header: string | undefined, size: number): RangeSelection {
  if (header === undefined) return WHOLE;
  const unit = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (unit === null) return WHOLE;
  const specs = unit[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length !== 1) return WHOLE;
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]);
  if (spec === null || (spec[1] === '' && spec[2] === '')) return WHOLE;
  if (spec[1] === '') {
    const suffix = Number(spec[2]);
    if (suffix === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(spec[1]);
  const last = spec[2] === '' ? Infinity : Number(spec[2]);
  if (last < start) return WHOLE; // first-pos > last-pos is invalid syntax (§14.1.1)
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'partial', start, end: Math.min(last, size - 1) };
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function httpDate(ms: number): string {
  return new Date(wholeSeconds(ms)).toUTCString();
}

/** IMF-fixdate and the obsolete RFC 850 and asctime forms (RFC 9110 §5.6.7); anything else is ignored. */
function parseHttpDate(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (text === undefined) return undefined;
  let ms = NaN;
  if (/^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2}(?:\d{2})? \d{2}:\d{2}:\d{2} GMT$/.test(text)) ms = Date.parse(text);
  else if (/^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/.test(text)) ms = Date.parse(`${text} GMT`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A request header as one string (repeated fields joined with ', ', as RFC 9110 §5.3 allows). */
function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function isClientAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
