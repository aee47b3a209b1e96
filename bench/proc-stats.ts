// Process CPU time and memory from Linux /proc: utime+stime (proc(5) /proc/pid/stat fields 14-15)
// and VmRSS/VmHWM (/proc/pid/status), plus a sampler that keeps the peak RSS every 250 ms. Both
// measure one process or a set of them (a master and its workers), summed.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One pid, or a function listing the pids to measure (called again at each reading). */
export type ProcessSet = number | (() => readonly number[]);

function pidsOf(set: ProcessSet): readonly number[] {
  return typeof set === 'number' ? [set] : set();
}

/** The direct children of a process (the `children` file of each of its tasks in /proc, else a
 *  scan of /proc for the parent pid); empty once it is gone. */
export function childPids(pid: number): number[] {
  try {
    const out: number[] = [];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text !== '') out.push(...text.split(/\s+/).map(Number));
    }
    return out;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !existsProc(pid)) return [];
  }
  // Kernels without CONFIG_PROC_CHILDREN: field 4 of /proc/*/stat is the parent pid.
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function existsProc(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}

let clockTicks: number | undefined;

/** Clock ticks per second (getconf CLK_TCK; 100 when getconf is missing). */
export function clockTicksPerSec(): number {
  if (clockTicks === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      clockTicks = Number.isInteger(n) && n > 0 ? n : 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds the process (or, with `tid`, one of its threads) has used;
 *  undefined once it is gone. */
export function readCpuSeconds(pid: number, tid?: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field 14 (utime) is rest[11] and field 15 (stime) rest[12].
  const ticks = Number(rest[11]) + Number(rest[12]);
  return Number.isFinite(ticks) ? ticks / clockTicksPerSec() : undefined;
}

export interface MemoryNow {
  readonly rssBytes: number;
  /** The kernel's high-water mark of RSS over the process's whole life. */
  readonly hwmBytes: number;
}

export function readMemory(pid: number): MemoryNow | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
}

/** VmRSS summed over a set of processes (pages shared between them are counted in each); 0 when
 *  none is left. */
export function readRssSum(set: ProcessSet): { readonly rssBytes: number; readonly processes: number } {
  let rssBytes = 0;
  let processes = 0;
  for (const pid of pidsOf(set)) {
    const m = readMemory(pid);
    if (!m) continue;
    rssBytes += m.rssBytes;
    processes++;
  }
  return { rssBytes, processes };
}

export interface CpuWindow {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** CPU-seconds per wall-second: 1 = one core fully busy. */
  readonly cpuPerWallSecond: number;
  /** The same for the main thread alone (for Node, the event loop; the rest is the libuv
   *  thread pool doing file I/O, GC helpers and the like); with several processes, the sum of
   *  their main threads. */
  readonly mainThreadCpuPerWallSecond: number;
  /** Processes measured at the end of the window. */
  readonly processes: number;
}

interface CpuReading {
  readonly all: number;
  readonly main: number;
}

/** CPU used by a process, or a set of processes summed, between start() and stop(). A process
 *  that appears during the window counts from its start; one that ends during it is lost. */
export class CpuMeter {
  private startCpu = new Map<number, CpuReading>();
  private startWallMs = 0;

  constructor(private readonly set: ProcessSet) {}

  start(): void {
    this.startCpu = this.read();
    this.startWallMs = performance.now();
  }

  stop(): CpuWindow {
    const now = this.read();
    let cpu = 0;
    let main = 0;
    for (const [pid, r] of now) {
      const before = this.startCpu.get(pid) ?? { all: 0, main: 0 };
      cpu += r.all - before.all;
      main += r.main - before.main;
    }
    const wall = (performance.now() - this.startWallMs) / 1000;
    return {
      cpuSeconds: cpu,
      wallSeconds: wall,
      cpuPerWallSecond: wall > 0 ? cpu / wall : 0,
      mainThreadCpuPerWallSecond: wall > 0 ? main / wall : 0,
      processes: now.size,
    };
  }

  private read(): Map<number, CpuReading> {
    const out = new Map<number, CpuReading>();
    for (const pid of pidsOf(this.set)) {
      const all = readCpuSeconds(pid);
      if (all !== undefined) out.set(pid, { all, main: readCpuSeconds(pid, pid) ?? 0 });
    }
    return out;
  }
}

const TIMELINE_STEP_MS = 10_000;

/** Samples VmRSS (summed over the set) every `intervalMs` and keeps the peak and a coarse timeline. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private samples = 0;
  private startedAtMs = 0;
  /** One reading every TIMELINE_STEP_MS (for the soak: growth between minute 2 and the end). */
  private readonly timeline: { readonly sec: number; readonly mb: number }[] = [];
  private windowEnd: { readonly sec: number; readonly mb: number } | undefined;

  constructor(
    private readonly set: ProcessSet,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.startedAtMs = Date.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** The measured window ends now: this reading is the run's "end" for the soak (what follows is the publishers' teardown). */
  markWindowEnd(): void {
    this.sample(true);
    this.windowEnd = this.timeline.at(-1);
  }

  stop(): {
    readonly peakRssBytes: number;
    readonly samples: number;
    readonly timeline: readonly { readonly sec: number; readonly mb: number }[];
    readonly windowEnd?: { readonly sec: number; readonly mb: number };
  } {
    this.sample(true);
    clearInterval(this.timer);
    this.timer = undefined;
    const out = { peakRssBytes: this.peak, samples: this.samples, timeline: this.timeline };
    return this.windowEnd === undefined ? out : { ...out, windowEnd: this.windowEnd };
  }

  private sample(last = false): void {
    const m = readRssSum(this.set);
    if (m.processes === 0) return;
    this.samples++;
    if (m.rssBytes > this.peak) this.peak = m.rssBytes;
    const sec = (Date.now() - this.startedAtMs) / 1000;
    const previous = this.timeline[this.timeline.length - 1];
    if (last || previous === undefined || sec - previous.sec >= TIMELINE_STEP_MS / 1000) {
      this.timeline.push({ sec: Math.round(sec), mb: Math.round((m.rssBytes / (1024 * 1024)) * 10) / 10 });
    }
  }
}
