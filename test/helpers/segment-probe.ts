// What ffprobe, ffmpeg and mux.js say about a TS segment: codecs, packet timestamps, decode errors.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { run } from './processes.js';

export interface ProbedSegment {
  readonly codecs: string[];
  /** Per codec type: packets' pts and dts in seconds, in file order. */
  readonly packets: Record<'video' | 'audio', { pts: number; dts: number; duration: number; keyframe: boolean }[]>;
  readonly decodeErrors: string;
}

interface FfprobeOut {
  streams: { index: number; codec_name: string; codec_type: string }[];
  packets: { stream_index: number; pts_time?: string; dts_time?: string; duration_time?: string; flags: string }[];
}

export async function probeSegment(dir: string, name: string, bytes: Buffer): Promise<ProbedSegment> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const [probe, decode] = await Promise.all([
    run('ffprobe', ['-v', 'error', '-show_streams', '-show_packets', '-of', 'json', file]),
    // The null encoder's time base is 1/frame rate by default: a publisher's ms-rounded, jittery
    // timestamps can then collide and be reported as non-monotonic although the 90 kHz ones are
    // fine. '-enc_time_base -1' keeps the source time base, so only real faults remain.
    run('ffmpeg', ['-v', 'error', '-i', file, '-enc_time_base', '-1', '-f', 'null', '-']),
  ]);
  const out = JSON.parse(probe.stdout.toString()) as FfprobeOut;
  const typeOf = new Map(out.streams.map((s) => [s.index, s.codec_type]));
  const packets: ProbedSegment['packets'] = { video: [], audio: [] };
  for (const p of out.packets) {
    const type = typeOf.get(p.stream_index);
    if (type !== 'video' && type !== 'audio') continue;
    packets[type].push({ pts: Number(p.pts_time), dts: Number(p.dts_time), duration: Number(p.duration_time ?? 0), keyframe: p.flags.includes('K') });
  }
  return { codecs: out.streams.map((s) => s.codec_name).sort(), packets, decodeErrors: decode.stderr + probe.stderr };
}

interface MuxjsInspection {
  video?: { type: string; pts: number; dts: number }[];
  audio?: { type: string; pts: number; dts: number }[];
}

const require = createRequire(import.meta.url);
const muxjs = require('mux.js') as { mp2t: { tools: { inspect(bytes: Uint8Array): MuxjsInspection | undefined } } };

/** mux.js's TS inspector: first and last PES timestamps (90 kHz) per track. */
export function muxjsInspect(bytes: Uint8Array): MuxjsInspection {
  return muxjs.mp2t.tools.inspect(bytes) ?? {};
}
