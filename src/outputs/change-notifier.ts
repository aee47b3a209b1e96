// Wakes everyone waiting for a storage key to change (a playlist got a new part, a part was
// written): all waiters of a key share one promise, so one write answers every blocked request
// at once, with no polling. In-process now; a Redis pub/sub implementation fits the same shape.

export interface ChangeNotifier {
  /** Resolves at the next notify(key). */
  next(key: string): Promise<void>;
  notify(key: string): void;
}

export class LocalChangeNotifier implements ChangeNotifier {
  private readonly waiting = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  next(key: string): Promise<void> {
    let w = this.waiting.get(key);
    if (!w) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      w = { promise, resolve };
      this.waiting.set(key, w);
    }
    return w.promise;
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
