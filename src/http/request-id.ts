// Request ids: every HTTP request gets one (a sane incoming X-Request-Id is kept, else a new one),
// echoed in the X-Request-Id response header and carried by the request's logger, so the lines a
// handler writes can be matched with a client's report. One summary line per request at debug,
// and at warn for a 5xx; nothing per request at info (quiet under load).
import { redactUrl } from '../auth/redact-url.js';
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logging/logger.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** Incoming ids are kept only when they are short and plain (they end up in logs and headers). */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** The longest URL written into a request's log line. */
const MAX_LOGGED_URL_CHARS = 256;

const CONTEXT = Symbol('onramp.request');

interface RequestContext {
  readonly id: string;
  readonly startMs: number;
}

type WithContext = Request & { [CONTEXT]?: RequestContext };

export interface RequestIdOptions {
  /** The HTTP component's logger; request loggers are its children. */
  readonly logger: Logger;
  /** Defaults to a random per-process prefix and a counter ("3f9a0c1e-1k"). */
  readonly newId?: () => string;
  /** Monotonic milliseconds for the logged duration; performance.now by default. */
  readonly clockMs?: () => number;
}

export function requestIdMiddleware(opts: RequestIdOptions): RequestHandler {
  const log = opts.logger;
  const clockMs = opts.clockMs ?? (() => performance.now());
  const newId = opts.newId ?? sequentialIds();
  // One listener for every request (no closure per request); `this` is the response.
  const onClose = function onClose(this: Response): void {
    const status = this.writableFinished ? this.statusCode : undefined;
    const serverError = status !== undefined && status >= 500;
    if (!serverError && !log.isLevelEnabled('debug')) return;
    const req = this.req as WithContext;
    const ctx = req[CONTEXT];
    if (ctx === undefined) return;
    // Playback tokens and signatures in the query never reach the log.
    const safe = redactUrl(req.originalUrl);
    const url = safe.length > MAX_LOGGED_URL_CHARS ? `${safe.slice(0, MAX_LOGGED_URL_CHARS)}…` : safe;
    const fields = { reqId: ctx.id, method: req.method, url, status: status ?? 'aborted', ms: Math.round((clockMs() - ctx.startMs) * 10) / 10 };
    if (serverError) log.warn(fields, 'http request failed');
    else log.debug(fields, 'http request');
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get(REQUEST_ID_HEADER);
    const id = incoming !== undefined && REQUEST_ID_PATTERN.test(incoming) ? incoming : newId();
    (req as WithContext)[CONTEXT] = { id, startMs: clockMs() };
    res.setHeader(REQUEST_ID_HEADER, id);
    res.once('close', onClose);
    next();
  };
}

/** The request's id; undefined when the middleware did not run (a test app without it). */
export function requestId(req: Request): string | undefined {
  return (req as WithContext)[CONTEXT]?.id;
}

/**
 * The request's logger: a child of `logger` (the handler's own, with its component) that adds
 * `reqId`; `logger` itself when the request has no id. Typed access instead of an Express-wide
 * `req.log` augmentation; call it where a handler logs (rare on the request path), not per request.
 */
export function requestLog(req: Request, logger: Logger): Logger {
  const id = (req as WithContext)[CONTEXT]?.id;
  return id === undefined ? logger : logger.child({ reqId: id });
}

/** Ids unique within the process and, through the random prefix, across processes. */
function sequentialIds(): () => string {
  const prefix = randomBytes(4).toString('hex');
  let n = 0;
  return () => `${prefix}-${(n++).toString(36)}`;
}
