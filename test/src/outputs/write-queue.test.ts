// The write queue: tasks start in order; an ordered task starts as soon as the ordered task
// before it has started (its storage applies them in order), anything else only once every task
// before it has finished; a failure is reported and the queue goes on.
import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../../../src/outputs/write-queue.js';

/** A task that records its start and finishes when the test says so. */
function gate(log: string[], name: string, fail = false) {
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const task = async (): Promise<void> => {
    log.push(`start ${name}`);
    await finished;
    log.push(`end ${name}`);
    if (fail) throw new Error(`${name} failed`);
  };
  return { task, finish };
}

const settle = () => new Promise((r) => setTimeout(r, 1));

describe('WriteQueue', () => {
  it('starts ordered tasks back to back, and waits for all of them before one that is not ordered', async () => {
    const log: string[] = [];
    const q = new WriteQueue(() => undefined);
    const seg = gate(log, 'segment');
    const list = gate(log, 'playlist');
    const del = gate(log, 'delete');
    q.push(seg.task, true);
    q.push(list.task, true);
    q.push(del.task);
    await settle();
    expect(log, 'the playlist is issued behind the segment without waiting for it').toEqual(['start segment', 'start playlist']);
    expect(q.depth).toBe(3);
    list.finish();
    await settle();
    expect(log).not.toContain('start delete');
    seg.finish();
    await settle();
    expect(log.slice(2)).toEqual(['end playlist', 'end segment', 'start delete']);
    del.finish();
    await q.idle();
    expect(q.depth).toBe(0);
  });

  it('an ordered task after one that is not ordered waits for everything before it', async () => {
    const log: string[] = [];
    const q = new WriteQueue(() => undefined);
    const mem = gate(log, 'memory');
    const disk = gate(log, 'disk');
    q.push(mem.task);
    q.push(disk.task, true);
    await settle();
    expect(log).toEqual(['start memory']);
    mem.finish();
    await settle();
    expect(log).toEqual(['start memory', 'end memory', 'start disk']);
    disk.finish();
    await q.idle();
  });

  it('reports a failed task and goes on; idle() waits for every task queued so far', async () => {
    const errors: unknown[] = [];
    const log: string[] = [];
    const q = new WriteQueue((err) => errors.push(err));
    const a = gate(log, 'a', true);
    const b = gate(log, 'b');
    q.push(a.task, true);
    q.push(b.task, true);
    let idle = false;
    void q.idle().then(() => (idle = true));
    a.finish();
    await settle();
    expect(errors.map(String)).toEqual(['Error: a failed']);
    expect(idle, 'b is still running').toBe(false);
    b.finish();
    await settle();
    expect(idle).toBe(true);
  });
});
