// The 'deliver-webhook' job handler: one signed POST of one event per attempt; the job queue
// retries with backoff when the handler throws an ordinary Error and gives up at once on a
// PermanentJobError. Headers and signature: webhook-signature.ts.
//
// Outcome of one attempt:
//   2xx                           delivered (a body that fails to arrive afterwards is ignored);
//   408, 429, 5xx                 WebhookDeliveryError: retried (the receiver is busy or down);
//   timeout, network error        WebhookDeliveryError: retried (DNS, refused, reset, TLS);
//   3xx                           WebhookRejectedError (permanent). Redirects are never followed:
//                                 following one would send the signed event to a host nobody
//                                 configured, and re-POSTing the same URL only yields the same
//                                 redirect, so the operator must configure the final URL;
//   any other 4xx                 WebhookRejectedError (permanent): the receiver refused the
//                                 request itself, and the same request will be refused again;
//   any other status              retried (not a status an HTTP server should send).
// Errors and logs name the URL without credentials, query or fragment (either may hold a token),
// and never carry the secret or the signature. Credentials in the URL (https://user:pass@host/)
// are sent as HTTP Basic authorization, since fetch refuses URLs that contain them.
import type { Logger } from '../logging/logger.js';
import { PermanentJobError, type JobContext, type JobHandler } from '../jobs/job-types.js';
import { webhookHeaders } from './webhook-signature.js';

/** Response bytes kept for an error message; enough for a typical error page's gist. */
export const RESPONSE_SNIPPET_BYTES = 1024;
/** Response bytes read (and discarded) at most, so a receiver cannot make us read for ever. */
export const RESPONSE_DRAIN_BYTES = 64 * 1024;

export interface WebhookDeliveryOptions {
  readonly url: string;
  /** Null or empty: requests go unsigned (warning about that at start-up is the caller's job). */
  readonly secret: string | null;
  /** For the whole attempt: connecting, sending, the response headers and draining its body. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly nowMs?: () => number;
}

export type WebhookFailureReason = 'status' | 'redirect' | 'timeout' | 'network';

/** What went wrong with one attempt; safe to log. */
export interface WebhookFailure {
  /** The target without credentials, query or fragment. */
  readonly url: string;
  readonly eventId: string;
  readonly attempt: number;
  readonly reason: WebhookFailureReason;
  /** Null when no response arrived. */
  readonly status: number | null;
  /** The start of the response body (at most RESPONSE_SNIPPET_BYTES), control characters blanked. */
  readonly responseSnippet: string;
  /** For a network error, the system error code when there is one (ECONNREFUSED, ENOTFOUND, …). */
  readonly errorCode: string | null;
}

/** A failed attempt worth retrying. */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(readonly failure: WebhookFailure, options?: { cause?: unknown }) {
    super(describeFailure(failure), options);
  }
}

/** The receiver answered in a way retrying cannot change (a 4xx or a redirect). */
export class WebhookRejectedError extends PermanentJobError {
  constructor(readonly failure: WebhookFailure) {
    super(describeFailure(failure));
  }
}

interface Target {
  readonly fetchUrl: string;
  readonly safeUrl: string;
  readonly authorization: string | null;
}

function parseTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError('webhook URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RangeError(`webhook URL must use http or https, not ${parsed.protocol}`);
  }
  const authorization =
    parsed.username === '' && parsed.password === ''
      ? null
      : 'Basic ' +
        Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64');
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  return { fetchUrl: parsed.href, safeUrl: parsed.origin + parsed.pathname, authorization };
}

export function createWebhookDeliveryHandler(options: WebhookDeliveryOptions): JobHandler<'deliver-webhook'> {
  const target = parseTarget(options.url);
  const nowMs = options.nowMs ?? Date.now;
  const { logger, secret, timeoutMs } = options;

  return async ({ event }, ctx: JobContext) => {
    const body = JSON.stringify(event);
    const headers = webhookHeaders({ eventType: event.type, eventId: event.id, body, secret, nowSec: nowMs() / 1000 });
    if (target.authorization !== null) headers['Authorization'] = target.authorization;
    const startedMs = nowMs();
    const signal = AbortSignal.timeout(timeoutMs);
    const fail = (reason: WebhookFailureReason, status: number | null, snippet = '', errorCode: string | null = null): WebhookFailure => ({
      url: target.safeUrl,
      eventId: event.id,
      attempt: ctx.attempt,
      reason,
      status,
      responseSnippet: snippet,
      errorCode,
    });

    let error: WebhookDeliveryError | WebhookRejectedError;
    try {
      const response = await fetch(target.fetchUrl, { method: 'POST', headers, body, redirect: 'manual', signal });
      const snippet = await drainBody(response);
      const status = response.status;
      if (status >= 200 && status < 300) {
        logger.debug(
          { eventId: event.id, type: event.type, url: target.safeUrl, status, attempt: ctx.attempt, durationMs: nowMs() - startedMs },
          'webhook delivered',
        );
        return;
      }
      if (status >= 300 && status < 400) error = new WebhookRejectedError(fail('redirect', status, snippet));
      else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        error = new WebhookRejectedError(fail('status', status, snippet));
      } else error = new WebhookDeliveryError(fail('status', status, snippet));
    } catch (err) {
      const reason = signal.aborted ? 'timeout' : 'network';
      error = new WebhookDeliveryError(fail(reason, null, '', reason === 'network' ? networkCode(err) : null), { cause: err });
    }

    const final = error instanceof WebhookRejectedError || ctx.attempt >= ctx.maxAttempts;
    const fields = { ...error.failure, type: event.type, maxAttempts: ctx.maxAttempts };
    if (final) logger.warn(fields, 'webhook delivery failed for good');
    else logger.debug(fields, 'webhook delivery failed, will retry');
    throw error;
  };
}

function describeFailure(f: WebhookFailure): string {
  const what =
    f.reason === 'timeout'
      ? 'timed out'
      : f.reason === 'network'
        ? `network error${f.errorCode === null ? '' : ` (${f.errorCode})`}`
        : `${f.reason === 'redirect' ? 'redirect' : 'HTTP'} ${f.status ?? '?'}${f.responseSnippet === '' ? '' : `: ${f.responseSnippet}`}`;
  return `webhook POST ${f.url} (event ${f.eventId}, attempt ${f.attempt}): ${what}`;
}

/** The system error code under fetch's generic "fetch failed" (ECONNREFUSED, ENOTFOUND, …). */
function networkCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code: unknown = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return null;
}

/** Reads the body up to RESPONSE_DRAIN_BYTES, discards it and returns the start as text. */
async function drainBody(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const kept = new Uint8Array(RESPONSE_SNIPPET_BYTES);
  let keptLength = 0;
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk: Uint8Array = value;
      const take = Math.min(chunk.byteLength, RESPONSE_SNIPPET_BYTES - keptLength);
      kept.set(chunk.subarray(0, take), keptLength);
      keptLength += take;
      total += chunk.byteLength;
      if (total >= RESPONSE_DRAIN_BYTES) {
        await reader.cancel();
        break;
      }
    }
  } catch {
    // Reset or timed out while reading: the status is what counts; keep what arrived.
    reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(kept.subarray(0, keptLength));
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
