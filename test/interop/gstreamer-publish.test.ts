// GStreamer's rtmp2sink publishes the fixture; Onramp receives it intact: every video and audio
// frame arrives with the bytes and timestamps that the same pipeline writes to an FLV file, and
// the result decodes cleanly. (GStreamer trims the last AAC frame by the MP4 edit list, so the
// reference is GStreamer's own FLV, not ffmpeg's.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioTag, decodeVideoTag } from '../../pipeline/flv/index.js';
import { FIXTURE_H264_AAC, readFlv } from '../helpers/fixtures.js';
import { messagesToFlv } from '../helpers/flv-dump.js';
import { killAll, run } from '../helpers/processes.js';
import { captureStream } from '../helpers/stream-capture.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { hasGstElement, requireTool } from '../helpers/tools.js';

const enabled =
  requireTool('gst-launch-1.0', ['--version'], 'GStreamer') &&
  requireTool('ffmpeg') &&
  (hasGstElement('rtmp2sink') || requireTool('false', [], 'GStreamer rtmp2sink (gstreamer1.0-plugins-bad)'));

/** Coded frames (without sequence headers) as "timestamp:hex", in arrival order. */
function frames(bodies: { typeId: number; timestamp: number; payload: Uint8Array }[], typeId: 8 | 9): string[] {
  const out: string[] = [];
  for (const b of bodies) {
    if (b.typeId !== typeId) continue;
    const tag = typeId === 9 ? decodeVideoTag(b.payload)[0] : decodeAudioTag(b.payload)[0];
    if (tag?.packet === 'codedFrames') out.push(`${b.timestamp}:${Buffer.from(tag.data).toString('hex')}`);
  }
  return out;
}

const gstSource = [
  'filesrc', `location=${FIXTURE_H264_AAC}`, '!', 'qtdemux', 'name=d',
  'd.video_0', '!', 'queue', '!', 'h264parse', '!', 'video/x-h264,stream-format=avc', '!', 'm.',
  'd.audio_0', '!', 'queue', '!', 'aacparse', '!', 'm.',
  'flvmux', 'name=m', 'streamable=true', '!',
];

describe.skipIf(!enabled)('GStreamer publishes to Onramp', () => {
  let t: TestServer;
  let dir: string;

  beforeAll(async () => {
    t = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'onramp-gst-'));
  });
  afterEach(() => killAll());
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives every frame of an rtmp2sink publish intact', async () => {
    const cap = captureStream(t.server.registry, 'live', 'gst');
    const r = await run('gst-launch-1.0', ['-q', ...gstSource, 'rtmp2sink', `location=${t.rtmpUrl('live/gst')}`], { timeoutMs: 40_000 });
    expect(r.code, `gst-launch failed: ${r.stderr}`).toBe(0);
    await waitFor('the publish to end', () => cap.publishEnds > 0);

    const refPath = join(dir, 'reference.flv');
    const ref = await run('gst-launch-1.0', ['-q', ...gstSource, 'filesink', `location=${refPath}`], { timeoutMs: 40_000 });
    expect(ref.code, `gst-launch (file) failed: ${ref.stderr}`).toBe(0);
    const reference = readFlv(readFileSync(refPath)).map((x) => ({ typeId: x.tagType, timestamp: x.timestampMs, payload: x.body }));
    const gotVideo = frames(cap.messages, 9);
    const gotAudio = frames(cap.messages, 8);
    expect(gotVideo.length, 'video frames received').toBe(90);
    expect(gotVideo, 'video frames equal the file').toEqual(frames(reference, 9));
    expect(gotAudio, 'audio frames equal the file').toEqual(frames(reference, 8));
    expect(cap.messages.filter((m) => m.keyframe).length, 'keyframes (1 s GOP over 3 s)').toBe(3);

    const flvPath = join(dir, 'received.flv');
    writeFileSync(flvPath, messagesToFlv(cap.messages));
    const decode = await run('ffmpeg', ['-v', 'error', '-i', flvPath, '-f', 'null', '-']);
    expect(decode.stderr, 'the received stream decodes without errors').toBe('');
  });
});
