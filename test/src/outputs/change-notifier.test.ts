// The change notifier wakes every waiter of a key with one notification, and forgets keys.
import { describe, expect, it } from 'vitest';
import { LocalChangeNotifier } from '../../../src/outputs/change-notifier.js';

describe('LocalChangeNotifier', () => {
  it('answers all waiters of a key at once, and only that key', async () => {
    const n = new LocalChangeNotifier();
    const woken: string[] = [];
    const a1 = n.next('a').then(() => woken.push('a1'));
    const a2 = n.next('a').then(() => woken.push('a2'));
    void n.next('b').then(() => woken.push('b'));
    expect(n.pendingKeys).toBe(2);
    n.notify('a');
    await Promise.all([a1, a2]);
    expect(woken).toEqual(['a1', 'a2']);
    expect(n.pendingKeys).toBe(1);
  });

  it('releases keys nobody notified once too many are waited on', async () => {
    let now = 0;
    const n = new LocalChangeNotifier(() => now);
    const old = n.next('old');
    now = 120_000;
    for (let i = 0; i < 1000; i++) void n.next(`k${i}`);
    await old; // resolved by the sweep, not left pending for ever
    expect(n.pendingKeys).toBeLessThanOrEqual(1000);
  });
});
