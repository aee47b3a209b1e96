// Judges a recording's outputs the way a user's tools would: ffmpeg decodes it from start to end
// without a message, and ffprobe's duration; for an MP4 also the order of its top-level boxes.
import { run } from './processes.js';

export interface VodProbe {
  readonly decodeErrors: string;
  readonly durationSec: number;
  readonly codecs: string[];
}

/** Decodes the whole input (a URL or a file) and reads its duration and codecs. */
export async function probeVod(input: string): Promise<VodProbe> {
  const [decode, probe] = await Promise.all([
    run('ffmpeg', ['-v', 'error', '-i', input, '-enc_time_base', '-1', '-f', 'null', '-'], { timeoutMs: 60_000 }),
    run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', input], { timeoutMs: 30_000 }),
  ]);
  const out = JSON.parse(probe.stdout.toString() || '{}') as { format?: { duration?: string }; streams?: { codec_name: string }[] };
  return {
    decodeErrors: (decode.code === 0 ? '' : `exit ${decode.code}: `) + decode.stderr + probe.stderr,
    durationSec: Number(out.format?.duration ?? NaN),
    codecs: (out.streams ?? []).map((s) => s.codec_name).sort(),
  };
}

/** The top-level box types of an ISO BMFF file, in order. */
export function topLevelBoxes(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types: string[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (size === 1) size = Number(view.getBigUint64(at + 8));
    if (size === 0) size = bytes.length - at;
    if (size < 8) break;
    types.push(type);
    at += size;
  }
  return types;
}
