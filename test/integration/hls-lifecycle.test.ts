// The life of a stream's HLS files: segments stay downloadable for hls.segmentRetentionMs after
// they leave the playlist, then go; an ended stream's playlist gets EXT-X-ENDLIST and, after
// hls.endedRetentionMs, nothing of it is left. /api/streams links the playlist.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { FIXTURE_H264_AAC, referenceFlvRecords } from '../helpers/fixtures.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import type { FlvRecord } from '../../pipeline/flv/index.js';

const enabled = requireTool('ffmpeg');

describe.skipIf(!enabled)('HLS file lifecycle', () => {
  let t: TestServer;
  let records: FlvRecord[];
  beforeAll(async () => {
    t = await startTestServer({
      streams: { reconnectGraceMs: 300 },
      hls: { windowSegments: 3, segmentRetentionMs: 800, endedRetentionMs: 800 },
    });
    records = (await referenceFlvRecords(FIXTURE_H264_AAC)).filter((r) => r.tagType !== 18);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps removed segments for a while, ends the playlist, then leaves nothing behind', async () => {
    const pub = await RtmpClient.connect({ url: t.rtmpUrl('live/life'), mode: 'publish' });
    // Four loops of the 3 s fixture, as fast as the socket takes them: 12 s of media.
    for (let loop = 0; loop < 4; loop++) {
      for (const r of records) {
        if (loop > 0 && (r.body[1] === 0 && (r.tagType === 8 || r.tagType === 9))) continue; // configs once
        pub.sendMedia(r.tagType, r.timestampMs + loop * 3000, r.body);
      }
    }
    const playlistUrl = t.httpUrl('/live/life/index.m3u8');
    const listedNow = async (): Promise<Set<string>> => {
      const res = await fetch(playlistUrl);
      return new Set(res.status === 200 ? (await res.text()).split('\n').filter((l) => l.startsWith('seg-')) : []);
    };
    const storedNow = async (): Promise<string[]> => (await t.server.storage.list('live/life')).map((k) => k.split('/').pop() ?? '').filter((n) => n.startsWith('seg-'));
    await waitFor('segments to slide out of the live window', async () => {
      const listed = await listedNow();
      return listed.size > 0 && (await storedNow()).some((n) => !listed.has(n));
    });

    const api = (await (await fetch(t.httpUrl('/api/streams'))).json()) as { streams: { name: string; playback: { hls: string; rtmp: string } }[] };
    const entry = api.streams.find((s) => s.name === 'life') as { playback: Record<string, string> } | undefined;
    expect(entry?.playback.hls).toBe(playlistUrl);
    expect(entry?.playback.dash).toBe(t.httpUrl('/live/life/index.mpd'));
    expect(entry?.playback.llHls).toBe(t.httpUrl('/live/life/ll.m3u8'));
    expect(entry?.playback.rtmp).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live\/life$/);
    expect((await fetch(entry?.playback.hls ?? '')).status).toBe(200);

    const listed = await listedNow();
    const slidOut = (await storedNow()).filter((name) => !listed.has(name));
    expect(slidOut.length, 'segments that left the playlist are still stored').toBeGreaterThan(0);
    const gone = slidOut[0];
    expect((await fetch(t.httpUrl(`/live/life/${gone}`))).status, `${gone} is downloadable after leaving the playlist`).toBe(200);
    await waitFor(`${gone} to be deleted after hls.segmentRetentionMs`, async () => (await fetch(t.httpUrl(`/live/life/${gone}`))).status === 404, 5000);
    const miss = await fetch(t.httpUrl(`/live/life/${gone}`));
    expect(miss.headers.get('cache-control'), 'a 404 for a segment is not cacheable').toBe('no-store');

    await pub.close();
    const ended = await waitFor('EXT-X-ENDLIST', async () => {
      const text = await (await fetch(playlistUrl)).text();
      return text.includes('#EXT-X-ENDLIST') ? text : undefined;
    }, 5000);
    expect(ended).toMatch(/#EXT-X-ENDLIST\n$/);
    await waitFor('every file of the ended stream to be deleted', async () => (await t.server.storage.list('live/life')).length === 0, 5000);
    await waitFor('the stream folder to be removed', () => !existsSync(join(t.config.mediaDir, 'live', 'life')), 2000);
  });
});
