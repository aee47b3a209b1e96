// A logger for tests that keeps every line it writes as an entry in memory, so a test can
// assert exactly what was logged (e.g. one connection closed with exactly one warn line).
import { createLogger, type Logger } from './logger.js';
import type { LogLevel } from './log-level.js';

export type EntryLevel = Exclude<LogLevel, 'silent'>;

export interface MemoryLogEntry {
  readonly level: EntryLevel;
  readonly msg: string;
  /** Every other field of the line, child bindings included, without time, pid and hostname. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface MemoryLogger {
  /** Pass this wherever a Logger is expected; its children record into the same entries. */
  readonly logger: Logger;
  /** The entries in the order they were written; updated synchronously by each log call. */
  readonly entries: readonly MemoryLogEntry[];
  /** The entries of one level. */
  withLevel(level: EntryLevel): MemoryLogEntry[];
  clear(): void;
}

const DROPPED_KEYS = new Set(['level', 'msg', 'time', 'pid', 'hostname']);

/** Records every level from 'trace' up unless a higher level is given. */
export function createMemoryLogger(options: { readonly level?: LogLevel } = {}): MemoryLogger {
  const entries: MemoryLogEntry[] = [];
  const destination = {
    write(line: string): void {
      entries.push(toEntry(JSON.parse(line) as Record<string, unknown>));
    },
  };
  const logger = createLogger({ level: options.level ?? 'trace', destination });
  return {
    logger,
    entries,
    withLevel: (level) => entries.filter((e) => e.level === level),
    clear: () => {
      entries.length = 0;
    },
  };
}

function toEntry(line: Record<string, unknown>): MemoryLogEntry {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) {
    if (!DROPPED_KEYS.has(key)) fields[key] = value;
  }
  return {
    level: line.level as EntryLevel,
    msg: typeof line.msg === 'string' ? line.msg : '',
    fields,
  };
}
