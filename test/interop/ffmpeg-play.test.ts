// ffmpeg plays a stream back from Onramp over RTMP; the packets it gets (framemd5: timestamps,
// sizes and a hash of every packet) equal those of the published file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_H264_AAC } from '../helpers/fixtures.js';
import { killAll, run } from '../helpers/processes.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';

const enabled = requireTool('ffmpeg');

/** framemd5 lines without comments, grouped by stream, as "dts, pts, duration, size, md5". */
function packetsByStream(framemd5: string): string[][] {
  const streams: string[][] = [];
  for (const line of framemd5.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [index, ...rest] = line.split(',').map((s) => s.trim());
    (streams[Number(index)] ??= []).push(rest.join(','));
  }
  return streams;
}

describe.skipIf(!enabled)('ffmpeg plays from Onramp', () => {
  let t: TestServer;
  let dir: string;
  let flvPath: string;

  beforeAll(async () => {
    t = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'onramp-play-'));
    flvPath = join(dir, 'source.flv');
    const flv = await run('ffmpeg', ['-v', 'error', '-i', FIXTURE_H264_AAC, '-c', 'copy', '-f', 'flv', 'pipe:1']);
    writeFileSync(flvPath, flv.stdout);
  });
  afterEach(() => killAll());
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets every packet of the publish, unchanged', async () => {
    const url = t.rtmpUrl('live/playback');
    // The player comes first and waits for the publisher (play with start -2 on an idle name).
    const player = run('ffmpeg', ['-v', 'error', '-i', url, '-map', '0:v', '-map', '0:a', '-c', 'copy', '-f', 'framemd5', 'pipe:1'], { timeoutMs: 40_000 });
    await waitFor('the player to attach', () => (t.server.registry.get('live', 'playback')?.subscriberCount ?? 0) > 0);
    const pub = await run('ffmpeg', ['-v', 'error', '-re', '-i', flvPath, '-c', 'copy', '-f', 'flv', url], { timeoutMs: 30_000 });
    expect(pub.code, pub.stderr).toBe(0);
    const played = await player;
    expect(played.code, `ffmpeg player failed: ${played.stderr}`).toBe(0);
    const expected = await run('ffmpeg', ['-v', 'error', '-i', flvPath, '-map', '0:v', '-map', '0:a', '-c', 'copy', '-f', 'framemd5', 'pipe:1']);
    const got = packetsByStream(played.stdout.toString());
    const want = packetsByStream(expected.stdout.toString());
    expect(got.map((s) => s.length), 'packet count per stream').toEqual(want.map((s) => s.length));
    expect(got).toEqual(want);
  });
});
