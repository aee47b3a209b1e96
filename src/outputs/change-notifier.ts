// Wakes everyone waiting for a storage key to change (a playlist got a new part, a part was
// written): all waiters of a key share one promise, so one write answers every blocked request
// at once, with no polling. In-process now; a Redis pub/sub implementation fits the same shape.

export interface ChangeNotifier {
  /** Resolves at the next notify(key). */
  next(key: string): Promise<void>;
  notify(key: string): void;
}

/** Keys waited on at once before stale ones (never notified: a part of a stream that ended)
 *  are released; waiters give up after their own deadline anyway. */
const MAX_KEYS = 1000;
const STALE_MS = 60_000;

export class LocalChangeNotifier implements ChangeNotifier {
  private readonly waiting = new Map<string, { promise: Promise<void>; resolve: () => void; sinceMs: number }>();

  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  next(key: string): Promise<void> {
    let w = this.waiting.get(key);
    if (!w) {
      if (this.waiting.size >= MAX_KEYS) this.releaseStale();
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      w = { promise, resolve, sinceMs: this.nowMs() };
      this.waiting.set(key, w);
    }
    return w.promise;
  }

  private releaseStale(): void {
    const cutoff = this.nowMs() - STALE_MS;
    for (const [key, w] of this.waiting) {
      if (w.sinceMs < cutoff) {
        this.waiting.delete(key);
        w.resolve();
      }
    }
  }

  notify(key: string): void {
    const w = this.waiting.get(key);
    if (!w) return;
    this.waiting.delete(key);
    w.resolve();
  }

  /** Keys with someone waiting (for tests and metrics). */
  get pendingKeys(): number {
    return this.waiting.size;
  }
}
