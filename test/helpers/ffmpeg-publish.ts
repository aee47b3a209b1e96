// ffmpeg publishing a live test source in real time: 320x180 H.264 High (B-frames, GOP `gopFrames`
// at 30 fps) + AAC, for tests that need a real encoder feeding Onramp.
import { run, type RunResult } from './processes.js';

export function ffmpegLivePublish(url: string, seconds: number, opts: { gopFrames?: number } = {}): Promise<RunResult> {
  const gop = String(opts.gopFrames ?? 30);
  const args = [
    '-v', 'error', '-re',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-bf', '2', '-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', '-ac', '2',
    '-f', 'flv', url,
  ];
  return run('ffmpeg', args, { timeoutMs: (seconds + 20) * 1000 });
}
