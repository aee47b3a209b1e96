// The media origin through real HTTP: content types, cache policy per kind, validators and
// conditional requests, byte ranges, HEAD, methods and CORS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE_CACHE_CONTROL } from '../../../src/http/cache-policy.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { startMediaTestApp, type MediaTestApp } from './media-test-app.js';

const MTIME = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const LAST_MODIFIED = 'Thu, 02 Jan 2025 03:04:05 GMT';
const SEGMENT = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const PLAYLIST = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\nseg-000001.ts\n';

const FILES: readonly (readonly [string, string, 'live' | 'immutable'])[] = [
  ['index.m3u8', 'application/vnd.apple.mpegurl', 'live'],
  ['video-720p.m3u8', 'application/vnd.apple.mpegurl', 'live'],
  ['seg-000001.ts', 'video/mp2t', 'immutable'],
  ['seg-1.m4s', 'video/iso.segment', 'immutable'],
  ['part-1.2.m4s', 'video/iso.segment', 'immutable'],
  ['init.mp4', 'video/mp4', 'immutable'],
  ['init-v2.mp4', 'video/mp4', 'immutable'],
  ['manifest.mpd', 'application/dash+xml', 'live'],
];

let storage: MemoryStorage;
let app: MediaTestApp;

beforeAll(async () => {
  storage = new MemoryStorage({ nowMs: () => MTIME });
  for (const [file] of FILES) await storage.write(`live/s/${file}`, [file.endsWith('.m3u8') ? Buffer.from(PLAYLIST) : SEGMENT]);
  await storage.write('live/s/seg-000009.ts', []);
  app = await startMediaTestApp({ storage, corsOrigins: ['*'] });
});
afterAll(async () => app.close());

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(app.url(path), { method, headers });

describe('content types, cache policy and validators', () => {
  it.each(FILES)('%s → %s, %s', async (file, type, policy) => {
    const res = await get(`/live/s/${file}`);
    const body = Buffer.from(await res.arrayBuffer());
    const stat = (await storage.stat(`live/s/${file}`))!;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(policy === 'live' ? 'max-age=1' : IMMUTABLE_CACHE_CONTROL);
    expect(res.headers.get('content-length')).toBe(String(stat.size));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('etag')).toBe(stat.etag);
    expect(res.headers.get('last-modified')).toBe(LAST_MODIFIED);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(body).toEqual(Buffer.from((await storage.readAll(`live/s/${file}`))!));
  });

  it('serves a path with percent-encoded unreserved characters and a query string', async () => {
    const res = await get('/live/%73/index.m3u8?_HLS_msn=1');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PLAYLIST);
  });

  it('serves an empty object with Content-Length 0', async () => {
    const res = await get('/live/s/seg-000009.ts');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect(await res.text()).toBe('');
  });
});

describe('misses', () => {
  it.each(['/live/s/seg-000002.ts', '/live/s/next.m3u8', '/live/other/index.m3u8', '/live/s/init-9.mp4', '/live/s/x.mpd'])(
    '%s not produced yet → 404 no-store',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('etag')).toBeNull();
    },
  );

  it.each(['/live/s/seg-1.txt', '/live/s/seg-x.ts', '/live/s/video.mp4', '/live/s/.index.m3u8', '/live/s/index.m3u8.tmp', '/live/.s/index.m3u8', '/live/s', '/live/s/a/index.m3u8'])(
    '%s is not a media path → 404 no-store',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
    },
  );

  it('answers other methods on media paths with 405 and Allow', async () => {
    const res = await get('/live/s/index.m3u8', {}, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('conditional requests', () => {
  const segment = '/live/s/seg-000001.ts';
  const playlist = '/live/s/index.m3u8';
  const etagOf = async (path: string) => (await get(path, {}, 'HEAD')).headers.get('etag')!;

  it.each([
    ['the exact tag', (e: string) => e],
    ['its weak form', (e: string) => `W/${e}`],
    ['a list containing it', (e: string) => `"nope", ${e}`],
    ['*', () => '*'],
  ])('If-None-Match with %s → 304 with validators and cache policy, no body', async (_label, header) => {
    for (const path of [segment, playlist]) {
      const etag = await etagOf(path);
      for (const method of ['GET', 'HEAD']) {
        const res = await get(path, { 'If-None-Match': header(etag) }, method);
        expect(res.status).toBe(304);
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('cache-control')).toBe(path === segment ? IMMUTABLE_CACHE_CONTROL : 'max-age=1');
        expect(await res.text()).toBe('');
      }
    }
  });

  it('If-None-Match with another tag → 200, and it wins over If-Modified-Since', async () => {
    const res = await get(segment, { 'If-None-Match': '"other"', 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' });
    expect(res.status).toBe(200);
  });

  it.each([
    [LAST_MODIFIED, 304],
    ['Thu, 02 Jan 2025 03:04:06 GMT', 304],
    ['Thursday, 02-Jan-25 03:04:05 GMT', 304],
    ['Thu Jan  2 03:04:05 2025', 304],
    ['Thu, 02 Jan 2025 03:04:04 GMT', 200],
    ['not a date', 200],
    ['1', 200],
  ])('a segment with If-Modified-Since %j → %i', async (date, status) => {
    expect((await get(segment, { 'If-Modified-Since': date })).status).toBe(status);
  });

  it('a playlist is 304 by date only when modified before the whole second given', async () => {
    expect((await get(playlist, { 'If-Modified-Since': LAST_MODIFIED })).status).toBe(200);
    expect((await get(playlist, { 'If-Modified-Since': 'Thu, 02 Jan 2025 03:04:06 GMT' })).status).toBe(304);
  });
});

describe('byte ranges', () => {
  const path = '/live/s/seg-000001.ts';
  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=900-', 900, 999],
    ['bytes=-100', 900, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=995-2000', 995, 999],
    ['bytes=999-999', 999, 999],
    ['BYTES = 10-19', 10, 19],
    ['bytes=10-19,', 10, 19],
  ])('%s → 206 bytes %i-%i', async (range, start, end) => {
    const res = await get(path, { Range: range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
    expect(res.headers.get('content-length')).toBe(String(end - start + 1));
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(SEGMENT.subarray(start, end + 1));
  });

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0'])('%s → 416 with bytes */1000, no-store', async (range) => {
    const res = await get(path, { Range: range });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('any range of an empty object is unsatisfiable', async () => {
    const res = await get('/live/s/seg-000009.ts', { Range: 'bytes=0-' });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */0');
  });

  it.each(['bytes=0-1,5-6', 'bytes=5-2', 'items=0-1', 'bytes=abc', 'bytes=-', 'bytes=1-2-3'])('%s → 200 with the whole object', async (range) => {
    const res = await get(path, { Range: range });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(SEGMENT);
  });

  it('serves ranges of playlists too', async () => {
    const res = await get('/live/s/index.m3u8', { Range: 'bytes=0-6' });
    expect(res.status).toBe(206);
    expect(await res.text()).toBe('#EXTM3U');
  });

  it('honours If-Range only when it names the current representation', async () => {
    const etag = (await get(path, {}, 'HEAD')).headers.get('etag')!;
    expect((await get(path, { Range: 'bytes=0-9', 'If-Range': etag })).status).toBe(206);
    expect((await get(path, { Range: 'bytes=0-9', 'If-Range': LAST_MODIFIED })).status).toBe(206);
    expect((await get(path, { Range: 'bytes=0-9', 'If-Range': '"old"' })).status).toBe(200);
    expect((await get(path, { Range: 'bytes=0-9', 'If-Range': `W/${etag}` })).status).toBe(200);
    expect((await get('/live/s/index.m3u8', { Range: 'bytes=0-6', 'If-Range': LAST_MODIFIED })).status).toBe(200);
  });
});

describe('HEAD', () => {
  it('has the headers of GET and no body', async () => {
    const [head, full] = await Promise.all([get('/live/s/seg-000001.ts', {}, 'HEAD'), get('/live/s/seg-000001.ts')]);
    expect(head.status).toBe(200);
    for (const name of ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified', 'accept-ranges']) {
      expect(head.headers.get(name)).toBe(full.headers.get(name));
    }
    expect(head.headers.get('content-length')).toBe('1000');
    expect(await head.text()).toBe('');
    await full.arrayBuffer();
  });

  it('ignores Range (defined for GET only) and describes the whole object', async () => {
    const res = await get('/live/s/seg-000001.ts', { Range: 'bytes=0-9' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
  });

  it('answers a missing object with 404 no-store', async () => {
    const res = await get('/live/s/seg-000404.ts', {}, 'HEAD');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('CORS', () => {
  it('is present on media responses, misses and 304s', async () => {
    const origin = { Origin: 'https://player.example' };
    for (const res of [await get('/live/s/index.m3u8', origin), await get('/live/s/seg-000404.ts', origin), await get('/live/s/index.m3u8', { ...origin, 'If-None-Match': '*' })]) {
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Content-Range.*ETag/);
      await res.arrayBuffer();
    }
  });

  it('answers a preflight on a media path with 204', async () => {
    const res = await get('/live/s/seg-000001.ts', { Origin: 'https://player.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' }, 'OPTIONS');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(res.headers.get('access-control-allow-headers')).toContain('Range');
  });

  it('echoes only listed origins, with Vary: Origin', async () => {
    const listed = await startMediaTestApp({ storage, corsOrigins: ['https://player.example'] });
    try {
      const allowed = await fetch(listed.url('/live/s/index.m3u8'), { headers: { Origin: 'https://player.example' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://player.example');
      expect(allowed.headers.get('vary')).toContain('Origin');
      const other = await fetch(listed.url('/live/s/index.m3u8'), { headers: { Origin: 'https://evil.example' } });
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      await Promise.all([allowed.arrayBuffer(), other.arrayBuffer()]);
    } finally {
      await listed.close();
    }
  });
});

describe('playlist max-age', () => {
  it.each([
    [2, 'max-age=2'],
    [0, 'no-cache'],
  ])('playlistMaxAgeSec %i → %s for playlists and manifests; segments stay immutable', async (maxAge, expected) => {
    const custom = await startMediaTestApp({ storage, playlistMaxAgeSec: maxAge });
    try {
      for (const [file, , policy] of FILES) {
        const res = await fetch(custom.url(`/live/s/${file}`), { method: 'HEAD' });
        expect(res.headers.get('cache-control')).toBe(policy === 'live' ? expected : IMMUTABLE_CACHE_CONTROL);
      }
    } finally {
      await custom.close();
    }
  });
});
