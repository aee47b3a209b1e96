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
    const previous = this.tail;
    const after = ordered && this.lastOrderedStart !== undefined ? this.lastOrderedStart : previous;
    // Only an ordered task needs to say when it has started (its storage call issued
    // synchronously): the next ordered task may start then.
    let started: (() => void) | undefined;
    this.lastOrderedStart = ordered ? new Promise<void>((resolve) => (started = resolve)) : undefined;
    const done = after
      .then(() => {
        try {
          return task();
        } finally {
          started?.();
        }
      })
      .then(
        () => {
          this.pending--;
        },
        (err: unknown) => {
          this.pending--;
          this.onError(err);
        },
      );
    // Everything so far is done once this task is and, if it did not wait for them, those before.
    this.tail = after === previous ? done : done.then(() => previous);
  }

  /** Resolves once everything queued so far is done. */
  idle(): Promise<void> {
    return this.tail;
  }
}
