// Token and IP checks on the HTTP origin, with the real routes (mpd, LL-HLS, media) behind the
// guard as create-app.ts mounts them: 403 no-store without a valid token; with one, playlists and
// MPDs hand the token on, every URI they list can be fetched, and responses are private.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpPlayAccess, privateCacheControl } from '../../../src/auth/http-play-access.js';
import { playToken } from '../../../src/auth/signed-url.js';
import type { PlayAuthConfig } from '../../../src/config/config-schema.js';
import { cors } from '../../../src/http/cors.js';
import { llHlsRoute } from '../../../src/http/ll-hls-route.js';
import { mediaRoute } from '../../../src/http/media-route.js';
import { mpdRoute } from '../../../src/http/mpd-route.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { LocalChangeNotifier } from '../../../src/outputs/change-notifier.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';

const SECRET = 'play-secret-0123456789abc';
const NOW_S = 1_700_000_000;
const TOKEN = playToken(SECRET, 'live', 'cam', NOW_S + 60);

const LL = [
  '#EXTM3U',
  '#EXT-X-VERSION:9',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500',
  '#EXT-X-PART-INF:PART-TARGET=0.500',
  '#EXT-X-MEDIA-SEQUENCE:1',
  '#EXT-X-MAP:URI="init-v.mp4"',
  '#EXTINF:2.000,',
  'v-1.m4s',
  '#EXT-X-PART:DURATION=0.500,URI="v-2.0.m4s",INDEPENDENT=YES',
  '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="v-2.1.m4s"',
  '',
].join('\n');
const MPD = '<MPD><Period><AdaptationSet><Representation id="v"><SegmentTemplate timescale="1000" initialization="init-v.mp4" media="v-$Number$.m4s" startNumber="1"/></Representation></AdaptationSet></Period></MPD>';

interface App {
  url(path: string): string;
  close(): Promise<void>;
}

async function startApp(play: Partial<PlayAuthConfig>): Promise<App & { log: ReturnType<typeof createMemoryLogger> }> {
  const log = createMemoryLogger({ level: 'debug' });
  const storage = new MemoryStorage();
  await storage.writeAtomic('live/cam/index.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:2.000,\nseg-000001.ts\n');
  await storage.write('live/cam/seg-000001.ts', [new Uint8Array(188).fill(0x47)]);
  await storage.writeAtomic('live/cam/ll-v.m3u8', LL);
  await storage.writeAtomic('live/cam/index.mpd', MPD);
  for (const f of ['init-v.mp4', 'v-1.m4s', 'v-2.0.m4s', 'v-2.1.m4s']) await storage.write(`live/cam/${f}`, [new Uint8Array([1, 2, 3])]);
  const access = httpPlayAccess({ play: { secret: null, callbackUrl: null, allow: [], deny: [], ...play }, logger: log.logger, nowMs: () => NOW_S * 1000 });
  const app = express();
  app.set('etag', false);
  app.use(cors(['*']));
  app.use(access.guard);
  app.use(mpdRoute({ storage, logger: log.logger, rewriteManifest: access.rewrite }));
  app.use(llHlsRoute({ storage, notifier: new LocalChangeNotifier(), logger: log.logger, rewriteManifest: access.rewrite }));
  app.use(mediaRoute({ storage, logger: log.logger, rewriteManifest: access.rewrite }));
  app.use((_req: Request, res: Response) => res.status(404).end());
  app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => res.status(500).end());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    log,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Every URI a playlist lists (URI lines and URI="…" attributes). */
function listedUris(text: string): string[] {
  return [...text.split('\n').filter((l) => l !== '' && !l.startsWith('#')), ...[...text.matchAll(/URI="([^"]*)"/g)].map((m) => m[1])];
}

describe('with auth.play.secret', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp({ secret: SECRET });
  });
  afterAll(() => app.close());

  it.each(['/live/cam/index.m3u8', '/live/cam/ll-v.m3u8', '/live/cam/index.mpd', '/live/cam/seg-000001.ts', '/live/cam/v-2.0.m4s', '/live/cam/init-v.mp4'])(
    '%s without a token is 403 no-store',
    async (path) => {
      const res = await fetch(app.url(path));
      expect(res.status).toBe(403);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toBe('forbidden: token missing\n');
    },
  );

  it('refuses expired, foreign and repeated tokens', async () => {
    const expired = playToken(SECRET, 'live', 'cam', NOW_S - 1);
    expect((await fetch(app.url(`/live/cam/index.m3u8?token=${expired}`))).status).toBe(403);
    expect((await fetch(app.url(`/live/cam/index.m3u8?token=${playToken(SECRET, 'live', 'other', NOW_S + 60)}`))).status).toBe(403);
    expect((await fetch(app.url(`/live/cam/index.m3u8?token=${TOKEN}&token=${TOKEN}`))).status).toBe(403);
    const lines = app.log.entries.filter((e) => e.msg.startsWith('media request refused'));
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(app.log.entries)).not.toContain(TOKEN.split('.')[1]);
    expect(JSON.stringify(app.log.entries)).not.toContain(expired.split('.')[1]);
  });

  it('serves a playlist with a token privately, with the token on every URI, each of which works', async () => {
    const res = await fetch(app.url(`/live/cam/index.m3u8?token=${TOKEN}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=1');
    const text = await res.text();
    const uris = listedUris(text);
    expect(uris).toEqual([`seg-000001.ts?token=${TOKEN}`]);
    const seg = await fetch(app.url(`/live/cam/${uris[0]}`));
    expect(seg.status).toBe(200);
    expect(seg.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
  });

  it('serves LL-HLS playlists (blocking reload included) with the token on parts, map and preload hint', async () => {
    for (const query of [`token=${TOKEN}`, `_HLS_msn=1&token=${TOKEN}`]) {
      const res = await fetch(app.url(`/live/cam/ll-v.m3u8?${query}`));
      expect(res.status, query).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/^private, /);
      const uris = listedUris(await res.text());
      expect(uris.sort()).toEqual(['init-v.mp4', 'v-1.m4s', 'v-2.0.m4s', 'v-2.1.m4s'].map((u) => `${u}?token=${TOKEN}`));
      for (const uri of uris) expect((await fetch(app.url(`/live/cam/${uri}`))).status, uri).toBe(200);
    }
  });

  it('serves the MPD with tokenized segment templates', async () => {
    const res = await fetch(app.url(`/live/cam/index.mpd?token=${TOKEN}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=1');
    const text = await res.text();
    expect(text).toContain(`initialization="init-v.mp4?token=${TOKEN}" media="v-$Number$.m4s?token=${TOKEN}"`);
    expect((await fetch(app.url(`/live/cam/v-1.m4s?token=${TOKEN}`))).status).toBe(200);
  });

  it('leaves non-media paths alone', async () => {
    expect((await fetch(app.url('/vod/cam/x/index.m3u8'))).status).toBe(404);
    expect((await fetch(app.url('/api/anything'))).status).toBe(404);
  });
});

describe('with IP lists only', () => {
  it('refuses a denied address with 403 and serves unchanged, cacheable playlists otherwise', async () => {
    const denied = await startApp({ deny: ['127.0.0.0/8'] });
    try {
      const res = await fetch(denied.url('/live/cam/index.m3u8'));
      expect(res.status).toBe(403);
      expect(await res.text()).toBe('forbidden: ip denied\n');
    } finally {
      await denied.close();
    }
    const allowed = await startApp({ allow: ['::ffff:127.0.0.1'] });
    try {
      const res = await fetch(allowed.url('/live/cam/index.m3u8'));
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('max-age=1');
      expect(await res.text()).toContain('\nseg-000001.ts\n');
    } finally {
      await allowed.close();
    }
  });
});

it('privateCacheControl makes shared caching impossible and keeps everything else', () => {
  expect(privateCacheControl('public, max-age=2')).toBe('private, max-age=2');
  expect(privateCacheControl('max-age=1')).toBe('private, max-age=1');
  expect(privateCacheControl('no-cache')).toBe('private, no-cache');
  expect(privateCacheControl('no-store')).toBe('no-store');
  expect(privateCacheControl('private, max-age=5')).toBe('private, max-age=5');
  expect(privateCacheControl(undefined)).toBe('private, no-cache');
});
