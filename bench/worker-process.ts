// Parent side of a worker process (load generator, viewers): fork the compiled script with a
// JSON argument, wait for its typed messages, stop it and always reap it.
import { fork, type ChildProcess } from 'node:child_process';
import { exited, stopChild, track } from './child-processes.js';
import type { WorkerCommand } from './worker-messages.js';

export class WorkerProcess<M extends { readonly type: string }> {
  private readonly child: ChildProcess;
  private readonly inbox: M[] = [];
  private readonly waiters: Array<() => void> = [];
  private stderr = '';

  constructor(scriptPath: string, arg: unknown) {
    this.child = track(fork(scriptPath, [JSON.stringify(arg)], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] }));
    this.child.stderr?.on('data', (b: Buffer) => {
      this.stderr = (this.stderr + b.toString()).slice(-4000);
    });
    this.child.on('message', (m) => {
      this.inbox.push(m as M);
      this.wake();
    });
    this.child.once('exit', () => this.wake());
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The next message of this type; rejects if the worker reports an error or exits first. */
  async next<T extends M['type']>(type: T, timeoutMs: number): Promise<Extract<M, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (i >= 0) {
        const m = this.inbox.splice(i, 1)[0];
        if (m.type === 'error' && type !== 'error') throw new Error(`worker failed: ${(m as unknown as { message: string }).message}`);
        return m as Extract<M, { type: T }>;
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`worker exited (${this.child.exitCode ?? this.child.signalCode}) before sending "${type}"${this.stderr ? `: ${this.stderr}` : ''}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`worker sent no "${type}" within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(command: WorkerCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  /** Waits for a clean exit, then signals, then kills. */
  async close(graceMs = 5000): Promise<void> {
    const done = exited(this.child);
    const timer = setTimeout(() => void stopChild(this.child, 'SIGTERM', 2000), graceMs);
    await done;
    clearTimeout(timer);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
