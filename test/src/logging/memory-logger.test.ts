// createMemoryLogger: entries recorded synchronously, with child bindings as fields.
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';

describe('createMemoryLogger', () => {
  it('records level, message and fields, children included, as soon as a line is written', () => {
    const memory = createMemoryLogger();
    const conn = memory.logger.child({ component: 'rtmp', sessionId: 7 });
    conn.warn({ reason: 'bad chunk header' }, 'closed connection on malformed input');
    expect(memory.entries).toEqual([
      { level: 'warn', msg: 'closed connection on malformed input', fields: { component: 'rtmp', sessionId: 7, reason: 'bad chunk header' } },
    ]);
  });

  it('supports asserting exactly one line of a level', () => {
    const memory = createMemoryLogger();
    memory.logger.debug('connect');
    memory.logger.warn('closed');
    memory.logger.trace({ bytes: 10 }, 'chunk');
    expect(memory.withLevel('warn')).toHaveLength(1);
    expect(memory.entries.map((e) => e.level)).toEqual(['debug', 'warn', 'trace']);
    expect(memory.entries[2].fields).toEqual({ bytes: 10 });
  });

  it('records everything by default and honours a given level', () => {
    const quiet = createMemoryLogger({ level: 'warn' });
    quiet.logger.info('lifecycle');
    quiet.logger.error('fault');
    expect(quiet.entries.map((e) => e.msg)).toEqual(['fault']);
  });

  it('clears its entries', () => {
    const memory = createMemoryLogger();
    memory.logger.info('a');
    memory.clear();
    expect(memory.entries).toEqual([]);
    memory.logger.info('b');
    expect(memory.entries.map((e) => e.msg)).toEqual(['b']);
  });

  it('gives an empty message for lines logged without one', () => {
    const memory = createMemoryLogger();
    memory.logger.info({ n: 1 });
    expect(memory.entries[0]).toEqual({ level: 'info', msg: '', fields: { n: 1 } });
  });
});
