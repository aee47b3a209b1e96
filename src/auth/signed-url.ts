// Signed publish URLs and playback tokens: HMAC-SHA256 (RFC 2104) over
// "publish/<app>/<name>/<expires>" or "play/<app>/<name>/<expires>", hex-encoded, with the expiry
// in Unix seconds. Verification compares digests in constant time and never throws.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Expiry in Unix seconds: digits only, at most 12 (year 33658), so parsing is exact. */
const EXPIRES_PATTERN = /^\d{1,12}$/;
/** A SHA-256 digest in hex. */
const DIGEST_PATTERN = /^[0-9a-fA-F]{64}$/;

export type SignatureVerdict =
  | { readonly ok: true; readonly expiresUnix: number }
  | { readonly ok: false; readonly reason: 'signature missing' | 'signature malformed' | 'signature expired' | 'signature invalid' };

export type TokenVerdict =
  | { readonly ok: true; readonly expiresUnix: number }
  | { readonly ok: false; readonly reason: 'token missing' | 'token malformed' | 'token expired' | 'token invalid' };

function digest(secret: string, purpose: 'publish' | 'play', app: string, name: string, expiresUnix: number): Buffer {
  return createHmac('sha256', secret).update(`${purpose}/${app}/${name}/${expiresUnix}`).digest();
}

function checkExpiry(expiresUnix: number): void {
  if (!Number.isSafeInteger(expiresUnix) || expiresUnix < 0 || !EXPIRES_PATTERN.test(String(expiresUnix))) {
    throw new RangeError(`expiry must be a whole number of Unix seconds with at most 12 digits, got ${String(expiresUnix)}`);
  }
}

/** The hex signature of a publish of app/name valid until expiresUnix. */
export function publishSignature(secret: string, app: string, name: string, expiresUnix: number): string {
  checkExpiry(expiresUnix);
  return digest(secret, 'publish', app, name, expiresUnix).toString('hex');
}

/**
 * "<app>/<name>?expires=<unix s>&sig=<hex>", to append to rtmp://host[:port]/. In OBS: server
 * rtmp://host/<app>, stream key "<name>?expires=…&sig=…".
 */
export function signPublishUrl(secret: string, app: string, name: string, expiresUnix: number): string {
  return `${app}/${name}?expires=${expiresUnix}&sig=${publishSignature(secret, app, name, expiresUnix)}`;
}

/** A playback token "<expires>.<hex>" for every HTTP file and RTMP play of app/name until expiresUnix. */
export function playToken(secret: string, app: string, name: string, expiresUnix: number): string {
  checkExpiry(expiresUnix);
  return `${expiresUnix}.${digest(secret, 'play', app, name, expiresUnix).toString('hex')}`;
}

/** The checks both verifications share, in their order: well-formed, then the digest compared
 *  first (so a forged request learns nothing from which check failed), then the expiry. */
function verifyDigest(
  secret: string,
  purpose: 'publish' | 'play',
  app: string,
  name: string,
  expires: string,
  hex: string,
  nowUnix: number,
): { readonly ok: true; readonly expiresUnix: number } | { readonly ok: false; readonly problem: 'malformed' | 'expired' | 'invalid' } {
  if (!EXPIRES_PATTERN.test(expires) || !DIGEST_PATTERN.test(hex)) return { ok: false, problem: 'malformed' };
  const expiresUnix = Number(expires);
  if (!timingSafeEqual(Buffer.from(hex, 'hex'), digest(secret, purpose, app, name, expiresUnix))) return { ok: false, problem: 'invalid' };
  if (expiresUnix < nowUnix) return { ok: false, problem: 'expired' };
  return { ok: true, expiresUnix };
}

/** Checks `expires` and `sig` (strings from the query, or undefined) for a publish of app/name. */
export function verifyPublishSignature(
  secret: string,
  app: string,
  name: string,
  expires: string | undefined,
  sig: string | undefined,
  nowUnix: number,
): SignatureVerdict {
  if (sig === undefined || expires === undefined) return { ok: false, reason: 'signature missing' };
  const v = verifyDigest(secret, 'publish', app, name, expires, sig, nowUnix);
  return v.ok ? v : { ok: false, reason: `signature ${v.problem}` };
}

/** Checks a playback token "<expires>.<hex>" for app/name. */
export function verifyPlayToken(secret: string, app: string, name: string, token: string | undefined, nowUnix: number): TokenVerdict {
  if (token === undefined || token === '') return { ok: false, reason: 'token missing' };
  const dot = token.indexOf('.');
  const v = verifyDigest(secret, 'play', app, name, dot < 0 ? '' : token.slice(0, dot), dot < 0 ? '' : token.slice(dot + 1), nowUnix);
  return v.ok ? v : { ok: false, reason: `token ${v.problem}` };
}
