// External tools the interop tests use (ffmpeg, ffprobe, GStreamer, rtmpdump, openssl). With
// CI=true a missing tool fails the run; elsewhere the tests skip with a visible reason.
import { spawnSync } from 'node:child_process';

const cache = new Map<string, boolean>();

export function hasTool(command: string, probeArgs: readonly string[] = ['-version']): boolean {
  const key = `${command} ${probeArgs.join(' ')}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    const r = spawnSync(command, probeArgs, { stdio: 'ignore', timeout: 10_000 });
    ok = r.error === undefined && r.status === 0;
    cache.set(key, ok);
  }
  return ok;
}

/** True when the tool is there; in CI a missing tool throws, elsewhere it logs why tests skip. */
export function requireTool(command: string, probeArgs?: readonly string[], what = command): boolean {
  if (hasTool(command, probeArgs)) return true;
  if (process.env.CI === 'true') throw new Error(`${what} is required in CI but is not installed (see .ci/run)`);
  console.warn(`skipping: ${what} is not installed`);
  return false;
}

export const hasGstElement = (element: string): boolean => hasTool('gst-inspect-1.0', [element]);
