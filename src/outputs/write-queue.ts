// Runs one stream's storage writes in order, without blocking the event loop, so a segment is
// on disk before the playlist that lists it. A failed write is reported and the queue goes on.
//
// A task is normally started once every task before it has finished. A task marked `ordered`
// (its storage applies it after every ordered write issued before it, e.g. one file writer
// thread taking requests first in, first out) starts as soon as the task before it has started,
// when that one is ordered too: a segment's last bytes and the playlist listing it then go to the
// writer together instead of one round trip after the other. Anything else (a delete, a write
// kept in memory and visible at once) still waits for everything before it to finish.

export class WriteQueue {
  /** Settles once every task queued so far has finished. */
  private tail: Promise<void> = Promise.resolve();
  /** Settles once the last task queued has started; undefined when that task is not ordered. */
  private lastOrderedStart: Promise<void> | undefined;
  private pending = 0;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Writes waiting or running. */
  get depth(): number {
    return this.pending;
  }

  push(task: () => Promise<unknown>, ordered = false): void {
    this.pending++;
    const after = ordered && this.lastOrderedStart !== undefined ? this.lastOrderedStart : this.tail;
    let started!: () => void;
    const start = new Promise<void>((resolve) => (started = resolve));
    const done = after
      .then(() => {
        // Started (its storage call issued synchronously) before the next ordered task may start.
        try {
          return task();
        } finally {
          started();
        }
      })
      .then(
        () => undefined,
        (err: unknown) => this.onError(err),
      )
      .finally(() => {
        this.pending--;
      });
    this.lastOrderedStart = ordered ? start : undefined;
    const previous = this.tail;
    this.tail = Promise.all([previous, done]).then(() => undefined);
  }

  /** Resolves once everything queued so far is done. */
  idle(): Promise<void> {
    return this.tail;
  }
}
