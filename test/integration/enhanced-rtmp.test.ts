// Enhanced RTMP: the spec maintainers' AV1 + Opus vectors (../shared/media/e-rtmp, written by
// FFmpeg with Enhanced FLV) are published through Onramp's own client; the server recognises the
// codecs, logs that they cannot be packaged yet, and relays every tag unchanged to a player.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { E_RTMP_MEDIA_DIR, readFlv } from '../helpers/fixtures.js';
import { captureStream } from '../helpers/stream-capture.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';

const vector = join(E_RTMP_MEDIA_DIR, 'testsrc.flv');
const present = existsSync(vector);
if (!present) console.warn(`skipping: Enhanced RTMP vectors not found at ${vector}`);

describe.skipIf(!present)('Enhanced RTMP (AV1 + Opus) publish and play', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('relays every tag of testsrc.flv unchanged and reports av01 and Opus', async () => {
    const records = readFlv(readFileSync(vector)).filter((r) => r.tagType !== 18);
    const cap = captureStream(t.server.registry, 'live', 'eflv');
    const played: string[] = [];
    const player = await RtmpClient.connect({
      url: t.rtmpUrl('live/eflv'),
      mode: 'play',
      onEvent: (e) => e.type === 'media' && played.push(`${e.typeId}@${e.timestamp}:${Buffer.from(e.payload).toString('base64')}`),
    });
    const pub = await RtmpClient.connect({ url: t.rtmpUrl('live/eflv'), mode: 'publish', fourCcList: ['av01', 'Opus'] });
    for (const r of records) pub.sendMedia(r.tagType, r.timestampMs, r.body);
    const expected = records.map((r) => `${r.tagType}@${r.timestampMs}:${Buffer.from(r.body).toString('base64')}`);
    await waitFor('every tag at the server', () => cap.messages.length >= records.length);
    const res = await fetch(t.httpUrl('/api/streams'));
    const { streams } = (await res.json()) as { streams: Array<{ name: string; video?: { codec: string }; audio?: { codec: string } }> };
    const entry = streams.find((s) => s.name === 'eflv');
    expect(entry?.video?.codec).toBe('av01');
    expect(entry?.audio?.codec).toBe('Opus');
    await waitFor('every tag at the player', () => played.length >= records.length);
    await pub.close();
    await player.close();

    expect(cap.messages.map((m) => `${m.typeId}@${m.timestamp}:${Buffer.from(m.payload).toString('base64')}`)).toEqual(expected);
    expect(played).toEqual(expected);
    expect(cap.messages.filter((m) => m.keyframe).length, 'AV1 keyframes recognised in extended headers').toBeGreaterThan(0);
    const notes = t.log.entries.filter((e) => /cannot be packaged/.test(e.msg)).map((e) => e.fields.codec);
    expect(notes).toEqual(expect.arrayContaining(['av01', 'Opus']));
  });
});
