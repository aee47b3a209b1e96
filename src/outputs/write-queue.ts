// Runs one stream's storage writes in order, without blocking the event loop, so a segment is
// on disk before the playlist that lists it. A failed write is reported and the queue goes on.

export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Writes waiting or running. */
  get depth(): number {
    return this.pending;
  }

  push(task: () => Promise<unknown>): void {
    this.pending++;
    this.tail = this.tail
      .then(task)
      .then(
        () => undefined,
        (err: unknown) => this.onError(err),
      )
      .finally(() => {
        this.pending--;
      });
  }

  /** Resolves once everything queued so far is done. */
  idle(): Promise<void> {
    return this.tail;
  }
}
