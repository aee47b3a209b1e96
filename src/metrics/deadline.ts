// A promise bounded in time, for probes of dependencies (Redis, storage) that may hang rather
// than fail: /metrics and /readyz must answer within about a second whatever the dependency does.

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/** `work`'s outcome, or a DeadlineError after `ms` (the work itself is not cancelled). */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
