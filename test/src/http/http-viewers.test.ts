// The HTTP viewer estimate: distinct IP + User-Agent pairs per stream over the last 30 s, with a
// bound on memory and expired entries cleaned up, fed only by successful playlist fetches.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpViewers, VIEWER_WINDOW_MS } from '../../../src/http/http-viewers.js';

describe('HttpViewers', () => {
  it('counts distinct clients per stream over the last 30 s', () => {
    let now = 0;
    const v = new HttpViewers({ nowMs: () => now });
    v.seen('live', 'a', '10.0.0.1 ua1');
    v.seen('live', 'a', '10.0.0.1 ua1');
    v.seen('live', 'a', '10.0.0.1 ua2');
    v.seen('live', 'a', '10.0.0.2 ua1');
    v.seen('live', 'b', '10.0.0.1 ua1');
    expect(v.count('live', 'a')).toBe(3);
    expect(v.count('live', 'b')).toBe(1);
    expect(v.count('live', 'c')).toBe(0);
    now = 20_000;
    v.seen('live', 'a', '10.0.0.1 ua1'); // still watching
    now = VIEWER_WINDOW_MS + 1;
    expect(v.count('live', 'a'), 'only the client seen in the last 30 s').toBe(1);
    expect(v.count('live', 'b')).toBe(0);
    now = 20_000 + VIEWER_WINDOW_MS;
    expect(v.count('live', 'a')).toBe(0);
    expect(v.size, 'expired entries are gone').toBe(0);
  });

  it('cleans up streams nobody asks about and stays within its bound', () => {
    let now = 0;
    const v = new HttpViewers({ nowMs: () => now, maxEntries: 100 });
    for (let i = 0; i < 50; i++) v.seen('live', `s${i}`, 'c');
    expect(v.size).toBe(50);
    now = VIEWER_WINDOW_MS;
    v.seen('live', 'other', 'c'); // a fetch after a window sweeps every stream
    expect(v.size).toBe(1);
    for (let i = 0; i < 500; i++) v.seen('live', 'busy', `client-${i}`);
    expect(v.size).toBeLessThanOrEqual(100);
    expect(v.count('live', 'busy')).toBe(99);
    now += VIEWER_WINDOW_MS;
    for (let i = 0; i < 10; i++) v.seen('live', 'busy', `new-${i}`);
    expect(v.count('live', 'busy'), 'room again once the old entries expired').toBe(10);
  });

  describe('middleware', () => {
    let server: Server;
    let base: string;
    const viewers = new HttpViewers({ nowMs: () => Date.now() });
    beforeAll(async () => {
      const app = express();
      app.set('trust proxy', false);
      app.use(viewers.middleware());
      app.get('/live/cam/index.m3u8', (_req, res) => void res.send('#EXTM3U\n'));
      app.get('/live/cam/index.mpd', (_req, res) => void res.send('<MPD/>'));
      app.get('/live/cam/seg-1.ts', (_req, res) => void res.send('ts'));
      app.use((_req, res) => void res.status(404).end());
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('counts successful playlist and manifest fetches by User-Agent, not segments or 404s', async () => {
      const get = async (path: string, ua: string): Promise<void> => void (await (await fetch(base + path, { headers: { 'user-agent': ua } })).arrayBuffer());
      await get('/live/cam/index.m3u8', 'player-a');
      await get('/live/cam/index.m3u8?x=1', 'player-a');
      await get('/live/cam/index.mpd', 'player-b');
      await get('/live/cam/seg-1.ts', 'player-c');
      await get('/live/ghost/index.m3u8', 'player-d');
      await get('/live/cam/other.m3u8', 'player-e');
      expect(viewers.count('live', 'cam')).toBe(2);
      expect(viewers.count('live', 'ghost')).toBe(0);
    });
  });
});
