// Webhook request headers and signature (public API for receivers; keep it stable).
//
// Every delivery is an HTTP POST whose body is the event as JSON (see webhook-event.ts), with:
//   Content-Type:     application/json
//   User-Agent:       Onramp/<version>
//   Onramp-Event:     <event type>, e.g. stream.publish
//   Onramp-Event-Id:  <event id>; the same on every retry of one event, so drop duplicates by it
//   Onramp-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>   (only when a secret is configured)
//
// The v1 value is the lowercase hex HMAC-SHA256, keyed with the shared secret, of the string
// "<t>.<raw body>": the decimal timestamp of the `t` field, a full stop, then the request body
// exactly as received (bytes, before any JSON parsing or re-serialisation). `t` is the time of
// this attempt, so a retry carries a fresh timestamp and a fresh signature.
//
// To verify, a receiver recomputes the HMAC over its raw body, compares it with each `v1` value
// in constant time (more than one `v1` may appear, e.g. while a secret is being rotated; unknown
// fields are ignored) and rejects a `t` further than a tolerance (default 5 minutes) from its own
// clock, which limits replays. `verifyWebhookSignature` below does exactly that.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ONRAMP_VERSION } from '../config/version.js';

export const SIGNATURE_HEADER = 'Onramp-Signature';
export const EVENT_TYPE_HEADER = 'Onramp-Event';
export const EVENT_ID_HEADER = 'Onramp-Event-Id';
export const WEBHOOK_USER_AGENT = `Onramp/${ONRAMP_VERSION}`;
/** How far a signature's timestamp may be from the receiver's clock, by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

const SCHEME = 'v1';
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

function hmacHex(secret: string, timestampSec: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSec}.`).update(body).digest('hex');
}

/** The `Onramp-Signature` value for `body` at `nowSec` (fractions are dropped). */
export function signWebhook(body: string, secret: string, nowSec: number): string {
  if (secret.length === 0) throw new RangeError('signWebhook: the secret must not be empty');
  if (!Number.isFinite(nowSec) || nowSec < 0) throw new RangeError(`signWebhook: invalid time ${nowSec}`);
  const t = Math.floor(nowSec);
  return `t=${t},${SCHEME}=${hmacHex(secret, t, body)}`;
}

/**
 * True when `header` carries a v1 signature of `body` made with `secret`, at a timestamp within
 * `toleranceSec` of `nowSec` (either way). Never throws: any malformed input is just false.
 */
export function verifyWebhookSignature(
  header: string,
  body: string,
  secret: string,
  nowSec: number,
  toleranceSec: number = DEFAULT_SIGNATURE_TOLERANCE_SEC,
): boolean {
  if (typeof header !== 'string' || typeof body !== 'string' || typeof secret !== 'string') return false;
  if (secret.length === 0 || !Number.isFinite(nowSec) || !(toleranceSec >= 0)) return false;
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !UNIX_SECONDS.test(value)) return false; // one well-formed t only
      timestamp = Number(value);
    } else if (key === SCHEME && HEX_SHA256.test(value)) {
      candidates.push(value);
    }
  }
  if (timestamp === null || candidates.length === 0) return false;
  if (Math.abs(nowSec - timestamp) > toleranceSec) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  let matched = false;
  for (const candidate of candidates) {
    // Both are 32 bytes (checked by HEX_SHA256), as timingSafeEqual requires; check them all.
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched;
}

export interface WebhookHeaderInput {
  readonly eventType: string;
  readonly eventId: string;
  readonly body: string;
  /** Null or empty: the request is sent unsigned. */
  readonly secret: string | null;
  readonly nowSec: number;
}

/** The headers of one delivery attempt, as described at the top of this file. */
export function webhookHeaders(input: WebhookHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': WEBHOOK_USER_AGENT,
    [EVENT_TYPE_HEADER]: input.eventType,
    [EVENT_ID_HEADER]: input.eventId,
  };
  if (input.secret !== null && input.secret.length > 0) {
    headers[SIGNATURE_HEADER] = signWebhook(input.body, input.secret, input.nowSec);
  }
  return headers;
}
