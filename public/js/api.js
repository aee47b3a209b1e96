// Onramp's HTTP API, from the page's own origin (relative URLs: the page works behind a proxy).

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * @param {string} method
 * @param {string} path
 * @returns {Promise<any>}
 */
async function request(method, path) {
  let res;
  try {
    res = await fetch(path, { method, cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'the server cannot be reached');
  }
  if (res.status === 204) return null;
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, (body && typeof body.error === 'string' && body.error) || `${method} ${path}: HTTP ${res.status}`);
  return body;
}

/** @returns {Promise<any[]>} live streams, as GET /api/streams describes them */
export const listStreams = () => request('GET', '/api/streams').then((b) => b.streams);
/** @returns {Promise<any[]>} newest first */
export const listRecordings = () => request('GET', '/api/recordings').then((b) => b.recordings);
/** @param {string} id */
export const getRecording = (id) => request('GET', `/api/recordings/${encodeURIComponent(id)}`);
/** @param {string} id */
export const deleteRecording = (id) => request('DELETE', `/api/recordings/${encodeURIComponent(id)}`);

/** @type {Promise<any> | undefined} */
let server;
/** GET /api/server (fetched once per page load). */
export function serverInfo() {
  server ??= request('GET', '/api/server').catch((e) => {
    server = undefined;
    throw e;
  });
  return server;
}

/** @type {Promise<number> | undefined} */
let clockOffset;
/** Server clock minus this browser's clock in ms (from /api/time, the clock DASH's UTCTiming uses). */
export function serverClockOffsetMs() {
  clockOffset ??= (async () => {
    const sent = Date.now();
    const res = await fetch('/api/time', { cache: 'no-store' });
    const serverMs = Date.parse(await res.text());
    const received = Date.now();
    return Number.isFinite(serverMs) ? serverMs - (sent + received) / 2 : 0;
  })().catch(() => 0);
  return clockOffset;
}

/** The path of an absolute URL the API gave, so media loads from the page's own origin. @param {string} url */
export function localPath(url) {
  const u = new URL(url, location.href);
  return u.pathname + u.search;
}

/**
 * Runs task now and then every intervalMs after it settles, until the returned stop is called.
 * The task gets `active`, false once stopped: a view checks it after each await, so an answer
 * that arrives after the view is gone changes nothing.
 * @param {number} intervalMs
 * @param {(active: () => boolean) => Promise<void>} task
 * @param {(error: Error) => void} onError
 * @returns {() => void} stop
 */
export function repeat(intervalMs, task, onError) {
  let stopped = false;
  const active = () => !stopped;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const tick = async () => {
    try {
      await task(active);
    } catch (e) {
      if (!stopped) onError(e instanceof Error ? e : new Error(String(e)));
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
