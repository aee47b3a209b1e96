// Test media for the codec parsers: codec configs and frames from FFmpeg's FLV output, and ffprobe's view of the same streams.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlvRecord } from '../../../pipeline/flv/index.js';
import { FIXTURE_H264_AAC, readFlv, referenceFlvRecords } from '../../helpers/fixtures.js';
import { run } from '../../helpers/processes.js';
import { requireTool } from '../../helpers/tools.js';

export { FIXTURE_H264_AAC };
export const HAVE_FFMPEG = requireTool('ffmpeg') && requireTool('ffprobe');

const FLV_AUDIO = 8;
const FLV_VIDEO = 9;
/** Legacy FLV video body: FrameType|CodecID, AVCPacketType, SI24 CompositionTime, then data (FLV v10.1 E.4.3.1). */
const AVC_HEADER_SIZE = 5;
/** Legacy FLV AAC body: SoundFormat|…, AACPacketType, then data (E.4.2.1). */
const AAC_HEADER_SIZE = 2;

export interface VideoFrame {
  readonly data: Uint8Array;
  readonly keyframe: boolean;
}

export interface FlvMedia {
  readonly avcC?: Uint8Array;
  readonly asc?: Uint8Array;
  readonly video: VideoFrame[];
  readonly audio: Uint8Array[];
}

/** Splits legacy AVC/AAC FLV records into the first sequence headers and the coded frames. */
export function mediaFromRecords(records: readonly FlvRecord[]): FlvMedia {
  let avcC: Uint8Array | undefined;
  let asc: Uint8Array | undefined;
  const video: VideoFrame[] = [];
  const audio: Uint8Array[] = [];
  for (const { tagType, body } of records) {
    if (tagType === FLV_VIDEO && (body[0] & 0x0f) === 7) {
      if (body[1] === 0) avcC ??= body.subarray(AVC_HEADER_SIZE);
      else if (body[1] === 1) video.push({ data: body.subarray(AVC_HEADER_SIZE), keyframe: body[0] >> 4 === 1 });
    } else if (tagType === FLV_AUDIO && body[0] >> 4 === 10) {
      if (body[1] === 0) asc ??= body.subarray(AAC_HEADER_SIZE);
      else audio.push(body.subarray(AAC_HEADER_SIZE));
    }
  }
  return { avcC, asc, video, audio };
}

/** The repo fixture (H.264 High 320×180 30 fps with B-frames, AAC-LC 44.1 kHz stereo) as FFmpeg remuxes it to FLV. */
export async function fixtureMedia(): Promise<FlvMedia> {
  return mediaFromRecords(await referenceFlvRecords(FIXTURE_H264_AAC));
}

export interface ProbedStream {
  readonly profile?: string;
  readonly level?: number;
  readonly width?: number;
  readonly height?: number;
  readonly r_frame_rate?: string;
  readonly sample_rate?: string;
  readonly channels?: number;
}

export async function ffprobeStream(file: string, select: 'v' | 'a'): Promise<ProbedStream> {
  const r = await run('ffprobe', ['-v', 'error', '-select_streams', select, '-show_streams', '-of', 'json', file]);
  if (r.code !== 0) throw new Error(`ffprobe ${file}: ${r.stderr}`);
  return (JSON.parse(r.stdout.toString()) as { streams: ProbedStream[] }).streams[0];
}

/** A temporary directory for one test file's media, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `onramp-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Encodes three frames of testsrc2 with libx264 to a raw H.264 file, probes it, and remuxes it
 * to FLV to get the avcC FFmpeg builds for it.
 */
export async function encodeH264(dir: string, name: string, size: string, rate: string, args: readonly string[]): Promise<{ avcC: Uint8Array; probe: ProbedStream }> {
  const file = join(dir, `${name}.h264`);
  const enc = await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`, '-frames:v', '3', '-c:v', 'libx264', ...args, '-f', 'h264', '-y', file]);
  if (enc.code !== 0) throw new Error(`ffmpeg could not encode ${name}: ${enc.stderr}`);
  const probe = await ffprobeStream(file, 'v');
  // Raw H.264 has no timestamps; FLV needs some (their values do not matter here).
  const flv = await run('ffmpeg', ['-v', 'error', '-f', 'h264', '-i', file, '-c', 'copy', '-bsf:v', 'setts=pts=N:dts=N', '-f', 'flv', 'pipe:1']);
  if (flv.code !== 0) throw new Error(`ffmpeg could not remux ${name} to FLV: ${flv.stderr}`);
  const { avcC } = mediaFromRecords(readFlv(flv.stdout));
  if (!avcC) throw new Error(`no AVC sequence header in the FLV of ${name}`);
  return { avcC, probe };
}

/** profile_idc of ffprobe's H.264 profile names. */
export const PROFILE_IDC_BY_NAME: Record<string, number> = {
  Baseline: 66,
  'Constrained Baseline': 66,
  Main: 77,
  Extended: 88,
  High: 100,
  'High 10': 110,
  'High 4:2:2': 122,
  'High 4:4:4 Predictive': 244,
};

/** "30000/1001" → 29.97… */
export function rational(s: string | undefined): number {
  const [n, d] = (s ?? '').split('/').map(Number);
  return n / d;
}
