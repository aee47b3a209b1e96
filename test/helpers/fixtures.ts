// Paths of the test fixtures, and the FLV tags ffmpeg itself writes for them (the reference
// that what Onramp receives over RTMP is compared against).
import { fileURLToPath } from 'node:url';
import { FlvFileReader, type FlvRecord } from '../../pipeline/flv/index.js';
import { run } from './processes.js';

export const FIXTURE_H264_AAC = fileURLToPath(new URL('../fixtures/h264-high-bframes-aac-3s.mp4', import.meta.url));
export const E_RTMP_MEDIA_DIR = fileURLToPath(new URL('../../../shared/media/e-rtmp/', import.meta.url));

/** `ffmpeg -i input -c copy -f flv`: the tags ffmpeg's RTMP muxer sends for the same input. */
export async function referenceFlvRecords(input: string, extraArgs: readonly string[] = []): Promise<FlvRecord[]> {
  const r = await run('ffmpeg', ['-v', 'error', '-i', input, ...extraArgs, '-c', 'copy', '-f', 'flv', 'pipe:1']);
  if (r.code !== 0) throw new Error(`ffmpeg could not remux ${input} to FLV: ${r.stderr}`);
  return readFlv(r.stdout);
}

export function readFlv(bytes: Uint8Array): FlvRecord[] {
  const reader = new FlvFileReader();
  return [...reader.push(bytes), ...reader.flush()];
}
