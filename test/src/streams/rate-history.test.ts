// RateHistory: the bitrate samples behind the dashboard's chart, on an injected clock.
import { describe, expect, it } from 'vitest';
import { RateHistory } from '../../../src/streams/rate-meter.js';

describe('RateHistory', () => {
  it('reports complete intervals only, skipping the partly measured first one', () => {
    let now = 12_000; // inside the interval 10–15 s
    const h = new RateHistory(() => now, 5, 4);
    h.add(1000);
    expect(h.describe()).toEqual({ intervalSec: 5, kbps: [] });
    now = 15_000;
    h.add(6250); // 6250 B in 5 s = 10 kb/s
    now = 17_000;
    h.add(6250);
    expect(h.describe().kbps).toEqual([]); // 15–20 s is still in progress
    now = 20_000;
    expect(h.describe().kbps).toEqual([20]);
  });

  it('shows silent intervals as 0 and keeps only the last `samples` intervals', () => {
    let now = 0;
    const h = new RateHistory(() => now, 5, 4);
    h.add(1); // first interval, not reported
    for (const [atMs, bytes] of [[5_000, 625], [10_000, 1250], [20_000, 1875]] as const) {
      now = atMs;
      h.add(bytes);
    }
    now = 25_000;
    expect(h.describe().kbps).toEqual([1, 2, 0, 3]);
    now = 40_000; // 20–25 s is the oldest interval still kept
    expect(h.describe().kbps).toEqual([3, 0, 0, 0]);
    now = 1_000_000;
    expect(h.describe().kbps).toEqual([]);
  });
});
