// Every process the benchmark starts is registered here, so it is killed however the run ends
// (normal end, error, Ctrl-C), and so are its temporary folders: nothing of the benchmark is left.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function killAllNow(): void {
  for (const child of children) {
    if (isRunning(child)) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function hookProcessEnd(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.exit(130);
    });
  }
}

/** Registers a child; it is removed once it exits. */
export function track(child: ChildProcess): ChildProcess {
  hookProcessEnd();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A temporary folder removed when the benchmark exits, unless forget() was called first. */
export function removeOnExit(dir: string): { forget(): void } {
  hookProcessEnd();
  tempDirs.add(dir);
  return { forget: () => void tempDirs.delete(dir) };
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Asks the child to stop with `signal`, and kills it when it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<'exited' | 'killed'> {
  if (!isRunning(child)) return 'exited';
  const done = exited(child);
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'killed'>((resolve) => {
    timer = setTimeout(() => resolve('killed'), graceMs);
  });
  const how = await Promise.race([done.then(() => 'exited' as const), late]);
  clearTimeout(timer);
  if (how === 'killed') {
    child.kill('SIGKILL');
    await done;
  }
  return how;
}
