// rtmpdump (librtmp, the library behind OBS's RTMP output and many Flash-era tools) plays from
// Onramp: it connects with the Flash Player 9 digest handshake, starts on a keyframe from the
// GOP cache, and what it saves decodes cleanly.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeVideoTag } from '../../pipeline/flv/index.js';
import { FIXTURE_H264_AAC, readFlv } from '../helpers/fixtures.js';
import { killAll, run } from '../helpers/processes.js';
import { captureStream } from '../helpers/stream-capture.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';

const enabled = requireTool('rtmpdump', ['-h'], 'rtmpdump') && requireTool('ffmpeg');

describe.skipIf(!enabled)('rtmpdump plays from Onramp', () => {
  let t: TestServer;
  let dir: string;

  beforeAll(async () => {
    t = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'onramp-rtmpdump-'));
  });
  afterEach(() => killAll());
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the digest handshake and gets a stream that starts on a keyframe', async () => {
    const url = t.rtmpUrl('live/dump');
    const cap = captureStream(t.server.registry, 'live', 'dump');
    const publish = run('ffmpeg', ['-v', 'error', '-re', '-i', FIXTURE_H264_AAC, '-c', 'copy', '-f', 'flv', url], { timeoutMs: 30_000 });
    await waitFor('the publish to start', () => cap.messages.some((m) => m.keyframe) && cap.of(9).length > 10);
    const out = join(dir, 'dump.flv');
    const dump = await run('rtmpdump', ['-q', '-v', '-r', url, '-o', out], { timeoutMs: 30_000 });
    await publish;
    expect([0, 2], `rtmpdump exit (0 complete, 2 incomplete live): ${dump.stderr}`).toContain(dump.code);

    const handshakes = t.log.entries.filter((e) => e.msg === 'connect').map((e) => e.fields.handshake);
    expect(handshakes, 'librtmp uses the FP9 digest handshake').toContain('digest');

    const records = readFlv(readFileSync(out));
    const firstFrame = records.map((r) => (r.tagType === 9 ? decodeVideoTag(r.body)[0] : undefined)).find((v) => v?.packet === 'codedFrames');
    expect(firstFrame?.packet === 'codedFrames' && firstFrame.frameType, 'the first video frame is a keyframe').toBe('keyframe');
    expect(records.filter((r) => r.tagType === 9).length).toBeGreaterThan(30);
    const decode = await run('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-']);
    expect(decode.stderr, 'what rtmpdump saved decodes without errors').toBe('');
  });
});
