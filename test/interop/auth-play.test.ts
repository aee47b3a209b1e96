// Play authorisation end to end. RTMP: ffmpeg plays with a token (on the name or the connect
// app) and is refused without one or with an expired one; IP allow/deny lists; the on_play
// callback. HTTP: the live origin with auth.play.secret — playlists, LL-HLS playlists, MPDs and
// segments need the token, playlists hand it on to every URI, and an expired token is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playToken } from '../../src/auth/signed-url.js';
import type { MemoryLogEntry } from '../../src/logging/memory-logger.js';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { killAll, run, type RunResult } from '../helpers/processes.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { startCallbackReceiver } from '../src/auth/callback-receiver.js';

const enabled = requireTool('ffmpeg');
const SECRET = 'play-secret-0123456789abc';
const now = (): number => Math.floor(Date.now() / 1000);

/** ffmpeg reading an RTMP stream for `seconds`, decoding into nothing. */
function ffmpegPlay(url: string, seconds: number, extra: string[] = []): Promise<RunResult> {
  return run('ffmpeg', ['-v', 'error', ...extra, '-i', url, '-t', String(seconds), '-f', 'null', '-'], { timeoutMs: 20_000 });
}

const playRefusals = (t: TestServer): MemoryLogEntry[] => t.log.entries.filter((e) => e.msg.startsWith('play refused'));

/** URI lines and URI="…" attributes of a playlist. */
function listedUris(text: string): string[] {
  return [...text.split('\n').filter((l) => l !== '' && !l.startsWith('#')), ...[...text.matchAll(/URI="([^"]*)"/g)].map((m) => m[1])];
}

describe.skipIf(!enabled)('play authorisation', () => {
  // The publisher of the first block spans two tests, so programs are killed only at the end.
  afterAll(() => killAll());

  describe('with auth.play.secret', () => {
    let t: TestServer;
    let publishing: Promise<RunResult>;
    beforeAll(async () => {
      t = await startTestServer({ auth: { play: { secret: SECRET } }, hls: { segmentDurationMs: 1000 } });
      publishing = ffmpegLivePublish(t.rtmpUrl('live/cam'), 4);
      await waitFor('the publish', () => t.log.entries.some((e) => e.msg === 'publish started'));
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('RTMP: ffmpeg plays with a token on the name or on the connect app; without one, or expired, NetStream.Play.StreamNotFound', async () => {
      const token = playToken(SECRET, 'live', 'cam', now() + 120);
      const expired = playToken(SECRET, 'live', 'cam', now() - 5);
      const port = t.server.rtmpPort;
      const [onName, onApp, without, late] = await Promise.all([
        ffmpegPlay(t.rtmpUrl(`live/cam?token=${token}`), 2),
        ffmpegPlay(`rtmp://127.0.0.1:${port}/live/cam`, 2, ['-rtmp_app', `live?token=${token}`, '-rtmp_playpath', 'cam']),
        ffmpegPlay(t.rtmpUrl('live/cam'), 2),
        ffmpegPlay(t.rtmpUrl(`live/cam?token=${expired}`), 2),
      ]);
      expect(onName.code, onName.stderr).toBe(0);
      expect(onApp.code, onApp.stderr).toBe(0);
      for (const refused of [without, late]) {
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain('Server error: NetStream.Play.StreamNotFound');
      }
      const lines = playRefusals(t);
      expect(lines.map((l) => [l.level, l.fields.reason, l.fields.stream, l.fields.ip]).sort()).toEqual([
        ['info', 'token expired', 'live/cam', '127.0.0.1'],
        ['info', 'token missing', 'live/cam', '127.0.0.1'],
      ]);
      const logged = JSON.stringify(t.log.entries);
      expect(logged).not.toContain(token.split('.')[1]);
      expect(logged).not.toContain(expired.split('.')[1]);
    });

    it('HTTP: playlists, LL-HLS playlists, MPDs and segments need the token, and playlists hand it on', async () => {
      const r = await publishing;
      expect(r.code, r.stderr).toBe(0);
      const token = playToken(SECRET, 'live', 'cam', now() + 120);
      const get = (path: string) => fetch(t.httpUrl(path));

      // Without a token, or with an expired one: 403, never cached.
      for (const path of ['/live/cam/index.m3u8', '/live/cam/ll.m3u8', '/live/cam/index.mpd', `/live/cam/index.m3u8?token=${playToken(SECRET, 'live', 'cam', now() - 1)}`]) {
        const res = await get(path);
        expect(res.status, path).toBe(403);
        expect(res.headers.get('cache-control'), path).toBe('no-store');
      }

      // HLS (TS): every URI carries the token; a segment fetched through it works, without it does not.
      const hls = await waitFor('a segment in the playlist', async () => {
        const res = await get(`/live/cam/index.m3u8?token=${token}`);
        const text = res.status === 200 ? await res.text() : '';
        return /\.ts\?/.test(text) ? { res, text } : undefined;
      });
      expect(hls.res.headers.get('cache-control')).toMatch(/^private\b/);
      const hlsUris = listedUris(hls.text);
      for (const uri of hlsUris) expect(uri.endsWith(`?token=${token}`), uri).toBe(true);
      const media = hlsUris.find((u) => u.includes('.m3u8')) === undefined ? hls.text : await (await get(`/live/cam/${hlsUris[0]}`)).text();
      const segmentUri = listedUris(media).find((u) => u.includes('.ts?'));
      expect(segmentUri).toBeDefined();
      const segment = await get(`/live/cam/${segmentUri}`);
      expect(segment.status).toBe(200);
      expect(segment.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(188);
      expect((await get(`/live/cam/${segmentUri?.split('?')[0]}`)).status).toBe(403);

      // LL-HLS: the multivariant playlist, then a media playlist (also as a blocking reload), its parts and map.
      const multivariant = await (await get(`/live/cam/ll.m3u8?token=${token}`)).text();
      const videoPlaylist = listedUris(multivariant).find((u) => u.startsWith('ll-v.m3u8'));
      expect(videoPlaylist).toBe(`ll-v.m3u8?token=${token}`);
      for (const uri of listedUris(multivariant)) expect(uri.endsWith(`?token=${token}`), uri).toBe(true);
      const ll = await get(`/live/cam/${videoPlaylist}`);
      expect(ll.status).toBe(200);
      const llText = await ll.text();
      const llUris = listedUris(llText);
      expect(llUris.length).toBeGreaterThan(2);
      for (const uri of llUris) expect(uri.endsWith(`?token=${token}`), uri).toBe(true);
      const mapUri = /#EXT-X-MAP:URI="([^"]+)"/.exec(llText)?.[1];
      const partUri = /#EXT-X-PART:[^\n]*URI="([^"]+)"/.exec(llText)?.[1] ?? llUris.find((u) => u.includes('.m4s'));
      for (const uri of [mapUri, partUri]) expect((await get(`/live/cam/${uri}`)).status, uri).toBe(200);
      const msn = /#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(llText)?.[1];
      const blocking = await get(`/live/cam/${videoPlaylist}&_HLS_msn=${msn}`);
      expect(blocking.status).toBe(200);
      expect(listedUris(await blocking.text()).every((u) => u.endsWith(`?token=${token}`))).toBe(true);

      // DASH: the segment templates carry the token; the init segment they name can be fetched.
      const mpd = await get(`/live/cam/index.mpd?token=${token}`);
      expect(mpd.status).toBe(200);
      expect(mpd.headers.get('cache-control')).toMatch(/^private\b/);
      const mpdText = await mpd.text();
      const templates = [...mpdText.matchAll(/<SegmentTemplate\b[^>]*>/g)].map((m) => m[0]);
      expect(templates.length).toBeGreaterThan(0);
      for (const tpl of templates) {
        expect(tpl).toMatch(new RegExp(`media="[^"]*\\?token=${token.replace('.', '\\.')}"`));
        expect(tpl).toMatch(new RegExp(`initialization="[^"]*\\?token=${token.replace('.', '\\.')}"`));
      }
      const init = /initialization="([^"]+)"/.exec(templates[0])?.[1].replace(/\$RepresentationID\$/g, /<Representation id="([^"]+)"/.exec(mpdText)?.[1] ?? 'v');
      expect((await get(`/live/cam/${init}`)).status).toBe(200);
    });
  });

  describe('RTMP play IP lists and callback', () => {
    it('a denied address is refused with NetConnection.Connect.Rejected; one outside the allow list too; inside it plays', async () => {
      for (const play of [{ deny: ['127.0.0.0/8'] }, { allow: ['10.0.0.0/8'] }]) {
        const t = await startTestServer({ auth: { play } });
        try {
          const r = await ffmpegPlay(t.rtmpUrl('live/ipcam'), 1);
          expect(r.code).not.toBe(0);
          expect(r.stderr).toContain('Server error: NetConnection.Connect.Rejected');
          expect(playRefusals(t).map((l) => [l.level, l.fields.reason])).toEqual([['info', play.deny ? 'ip denied' : 'ip not allowed']]);
        } finally {
          await t.stop();
        }
      }
      const t = await startTestServer({ auth: { play: { allow: ['10.0.0.0/8', '::ffff:127.0.0.1'] } } });
      try {
        const client = await RtmpClient.connect({ url: t.rtmpUrl('live/ipcam'), mode: 'play' });
        await client.close();
        expect(playRefusals(t)).toEqual([]);
      } finally {
        await t.stop();
      }
    });

    it('the on_play callback: 2xx plays, 403 → NetConnection.Connect.Rejected, 404 → NetStream.Play.StreamNotFound', async () => {
      const receiver = await startCallbackReceiver();
      const t = await startTestServer({ auth: { play: { callbackUrl: receiver.url } } });
      try {
        const client = await RtmpClient.connect({ url: t.rtmpUrl('live/cbcam?viewer=v1'), mode: 'play' });
        await client.close();
        expect(receiver.requests[0].body).toMatchObject({ action: 'play', app: 'live', name: 'cbcam', query: { viewer: 'v1' }, ip: '127.0.0.1' });
        receiver.answer = { status: 403 };
        await expect(RtmpClient.connect({ url: t.rtmpUrl('live/cbcam'), mode: 'play' })).rejects.toThrow(/NetConnection\.Connect\.Rejected/);
        receiver.answer = { status: 404 };
        const r = await ffmpegPlay(t.rtmpUrl('live/cbcam'), 1);
        expect(r.stderr).toContain('Server error: NetStream.Play.StreamNotFound');
        expect(playRefusals(t).map((l) => l.fields.reason)).toEqual(['callback refused with HTTP 403', 'callback refused with HTTP 404']);
      } finally {
        await t.stop();
        await receiver.close();
      }
    });
  });
});
