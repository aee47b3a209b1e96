// Process CPU time and memory from Linux /proc: utime+stime (proc(5) /proc/pid/stat fields 14-15)
// and VmRSS/VmHWM (/proc/pid/status), plus a sampler that keeps the peak RSS every 250 ms.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

export interface CpuWindow {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** CPU-seconds per wall-second: 1 = one core fully busy. */
  readonly cpuPerWallSecond: number;
  /** The same for the main thread alone (for Node, the event loop; the rest is the libuv
   *  thread pool doing file I/O, GC helpers and the like). */
  readonly mainThreadCpuPerWallSecond: number;
}

/** CPU used by a process between start() and stop(). */
export class CpuMeter {
  private startCpu = 0;
  private startMain = 0;
  private startWallMs = 0;

  constructor(private readonly pid: number) {}

  start(): void {
    this.startCpu = readCpuSeconds(this.pid) ?? 0;
    this.startMain = readCpuSeconds(this.pid, this.pid) ?? 0;
    this.startWallMs = performance.now();
  }

  stop(): CpuWindow {
    const cpu = (readCpuSeconds(this.pid) ?? this.startCpu) - this.startCpu;
    const main = (readCpuSeconds(this.pid, this.pid) ?? this.startMain) - this.startMain;
    const wall = (performance.now() - this.startWallMs) / 1000;
    return {
      cpuSeconds: cpu,
      wallSeconds: wall,
      cpuPerWallSecond: wall > 0 ? cpu / wall : 0,
      mainThreadCpuPerWallSecond: wall > 0 ? main / wall : 0,
    };
  }
}

/** Samples VmRSS every `intervalMs` and keeps the peak. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private samples = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): { readonly peakRssBytes: number; readonly samples: number } {
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
    return { peakRssBytes: this.peak, samples: this.samples };
  }

  private sample(): void {
    const m = readMemory(this.pid);
    if (!m) return;
    this.samples++;
    if (m.rssBytes > this.peak) this.peak = m.rssBytes;
  }
}
