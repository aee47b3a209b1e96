// ffmpeg publishes the H.264 High (B-frames) + AAC fixture over RTMP and RTMPS; the tags Onramp
// receives must equal, in codec configuration, count, timestamps and composition times, what
// `ffmpeg -c copy -f flv` writes for the same file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeVideoTag, type FlvRecord } from '../../pipeline/flv/index.js';
import { FIXTURE_H264_AAC, referenceFlvRecords } from '../helpers/fixtures.js';
import { killAll, run } from '../helpers/processes.js';
import { captureStream, type StreamCapture } from '../helpers/stream-capture.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';

const enabled = requireTool('ffmpeg') && requireTool('openssl', ['version']);

interface Tag {
  typeId: number;
  timestamp: number;
  compositionTimeMs?: number;
  bytes: string;
}

function tagOf(typeId: number, timestamp: number, payload: Uint8Array): Tag {
  const tag: Tag = { typeId, timestamp, bytes: Buffer.from(payload).toString('base64') };
  if (typeId === 9) {
    const v = decodeVideoTag(payload)[0];
    if (v?.packet === 'codedFrames') tag.compositionTimeMs = v.compositionTimeMs;
  }
  return tag;
}

const mediaTags = (records: FlvRecord[]): Tag[] =>
  records.filter((r) => r.tagType !== 18).map((r) => tagOf(r.tagType, r.timestampMs, r.body));

const capturedTags = (cap: StreamCapture): Tag[] =>
  cap.messages.filter((m) => m.typeId !== 18).map((m) => tagOf(m.typeId, m.timestamp, m.payload));

describe.skipIf(!enabled)('ffmpeg publishes to Onramp', () => {
  let t: TestServer;
  let reference: Tag[];
  let certDir: string;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'onramp-cert-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
    t = await startTestServer({ rtmps: { port: 0, certFile: join(certDir, 'cert.pem'), keyFile: join(certDir, 'key.pem') } });
    reference = mediaTags(await referenceFlvRecords(FIXTURE_H264_AAC));
  });
  afterEach(() => killAll());
  afterAll(async () => {
    await t?.stop();
    rmSync(certDir, { recursive: true, force: true });
  });

  async function publishAndCapture(url: string, name: string): Promise<StreamCapture> {
    const cap = captureStream(t.server.registry, 'live', name);
    const r = await run('ffmpeg', ['-v', 'error', '-i', FIXTURE_H264_AAC, '-c', 'copy', '-f', 'flv', url], { timeoutMs: 30_000 });
    expect(r.stderr, 'ffmpeg reported errors while publishing').toBe('');
    expect(r.code).toBe(0);
    await waitFor('the publish to end', () => cap.publishEnds > 0);
    return cap;
  }

  it('receives over RTMP exactly the tags ffmpeg writes to FLV', async () => {
    const cap = await publishAndCapture(t.rtmpUrl('live/ffmpeg-rtmp'), 'ffmpeg-rtmp');
    const got = capturedTags(cap);
    expect(got.length).toBe(reference.length);
    // Sequence headers first (codec configuration), then every frame with its timing.
    expect(got.filter((x) => x.typeId === 9).length).toBe(reference.filter((x) => x.typeId === 9).length);
    expect(got).toEqual(reference);
    expect(got.some((x) => (x.compositionTimeMs ?? 0) > 0), 'B-frames give positive composition times').toBe(true);
    expect(cap.of(18).length, 'onMetaData is forwarded').toBeGreaterThan(0);
  });

  it('receives the same over RTMPS', async () => {
    const url = `rtmps://127.0.0.1:${t.server.rtmpsPort}/live/ffmpeg-rtmps`;
    const cap = await publishAndCapture(url, 'ffmpeg-rtmps');
    expect(capturedTags(cap)).toEqual(reference);
  });

  it('lists the live stream in /api/streams while it is published', async () => {
    const cap = captureStream(t.server.registry, 'live', 'api-check');
    const publish = run('ffmpeg', ['-v', 'error', '-re', '-i', FIXTURE_H264_AAC, '-c', 'copy', '-f', 'flv', t.rtmpUrl('live/api-check')], { timeoutMs: 30_000 });
    await waitFor('media to flow', () => cap.of(9).length > 40);
    const res = await fetch(t.httpUrl('/api/streams'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { streams: Array<Record<string, unknown>> };
    const entry = body.streams.find((s) => s.name === 'api-check');
    expect(entry, 'the stream is listed').toBeDefined();
    expect(entry).toMatchObject({ app: 'live', name: 'api-check', live: true, video: { codec: 'avc1', codecString: 'avc1.64000d', width: 320, height: 180 }, audio: { codec: 'mp4a', codecString: 'mp4a.40.2' } });
    await publish;
  });
});
