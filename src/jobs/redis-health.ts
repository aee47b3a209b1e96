// Whether Redis is reachable, for the BullMQ backend: which errors mean "Redis is not there",
// and one log line per change of reachability instead of one per retry.
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const CONNECTION_ERROR_TEXT = /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Socket closed unexpectedly/i;

/** Errors that only say Redis cannot be reached right now (they end when it is back). */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  if (err instanceof AggregateError && err.errors.some(isRedisConnectionError)) return true;
  return CONNECTION_ERROR_TEXT.test(err.message);
}

/**
 * Whether Redis is reachable, as one client sees it (the producer connection), logged once per
 * change: 'redis unreachable' (error) when it goes, 'redis reachable again' (info) when it is
 * back. Errors from every other connection only go to trace (connection errors) or to a warn
 * line at most once a minute per message (anything else).
 */
export class RedisHealth {
  private state: 'connecting' | 'up' | 'down' = 'connecting';
  private downSinceMs = 0;
  private lastError: string | undefined;
  private closed = false;
  private waiters: (() => void)[] = [];
  private readonly warned = new Map<string, number>();

  private readonly log: Logger;
  private readonly where: string;

  constructor(log: Logger, where: string) {
    this.log = log;
    this.where = where;
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  watch(client: Redis): void {
    client.on('ready', () => this.markUp());
    client.on('close', () => this.markDown());
    client.on('error', (err: Error) => this.reportError('connection', err));
  }

  reportError(source: string, err: Error): void {
    if (isRedisConnectionError(err)) {
      this.lastError = err.message || (err as NodeJS.ErrnoException).code;
      this.log.trace({ source, err: this.lastError }, 'redis connection error');
      return;
    }
    if (this.closed) return;
    const now = Date.now();
    const last = this.warned.get(err.message);
    if (last !== undefined && now - last < 60_000) return;
    this.warned.set(err.message, now);
    if (this.warned.size > 100) this.warned.clear();
    this.log.warn({ source, err: err.message }, 'redis error');
  }

  /** Resolves when Redis is reachable or after maxMs, whichever comes first. */
  waitUntilUp(maxMs: number): Promise<void> {
    if (this.state === 'up' || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxMs);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private markUp(): void {
    if (this.closed) return;
    if (this.state === 'down') this.log.info({ redis: this.where, outageMs: Date.now() - this.downSinceMs }, 'redis reachable again');
    else if (this.state === 'connecting') this.log.debug({ redis: this.where }, 'redis connected');
    this.state = 'up';
    this.wake();
  }

  private markDown(): void {
    if (this.closed || this.state === 'down') return;
    this.state = 'down';
    this.downSinceMs = Date.now();
    this.log.error({ redis: this.where, err: this.lastError }, 'redis unreachable');
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
