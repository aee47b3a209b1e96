// The on_publish / on_play HTTP callback: POST a JSON description of the request, read the answer
// within a time limit. 2xx allows (a JSON body {name} or {app, name} renames), 403 forbids, other
// 4xx refuse, anything else (3xx, 5xx, network error, timeout) is a failure, which callers treat
// as a refusal (fail closed).
import { checkStreamName } from '../streams/stream-names.js';
import type { QueryParams } from './stream-request.js';

/** Most bytes of an answer read; a rename is a few dozen. */
export const MAX_CALLBACK_BODY_BYTES = 64 * 1024;

export interface CallbackRequest {
  readonly action: 'publish' | 'play';
  readonly app: string;
  readonly name: string;
  readonly query: QueryParams;
  readonly ip: string;
  readonly sessionId: string;
}

export type CallbackResult =
  | { readonly kind: 'allow'; readonly app?: string; readonly name?: string }
  | { readonly kind: 'refuse'; readonly status: number }
  /** The answer was 2xx but named a stream that checkStreamName refuses. */
  | { readonly kind: 'badRename'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }
  /** The caller's signal fired (its connection closed): nothing to decide any more. */
  | { readonly kind: 'aborted' };

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface AuthCallback {
  /** origin + path of the callback, for logs (no credentials, no query). */
  readonly safeUrl: string;
  call(request: CallbackRequest, signal?: AbortSignal): Promise<CallbackResult>;
}

export function createAuthCallback(url: string, timeoutMs: number, fetchImpl: FetchLike = fetch): AuthCallback {
  const parsed = new URL(url);
  const authorization =
    parsed.username === '' && parsed.password === ''
      ? undefined
      : `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  const target = parsed.href;
  const safeUrl = parsed.origin + parsed.pathname;
  return {
    safeUrl,
    async call(request, signal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (authorization !== undefined) headers.Authorization = authorization;
      try {
        const response = await fetchImpl(target, { method: 'POST', headers, body: JSON.stringify(request), redirect: 'manual', signal: combined });
        const body = await readLimited(response);
        return interpret(response.status, body);
      } catch (err) {
        if (signal?.aborted === true) return { kind: 'aborted' };
        if (timeout.aborted) return { kind: 'failed', reason: `no answer within ${timeoutMs} ms` };
        return { kind: 'failed', reason: `network error${networkCode(err)}` };
      }
    },
  };
}

function interpret(status: number, body: string): CallbackResult {
  if (status >= 200 && status < 300) return allowed(body);
  if (status >= 400 && status < 500) return { kind: 'refuse', status };
  return { kind: 'failed', reason: `answered HTTP ${status}` };
}

/** A 2xx answer: an empty or non-JSON body allows as asked; {name} or {app, name} renames. */
function allowed(body: string): CallbackResult {
  let value: unknown;
  try {
    value = body.trim() === '' ? undefined : JSON.parse(body);
  } catch {
    return { kind: 'allow' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'allow' };
  const app: unknown = 'app' in value ? value.app : undefined;
  const name: unknown = 'name' in value ? value.name : undefined;
  if (name === undefined && app === undefined) return { kind: 'allow' };
  if (typeof name !== 'string') return { kind: 'badRename', reason: 'callback renamed without a string "name"' };
  const nameProblem = checkStreamName('stream', name);
  if (nameProblem !== undefined) return { kind: 'badRename', reason: `callback returned an invalid name: ${nameProblem}` };
  if (app === undefined) return { kind: 'allow', name };
  if (typeof app !== 'string') return { kind: 'badRename', reason: 'callback returned a non-string "app"' };
  const appProblem = checkStreamName('app', app);
  if (appProblem !== undefined) return { kind: 'badRename', reason: `callback returned an invalid app: ${appProblem}` };
  return { kind: 'allow', app, name };
}

async function readLimited(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_CALLBACK_BODY_BYTES) {
      await reader.cancel();
      return ''; // too long to be a rename: treated as an empty answer
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** " (ECONNREFUSED)" from fetch's generic "fetch failed", or ''. */
function networkCode(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if ('code' in current && typeof current.code === 'string') return ` (${current.code})`;
    current = current.cause;
  }
  return '';
}
