// The VOD origin through real HTTP, mounted as create-app.ts mounts it (vodRoute, then the live
// media route, then the 404 fallback): files of finished recordings with their content types and
// cache policy; 404s that caches must not keep for recordings in progress, MP4s not exported yet,
// other streams' ids, files off the allow-list and traversal attempts; latest.* redirects; HEAD
// and byte ranges.
import express, { type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE_CACHE_CONTROL } from '../../../src/http/cache-policy.js';
import { mediaRoute } from '../../../src/http/media-route.js';
import { VOD_MANIFEST_CACHE_CONTROL, vodRoute } from '../../../src/http/vod-route.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { RecordingCatalog } from '../../../src/recording/recording-catalog.js';
import { newRecordingId } from '../../../src/recording/recording-id.js';
import { newRecordingMeta, type Mp4State, type RecordingMeta, type RecordingState } from '../../../src/recording/recording-meta.js';
import { RECORDING_JOURNAL, RECORDING_META, recordingFolder, recordingUrlPath } from '../../../src/recording/recording-paths.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { rawRequest } from './media-test-app.js';

const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
const HOUR = 3_600_000;

/** Files of every recording folder, with their Content-Type and Cache-Control when served. */
const FILES: readonly (readonly [string, string, string])[] = [
  ['index.m3u8', 'application/vnd.apple.mpegurl', VOD_MANIFEST_CACHE_CONTROL],
  ['v.m3u8', 'application/vnd.apple.mpegurl', VOD_MANIFEST_CACHE_CONTROL],
  ['a.m3u8', 'application/vnd.apple.mpegurl', VOD_MANIFEST_CACHE_CONTROL],
  ['index.mpd', 'application/dash+xml', VOD_MANIFEST_CACHE_CONTROL],
  ['init-v-0123abcd.mp4', 'video/mp4', IMMUTABLE_CACHE_CONTROL],
  ['init-a-89abcdef.mp4', 'video/mp4', IMMUTABLE_CACHE_CONTROL],
  ['v-159053544003960.m4s', 'video/iso.segment', IMMUTABLE_CACHE_CONTROL],
  ['a-84828019202112.m4s', 'video/iso.segment', IMMUTABLE_CACHE_CONTROL],
  ['recording.mp4', 'video/mp4', VOD_MANIFEST_CACHE_CONTROL],
];

let storage: MemoryStorage;
let catalog: RecordingCatalog;
let server: Server;
let port: number;
const rec: Record<'old' | 'newer' | 'live' | 'failed' | 'other', RecordingMeta> = {} as never;

const bodyOf = (m: RecordingMeta, file: string): Buffer => Buffer.from(`${m.id}/${file} `.repeat(40));

async function addRecording(name: string, startedAtMs: number, state: RecordingState, mp4: Mp4State, tag: string): Promise<RecordingMeta> {
  const ref = { id: newRecordingId(startedAtMs, tag), app: 'live', name };
  const meta: RecordingMeta = { ...newRecordingMeta(ref, startedAtMs, mp4 !== 'off'), state, mp4: { state: mp4, bytes: 1000 } };
  for (const [file] of FILES) await storage.write(recordingFolder(ref) + file, [bodyOf(meta, file)]);
  await storage.write(recordingFolder(ref) + RECORDING_JOURNAL, [Buffer.from('{"t":"end","atMs":1}\n')]);
  await catalog.save(meta);
  return meta;
}

beforeAll(async () => {
  storage = new MemoryStorage();
  const log = createMemoryLogger();
  catalog = new RecordingCatalog(storage, log.logger);
  rec.old = await addRecording('s', T0, 'ready', 'ready', 'aaaaaa');
  rec.newer = await addRecording('s', T0 + HOUR, 'ready', 'pending', 'bbbbbb');
  rec.live = await addRecording('s', T0 + 2 * HOUR, 'recording', 'pending', 'cccccc');
  rec.failed = await addRecording('s', T0 + 3 * HOUR, 'failed', 'failed', 'dddddd');
  rec.other = await addRecording('other', T0 + 4 * HOUR, 'ready', 'ready', 'eeeeee');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(vodRoute({ storage, catalog, logger: log.logger }));
  app.use(mediaRoute({ storage, logger: log.logger }));
  app.use((_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(404).json({ error: 'not found' });
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

const url = (path: string): string => `http://127.0.0.1:${port}${path}`;
const get = (path: string, init: RequestInit = {}): Promise<globalThis.Response> => fetch(url(path), { redirect: 'manual', ...init });

/** A 404 that no cache keeps, and whose body is none of the recordings' files. */
function expectNotFound(status: number, cacheControl: string | null | undefined, body: string, what: string): void {
  expect(status, what).toBe(404);
  expect(cacheControl, `${what}: Cache-Control`).toBe('no-store');
  for (const m of Object.values(rec)) expect(body.includes(m.id), `${what}: the body leaks a file of ${m.id}`).toBe(false);
}

async function fetchNotFound(path: string, what = path, method = 'GET'): Promise<void> {
  const res = await get(path, { method });
  expectNotFound(res.status, res.headers.get('cache-control'), await res.text(), `${method} ${what}`);
}

describe('files of a finished recording', () => {
  it.each(FILES)('%s: %s, %s', async (file, type, cacheControl) => {
    const res = await get(recordingUrlPath(rec.old, file));
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cacheControl);
    expect(res.headers.get('content-length')).toBe(String(bodyOf(rec.old, file).length));
    expect(body.equals(bodyOf(rec.old, file)), 'the stored bytes').toBe(true);
  });

  it('serves the HLS and DASH files of a ready recording whose MP4 is not exported yet', async () => {
    for (const file of ['index.m3u8', 'index.mpd', 'v-159053544003960.m4s']) {
      expect((await get(recordingUrlPath(rec.newer, file))).status, file).toBe(200);
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const file = 'v-159053544003960.m4s';
    const res = await get(recordingUrlPath(rec.old, file), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(bodyOf(rec.old, file).length));
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers a byte range with 206 (seeking in the MP4, byte-range segments)', async () => {
    for (const file of ['recording.mp4', 'v-159053544003960.m4s']) {
      const full = bodyOf(rec.old, file);
      const res = await get(recordingUrlPath(rec.old, file), { headers: { Range: 'bytes=10-29' } });
      expect(res.status, file).toBe(206);
      expect(res.headers.get('content-range'), file).toBe(`bytes 10-29/${full.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(full.subarray(10, 30)), `${file}: bytes 10-29`).toBe(true);
      const tail = await get(recordingUrlPath(rec.old, file), { headers: { Range: 'bytes=-5' } });
      expect(tail.status).toBe(206);
      expect(Buffer.from(await tail.arrayBuffer()).equals(full.subarray(-5)), `${file}: the last 5 bytes`).toBe(true);
    }
  });

  it('refuses other methods on a served file with 405', async () => {
    const res = await get(recordingUrlPath(rec.old, 'index.m3u8'), { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('what is not served', () => {
  it('nothing of a recording in progress', async () => {
    for (const [file] of FILES) await fetchNotFound(recordingUrlPath(rec.live, file), `in progress: ${file}`);
    await fetchNotFound(recordingUrlPath(rec.live, 'index.m3u8'), 'in progress', 'HEAD');
  });

  it('nothing of a failed recording', async () => {
    for (const file of ['index.m3u8', 'v-159053544003960.m4s', 'recording.mp4']) await fetchNotFound(recordingUrlPath(rec.failed, file), `failed: ${file}`);
  });

  it('the MP4 before its export is ready', async () => {
    await fetchNotFound(recordingUrlPath(rec.newer, 'recording.mp4'), 'MP4 pending');
  });

  it('a recording under another stream\'s or app\'s path, or an unknown id', async () => {
    await fetchNotFound(`/vod/live/other/${rec.old.id}/index.m3u8`, 'id of live/s under live/other');
    await fetchNotFound(`/vod/live2/s/${rec.old.id}/index.m3u8`, 'id of live/s under live2/s');
    await fetchNotFound(`/vod/live/s/${newRecordingId(T0, '123456')}/index.m3u8`, 'unknown id');
    await fetchNotFound('/vod/live/s/not-an-id/index.m3u8', 'invalid id');
  });

  it('files off the allow-list: the journal, recording.json, anything else', async () => {
    for (const file of [RECORDING_JOURNAL, RECORDING_META, 'recording.json.tmp', 'init.mp4', 'seg-000001.ts', 'x.m3u8', 'v-1.m4s.bak', 'V-1.m4s', '']) {
      await fetchNotFound(recordingUrlPath(rec.old, file), `file "${file}"`);
    }
    await fetchNotFound(`/vod/live/s/${rec.old.id}`, 'the folder');
    await fetchNotFound(`/vod/live/s/${rec.old.id}/index.m3u8/`, 'a trailing slash');
    await fetchNotFound(`/vod/live/s/${rec.old.id}/x/index.m3u8`, 'a deeper path');
  });

  it('encoded traversal attempts', async () => {
    const id = rec.old.id;
    const attempts = [
      `/vod/live/s/${id}/..%2Frecording.json`,
      `/vod/live/s/${id}/%2e%2e%2f${id}%2frecording.json`,
      `/vod/live/s/${id}/%2E%2E/${id}/recording.json`,
      `/vod/live/s/${id}/..%5Crecording.json`,
      `/vod/live/s/${id}/%252e%252e%252frecording.json`,
      `/vod/live/s/${id}/recording.json%00.m3u8`,
      `/vod/live/s/${id}/index.m3u8%2f..%2frecording.json`,
      `/vod/live/s/%2e%2e/s/${id}/index.m3u8`,
      `/vod/live/%2e%2e/s/${id}/index.m3u8`,
      `/vod/%2e%2e/vod/live/s/${id}/index.m3u8`,
      `/vod/live/s%2F${id}/index.m3u8`,
      `/vod/live/s/${id}%2Findex.m3u8`,
      `/vod/live/s/${id}/%c0%ae%c0%ae%2frecording.json`,
      `/vod/live/s/${id}/%ZZ`,
      `/vod/live/s/../s/${id}/recording.json`,
      `/vod/live/s/${id}/../${id}/journal.jsonl`,
    ];
    for (const path of attempts) {
      const res = await rawRequest(port, path);
      const body = res.body.toString('utf8');
      expectNotFound(res.status, res.headers['cache-control'], body, path);
      expect(body.includes('"state"') || body.includes('"t":"end"'), `${path} leaked recording.json or the journal: ${body.slice(0, 100)}`).toBe(false);
    }
  });
});

describe('latest.*', () => {
  it('latest.m3u8 and latest.mpd redirect (302) to the newest ready recording', async () => {
    for (const [latest, file] of [['latest.m3u8', 'index.m3u8'], ['latest.mpd', 'index.mpd']] as const) {
      const res = await get(`/vod/live/s/${latest}`);
      expect(res.status, latest).toBe(302);
      expect(res.headers.get('location'), `${latest}: the newest ready one, not the one in progress or the failed one`).toBe(recordingUrlPath(rec.newer, file));
      expect(res.headers.get('cache-control'), `${latest}: must be revalidated`).toBe('no-cache');
    }
  });

  it('latest.mp4 redirects to the newest recording whose MP4 is ready', async () => {
    const res = await get('/vod/live/s/latest.mp4');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(recordingUrlPath(rec.old, 'recording.mp4'));
  });

  it('is per stream', async () => {
    const res = await get('/vod/live/other/latest.m3u8');
    expect(res.headers.get('location')).toBe(recordingUrlPath(rec.other, 'index.m3u8'));
  });

  it('followed, the redirect plays', async () => {
    const res = await fetch(url('/vod/live/s/latest.m3u8'));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bodyOf(rec.newer, 'index.m3u8'))).toBe(true);
  });

  it('404 (no-store) when there is no finished recording', async () => {
    for (const path of ['/vod/live/none/latest.m3u8', '/vod/live/none/latest.mpd', '/vod/live/none/latest.mp4', '/vod/other-app/s/latest.m3u8']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(((await res.json()) as { error: string }).error).toMatch(/no finished recording/);
    }
  });

  it('only the three latest names redirect: not other names, nor names of Object.prototype', async () => {
    for (const name of ['latest', 'latest.ts', 'LATEST.m3u8', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await fetchNotFound(`/vod/live/s/${name}`, `/vod/live/s/${name}`);
    }
  });
});
