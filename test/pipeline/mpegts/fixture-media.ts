// Real elementary streams for the interop tests: the repo fixture's H.264 as Annex B access units
// (ffmpeg's h264_mp4toannexb) and its AAC as ADTS frames, with ffprobe's packet timestamps.
import { run } from '../../helpers/processes.js';

export interface ProbedPacket {
  readonly pts: number;
  readonly dts: number;
  readonly keyframe: boolean;
}

export interface ProbedStream {
  /** time_base as numerator/denominator. */
  readonly timeBase: readonly [number, number];
  readonly packets: ProbedPacket[];
}

export interface FixtureMedia {
  readonly video: { readonly accessUnit: Uint8Array; readonly packet: ProbedPacket }[];
  readonly videoTimeBase: readonly [number, number];
  readonly audio: { readonly frame: Uint8Array; readonly packet: ProbedPacket }[];
  readonly audioTimeBase: readonly [number, number];
}

async function ok(command: string, args: string[]): Promise<Buffer> {
  const r = await run(command, args);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export async function probePackets(file: string, select: 'v' | 'a'): Promise<ProbedStream> {
  const out = await ok('ffprobe', ['-v', 'error', '-select_streams', select, '-show_entries', 'stream=time_base:packet=pts,dts,flags', '-of', 'json', file]);
  const json = JSON.parse(out.toString()) as { streams: { time_base: string }[]; packets: { pts: number; dts: number; flags: string }[] };
  const [num, den] = json.streams[0].time_base.split('/').map(Number);
  return { timeBase: [num, den], packets: json.packets.map((p) => ({ pts: p.pts, dts: p.dts, keyframe: p.flags.startsWith('K') })) };
}

/** NAL units of an Annex B stream as [start, end) offsets including their start codes. */
function nalUnits(bytes: Uint8Array): { start: number; header: number; end: number }[] {
  const starts: { start: number; header: number }[] = [];
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 1) {
      starts.push({ start: i > 0 && bytes[i - 1] === 0 ? i - 1 : i, header: i + 3 });
      i += 2;
    }
  }
  return starts.map((s, k) => ({ ...s, end: k + 1 < starts.length ? starts[k + 1].start : bytes.length }));
}

/** nal_unit_type of each NAL unit of an Annex B access unit. */
export function nalTypes(accessUnit: Uint8Array): number[] {
  return nalUnits(accessUnit).map((n) => accessUnit[n.header] & 0x1f);
}

/**
 * Access units of an Annex B stream (H.264 §7.4.1.2.3): a new one begins at an AUD, SPS, PPS or
 * SEI after a slice, or at a slice with first_mb_in_slice = 0 after a slice.
 */
export function splitAccessUnits(bytes: Uint8Array): Uint8Array[] {
  const units: Uint8Array[] = [];
  let auStart = -1;
  let sawSlice = false;
  for (const nal of nalUnits(bytes)) {
    const type = bytes[nal.header] & 0x1f;
    const isSlice = type === 1 || type === 5;
    const startsNew = sawSlice && (isSlice ? (bytes[nal.header + 1] & 0x80) !== 0 : [6, 7, 8, 9].includes(type) || (type >= 14 && type <= 18));
    if (auStart < 0) auStart = nal.start;
    else if (startsNew) {
      units.push(bytes.subarray(auStart, nal.start));
      auStart = nal.start;
      sawSlice = false;
    }
    if (isSlice) sawSlice = true;
  }
  if (auStart >= 0) units.push(bytes.subarray(auStart));
  return units;
}

/** ADTS frames by their frame_length fields (ISO/IEC 13818-7 §6.2). */
export function splitAdts(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (bytes[at] !== 0xff || (bytes[at + 1] & 0xf6) !== 0xf0) throw new Error(`no ADTS sync word at ${at}`);
    const length = ((bytes[at + 3] & 3) << 11) | (bytes[at + 4] << 3) | (bytes[at + 5] >> 5);
    frames.push(bytes.subarray(at, at + length));
    at += length;
  }
  return frames;
}

export async function loadFixtureMedia(file: string): Promise<FixtureMedia> {
  const [h264, adts, v, a] = await Promise.all([
    ok('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-c:v', 'copy', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', 'pipe:1']),
    ok('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a:0', '-c:a', 'copy', '-f', 'adts', 'pipe:1']),
    probePackets(file, 'v'),
    probePackets(file, 'a'),
  ]);
  const units = splitAccessUnits(new Uint8Array(h264));
  const frames = splitAdts(new Uint8Array(adts));
  if (units.length !== v.packets.length) throw new Error(`${units.length} access units but ffprobe lists ${v.packets.length} video packets`);
  if (frames.length !== a.packets.length) throw new Error(`${frames.length} ADTS frames but ffprobe lists ${a.packets.length} audio packets`);
  return {
    video: units.map((accessUnit, i) => ({ accessUnit, packet: v.packets[i] })),
    videoTimeBase: v.timeBase,
    audio: frames.map((frame, i) => ({ frame, packet: a.packets[i] })),
    audioTimeBase: a.timeBase,
  };
}
