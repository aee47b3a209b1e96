// The service logger: pino writing one structured JSON object per line, with child loggers
// per component (`logger.child({ component: 'rtmp', sessionId })`).
//
// Level policy ("quiet by default"). Callers choose the level of each line so that a server
// at the default level 'info' prints only lifecycle events:
//   fatal  the process cannot continue (it exits right after);
//   error  a fault in Onramp itself or a dependency (disk full, Redis gone), never bad input;
//   warn   one connection or stream was affected: malformed input closed a connection, a
//          player was dropped, a publisher was replaced. One line per incident, not per packet;
//   info   lifecycle only: a server is listening or closed, a publish started or stopped;
//   debug  per-connection detail: connect, play, handshake results, negotiated chunk sizes;
//   trace  per-message detail, for debugging the protocol; never on in production.
// Other modules import the Logger type from this file, never from pino directly.
import pino from 'pino';
import type { LogLevel } from './log-level.js';

export type { LogLevel } from './log-level.js';
export { LOG_LEVELS, isLogLevel } from './log-level.js';

/** pino's logger. `child(bindings)` adds fields to every line the child writes. */
export type Logger = pino.Logger;

/** Where log lines go: anything with a synchronous `write(line)`; one JSON line per call. */
export interface LogDestination {
  write(line: string): void;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Defaults to standard output. */
  readonly destination?: LogDestination;
}

/**
 * A logger writing JSON lines such as
 * `{"level":"info","time":"2025-01-01T00:00:00.000Z","pid":1,"hostname":"h","component":"rtmp","msg":"listening"}`.
 * The level is written as its name and the time as ISO 8601, so lines read well without a
 * pretty-printer; errors go under the `err` key (pino's serializer keeps type, message, stack).
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
