// A playlist rewritten 200 times while players poll it over HTTP: every response is one whole
// version, its Content-Length is the length of that version and its ETag that version's hash.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DiskStorage } from '../../../src/storage/disk-storage.js';
import { contentEtag } from '../../../src/storage/object-etag.js';
import { startMediaTestApp, type MediaTestApp } from './media-test-app.js';

let dir: string;
let storage: DiskStorage;
let app: MediaTestApp;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-rewrite-'));
  storage = new DiskStorage(dir);
  app = await startMediaTestApp({ storage });
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const version = (i: number) => `#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:${i}\n${`#EXTINF:2.000,\nseg-${i}.ts\n`.repeat(1 + (i % 13) * 30)}#END ${i}\n`;

it('never serves a torn playlist or a mismatched Content-Length or ETag', async () => {
  await storage.writeAtomic('live/s/index.m3u8', version(0));
  let done = false;
  const problems: string[] = [];
  let responses = 0;
  const poller = async () => {
    while (!done) {
      const res = await fetch(app.url('/live/s/index.m3u8'));
      const body = await res.text();
      responses += 1;
      const end = /#END (\d+)\n$/.exec(body);
      if (res.status !== 200 || end === null || body !== version(Number(end[1]))) problems.push(`torn: ${body.slice(-30)}`);
      if (res.headers.get('content-length') !== String(Buffer.byteLength(body))) problems.push('content-length');
      if (res.headers.get('etag') !== contentEtag([Buffer.from(body)])) problems.push('etag');
    }
  };
  const writer = async () => {
    for (let i = 1; i <= 200; i += 1) {
      await storage.writeAtomic('live/s/index.m3u8', version(i));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    done = true;
  };
  await Promise.all([writer(), poller(), poller(), poller()]);
  expect(problems).toEqual([]);
  expect(responses).toBeGreaterThan(50);
  expect(app.log.withLevel('error')).toEqual([]);
});
