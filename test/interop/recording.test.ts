// Recording a live stream to a VOD, as a user does it: ffmpeg publishes, Onramp records, and the
// finished recording plays from start to end as HLS, DASH and MP4 (ffmpeg decodes each without a
// message, durations within 0.5 s of what was published, the MP4's moov before its mdat), is
// listed and described by the API, reachable through latest.* redirects, and can be deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../src/http/recordings-route.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { expectPlayableVod, topLevelBoxes } from '../helpers/vod-check.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe');

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

async function recordingsOf(t: TestServer, app: string, name: string): Promise<RecordingView[]> {
  return (await json<{ recordings: RecordingView[] }>(t.httpUrl(`/api/recordings?app=${app}&name=${name}`))).body.recordings;
}

async function untilReady(t: TestServer, app: string, name: string, count = 1): Promise<RecordingView[]> {
  return waitFor(`${count} finished recording(s) of ${app}/${name}`, async () => {
    const list = await recordingsOf(t, app, name);
    return list.length === count && list.every((r) => r.state === 'ready' && r.jobs.mp4 !== 'pending') && list;
  }, 30_000);
}

describe.skipIf(!enabled)('recording to VOD', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ recording: { streams: ['rec', 'one/show'] }, streams: { reconnectGraceMs: 2500 }, hls: { segmentDurationMs: 1000 } });
  });
  afterAll(async () => t?.stop());

  it('records a stream of an auto-recorded app and serves it as HLS, DASH and a moov-first MP4', async () => {
    const r = await ffmpegLivePublish(t.rtmpUrl('rec/show'), 5);
    expect(r.code, r.stderr).toBe(0);
    const [rec] = await untilReady(t, 'rec', 'show');
    expect(rec.jobs).toEqual({ finalize: 'done', mp4: 'ready' });
    expect(rec.tracks.map((x) => x.codec).sort()).toEqual([expect.stringMatching(/^avc1\.64/), 'mp4a.40.2']);
    expect(rec.tracks.find((x) => x.kind === 'video')).toMatchObject({ width: 320, height: 180 });
    expect(rec.discontinuities).toBe(0);
    expect(Math.abs(rec.durationSec - 5)).toBeLessThanOrEqual(0.5);
    await expectPlayableVod(rec, 5);

    const mp4 = new Uint8Array(await (await fetch(rec.urls.mp4 as string)).arrayBuffer());
    expect(mp4.length, 'mp4Bytes in the API is the file size').toBe(rec.mp4Bytes);
    const boxes = topLevelBoxes(mp4);
    expect(boxes.indexOf('moov'), `box order ${boxes.join(' ')}: moov before mdat`).toBeLessThan(boxes.indexOf('mdat'));

    const described = await json<RecordingView>(t.httpUrl(`/api/recordings/${rec.id}`));
    expect(described.body).toEqual(rec);
    const latest = await fetch(t.httpUrl('/vod/rec/show/latest.m3u8'), { redirect: 'manual' });
    expect(latest.status).toBe(302);
    expect(latest.headers.get('location')).toBe(`/vod/rec/show/${rec.id}/index.m3u8`);
    expect((await fetch(t.httpUrl('/vod/rec/show/latest.mp4'), { redirect: 'manual' })).headers.get('location')).toBe(`/vod/rec/show/${rec.id}/recording.mp4`);
    const playlist = await (await fetch(rec.urls.hls as string)).text();
    const media = /^(v\.m3u8)$/m.exec(playlist)?.[1] ?? 'v.m3u8';
    const vText = await (await fetch(new URL(media, rec.urls.hls as string))).text();
    expect(vText).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vText).toContain('#EXT-X-ENDLIST');
    const firstSegment = vText.split('\n').find((l) => l.endsWith('.m4s')) as string;
    const seg = await fetch(new URL(firstSegment, rec.urls.hls as string));
    expect(seg.headers.get('cache-control')).toContain('immutable');

    const del = await fetch(t.httpUrl(`/api/recordings/${rec.id}`), { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await json(t.httpUrl(`/api/recordings/${rec.id}`))).status).toBe(404);
    expect((await fetch(rec.urls.hls as string)).status).toBe(404);
    expect(await t.server.storage.list(`vod/rec/show/${rec.id}`)).toEqual([]);
    expect((await fetch(t.httpUrl('/vod/rec/show/latest.m3u8'), { redirect: 'manual' })).status).toBe(404);
  }, 60_000);

  it('keeps a publisher that reconnects within the grace period in the same recording, with a discontinuity', async () => {
    expect((await ffmpegLivePublish(t.rtmpUrl('one/show'), 3)).code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect((await ffmpegLivePublish(t.rtmpUrl('one/show'), 3)).code).toBe(0);
    const [rec] = await untilReady(t, 'one', 'show');
    expect(rec.discontinuities).toBe(1);
    const vText = await (await fetch(new URL('v.m3u8', rec.urls.hls as string))).text();
    expect(vText.match(/#EXT-X-DISCONTINUITY\n/g)?.length).toBe(1);
    expect(Math.abs(rec.durationSec - 6)).toBeLessThanOrEqual(0.5);
    await expectPlayableVod(rec, 6);
  }, 60_000);

  it('starts and stops recording a live stream through the API', async () => {
    expect((await json(t.httpUrl('/api/streams/manual/cam/recording'), { method: 'POST' })).status, 'not live yet').toBe(404);
    const publishing = ffmpegLivePublish(t.rtmpUrl('manual/cam'), 8);
    await waitFor('manual/cam live', async () => (await json<{ streams: { name: string }[] }>(t.httpUrl('/api/streams'))).body.streams.some((s) => s.name === 'cam'));
    await new Promise((r) => setTimeout(r, 1500));
    const started = await json<RecordingView>(t.httpUrl('/api/streams/manual/cam/recording'), { method: 'POST' });
    expect(started.status).toBe(201);
    expect(started.body.state).toBe('recording');
    expect((await json(t.httpUrl('/api/streams/manual/cam/recording'), { method: 'POST' })).status, 'second start').toBe(409);
    expect((await fetch(t.httpUrl(`/api/recordings/${started.body.id}`), { method: 'DELETE' })).status, 'delete while recording').toBe(409);
    await new Promise((r) => setTimeout(r, 3000));
    const stopped = await json<RecordingView>(t.httpUrl('/api/streams/manual/cam/recording'), { method: 'DELETE' });
    expect(stopped.status).toBe(200);
    expect((await json(t.httpUrl('/api/streams/manual/cam/recording'), { method: 'DELETE' })).status, 'second stop').toBe(404);
    const [rec] = await untilReady(t, 'manual', 'cam');
    expect(rec.id).toBe(started.body.id);
    // Recording starts at the next keyframe (1 s GOP): 2–3 s of the 3 s between start and stop.
    expect(rec.durationSec).toBeGreaterThan(1.8);
    expect(rec.durationSec).toBeLessThan(3.6);
    await expectPlayableVod(rec, rec.durationSec);
    expect((await publishing).code).toBe(0);
  }, 60_000);
});
