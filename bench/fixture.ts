// The benchmark's fixture: a synthetic H.264 High (B-frames) + AAC-LC FLV made once with ffmpeg
// and cached in bench/.cache/, named after a hash of the exact ffmpeg arguments.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { track } from './child-processes.js';
import { FIXTURE_CACHE_DIR } from './paths.js';

export interface FixtureSpec {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly keyframeIntervalSec: number;
  /** 8 s: the shortest length on which 30 fps video and 1024-sample AAC frames at 48 kHz both end
   *  exactly (240 and 375 frames), so the replay loops without a gap or an overlap. */
  readonly seconds: number;
  readonly videoKbps: number;
  readonly audioKbps: number;
}

const FULL = { width: 1280, height: 720, fps: 30, seconds: 8, videoKbps: 3000, audioKbps: 128 } as const;
const QUICK = { width: 640, height: 360, fps: 30, seconds: 8, videoKbps: 1000, audioKbps: 96 } as const;

/** The load fixture (2 s keyframe interval) and the latency fixture (1 s), full or quick size. */
export function fixtureSpecs(quick: boolean): { readonly load: FixtureSpec; readonly latency: FixtureSpec } {
  const base = quick ? QUICK : FULL;
  return { load: { ...base, keyframeIntervalSec: 2 }, latency: { ...base, keyframeIntervalSec: 1 } };
}

function ffmpegArgs(spec: FixtureSpec, out: string): string[] {
  const gop = String(spec.fps * spec.keyframeIntervalSec);
  const kbps = `${spec.videoKbps}k`;
  return [
    '-v', 'error', '-y',
    // Temporal noise over the test pattern makes x264 spend the whole bitrate, like camera video.
    '-f', 'lavfi', '-i', `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps},noise=alls=12:allf=t`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(spec.seconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-bf', '2',
    '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    '-b:v', kbps, '-maxrate', kbps, '-bufsize', kbps, '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', `${spec.audioKbps}k`, '-ac', '2', '-ar', '48000',
    '-f', 'flv', out,
  ];
}

export function fixturePath(spec: FixtureSpec): string {
  const hash = createHash('sha1').update(JSON.stringify(ffmpegArgs(spec, ''))).digest('hex').slice(0, 8);
  return join(FIXTURE_CACHE_DIR, `${spec.height}p${spec.fps}-gop${spec.keyframeIntervalSec}s-${spec.seconds}s-${hash}.flv`);
}

/** The fixture's path, generating it first when it is not cached. */
export async function ensureFixture(spec: FixtureSpec): Promise<string> {
  const path = fixturePath(spec);
  if (existsSync(path)) return path;
  await mkdir(FIXTURE_CACHE_DIR, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await new Promise<void>((resolve, reject) => {
      const child = track(spawn('ffmpeg', ffmpegArgs(spec, tmp), { stdio: ['ignore', 'ignore', 'pipe'] }));
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
      child.once('error', (e) => reject(new Error(`ffmpeg is needed to make the benchmark fixture: ${e.message}`)));
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (exit ${code}) making ${path}: ${stderr.trim()}`))));
    });
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return path;
}
