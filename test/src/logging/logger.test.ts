// createLogger: JSON lines with level names, ISO times, child bindings and level filtering.
import { describe, expect, it } from 'vitest';
import { createLogger, isLogLevel, LOG_LEVELS, type Logger } from '../../../src/logging/logger.js';

function capture(level: Parameters<typeof createLogger>[0]['level']): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the level name and an ISO time', () => {
    const raw: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line) => raw.push(line) } });
    logger.info({ port: 1935 }, 'listening');
    expect(raw).toHaveLength(1);
    expect(raw[0].endsWith('\n')).toBe(true);
    const line = JSON.parse(raw[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', msg: 'listening', port: 1935 });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('adds child bindings to every line of the child', () => {
    const { logger, lines } = capture('debug');
    const rtmp = logger.child({ component: 'rtmp', sessionId: 's1' });
    rtmp.debug('handshake done');
    rtmp.child({ stream: 'live/a' }).warn('dropped player');
    expect(lines.map((l) => [l.level, l.component, l.sessionId, l.stream ?? null, l.msg])).toEqual([
      ['debug', 'rtmp', 's1', null, 'handshake done'],
      ['warn', 'rtmp', 's1', 'live/a', 'dropped player'],
    ]);
  });

  it('drops lines below its level, and everything when silent', () => {
    const info = capture('info');
    info.logger.debug('hidden');
    info.logger.info('shown');
    expect(info.lines.map((l) => l.msg)).toEqual(['shown']);
    const silent = capture('silent');
    silent.logger.fatal('hidden');
    expect(silent.lines).toEqual([]);
  });

  it('serialises errors under err with type, message and stack', () => {
    const { logger, lines } = capture('error');
    logger.error({ err: new RangeError('bad size') }, 'write failed');
    expect(lines[0].err).toMatchObject({ type: 'RangeError', message: 'bad size' });
    expect((lines[0].err as { stack: string }).stack).toContain('RangeError: bad size');
  });

  it('knows the levels', () => {
    expect(LOG_LEVELS).toEqual(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
    expect(isLogLevel('warn')).toBe(true);
    expect(isLogLevel('WARN')).toBe(false);
    expect(isLogLevel(3)).toBe(false);
  });
});
