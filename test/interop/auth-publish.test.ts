// Publish authorisation with ffmpeg as the RTMP client: open by default, stream keys mapped to
// public names (the key never in /api/streams, playlists or logs), signed URLs (valid, expired,
// tampered), the on_publish callback (allow, rename, 403, 404, down, slow), IP allow/deny lists
// and the per-IP publish limit. Each refusal: the right status on the wire (ffmpeg prints the
// description, which starts with the code), ffmpeg fails, one info log line without secrets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signPublishUrl } from '../../src/auth/signed-url.js';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import type { DeepPartial, OnrampConfig } from '../../src/config/config-schema.js';
import type { MemoryLogEntry } from '../../src/logging/memory-logger.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { killAll, run, type RunResult } from '../helpers/processes.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { deadUrl, startCallbackReceiver, type CallbackReceiver } from '../src/auth/callback-receiver.js';

const enabled = requireTool('ffmpeg');
const KEY = 'sk_4f9a2c7e1b';
const SECRET = 'publish-secret-0123456789';

/** ffmpeg publishing `seconds` of encoded test source as fast as it can (real time is not needed to be accepted). */
function quickPublish(url: string, seconds = 1): Promise<RunResult> {
  return run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=160x90:rate=15:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-pix_fmt', 'yuv420p', '-f', 'flv', url], { timeoutMs: 20_000 });
}

const refusals = (t: TestServer): MemoryLogEntry[] => t.log.entries.filter((e) => e.msg.startsWith('publish refused'));
const started = (t: TestServer): MemoryLogEntry[] => t.log.entries.filter((e) => e.msg === 'publish started');

/** ffmpeg failed with the status on the wire, and the server logged exactly one refusal line without secrets. */
function expectRefused(t: TestServer, r: RunResult, status: string, reason: RegExp, level: 'info' | 'warn' = 'info', secrets: string[] = []): MemoryLogEntry {
  expect(r.code, 'ffmpeg exits with an error').not.toBe(0);
  expect(r.stderr).toContain(`Server error: ${status}`);
  const lines = refusals(t);
  expect(lines.length, 'exactly one refusal line').toBe(1);
  const line = lines[0];
  expect(line.level).toBe(level);
  expect(line.fields).toMatchObject({ action: 'publish', ip: '127.0.0.1', status, sessionId: expect.any(String) });
  expect(String(line.fields.reason)).toMatch(reason);
  expect(started(t).filter((e) => e.fields.sessionId === line.fields.sessionId), 'the refused session never started').toEqual([]);
  const logged = JSON.stringify(t.log.entries);
  for (const s of secrets) expect(logged, 'no secret in the log').not.toContain(s);
  return line;
}

async function withServer(overrides: DeepPartial<OnrampConfig>, body: (t: TestServer) => Promise<void>): Promise<void> {
  const t = await startTestServer(overrides);
  try {
    await body(t);
  } finally {
    await t.stop();
  }
}

describe.skipIf(!enabled)('publish authorisation with ffmpeg', () => {
  afterEach(() => killAll());

  it('is open by default: a publish works with no auth configured, without a start-up warning on 127.0.0.1', () =>
    withServer({}, async (t) => {
      const r = await quickPublish(t.rtmpUrl('live/open1'));
      expect(r.code, r.stderr).toBe(0);
      expect(started(t)[0].fields).toMatchObject({ stream: 'live/open1', via: 'open' });
      expect(t.log.withLevel('warn')).toEqual([]);
    }));

  describe('stream keys', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ auth: { publish: { keys: { [KEY]: 'live/mystream' } } }, hls: { segmentDurationMs: 1000 } });
    });
    afterEach(() => t.log.clear());
    afterAll(() => t?.stop());

    it('publishes an OBS-style key under its public name; the key appears nowhere', async () => {
      const publishing = ffmpegLivePublish(t.rtmpUrl(`live/${KEY}`), 3);
      const listed = await waitFor('the stream in /api/streams', async () => {
        const text = await (await fetch(t.httpUrl('/api/streams'))).text();
        return text.includes('"mystream"') ? text : undefined;
      });
      expect(listed).not.toContain(KEY);
      const playlist = await waitFor('the HLS playlist at the public name', async () => {
        const res = await fetch(t.httpUrl('/live/mystream/index.m3u8'));
        return res.status === 200 ? res.text() : undefined;
      });
      expect(playlist).not.toContain(KEY);
      expect(t.server.registry.get('live', KEY)).toBeUndefined();
      const r = await publishing;
      expect(r.code, r.stderr).toBe(0);
      await waitFor('the publish to end', () => t.log.entries.some((e) => e.msg === 'publish ended'));
      expect(started(t)[0].fields).toMatchObject({ stream: 'live/mystream', via: 'key' });
      expect(JSON.stringify(t.log.entries), 'the key is in no log line').not.toContain(KEY);
      expect((await fetch(t.httpUrl(`/live/${KEY}/index.m3u8`))).status, 'nothing is served under the key').toBe(404);
    });

    it('refuses an unknown key with NetStream.Publish.BadName, without logging it', async () => {
      const r = await quickPublish(t.rtmpUrl('live/sk_wrong_key_1'));
      const line = expectRefused(t, r, 'NetStream.Publish.BadName', /unknown stream key/, 'info', ['sk_wrong_key_1']);
      expect(line.fields).toMatchObject({ app: 'live' });
      expect(line.fields.stream).toBeUndefined();
    });

    it('refuses the public name used without its key', async () => {
      const r = await quickPublish(t.rtmpUrl('live/mystream'));
      expectRefused(t, r, 'NetStream.Publish.BadName', /public name/);
    });
  });

  describe('signed URLs', () => {
    let t: TestServer;
    const now = (): number => Math.floor(Date.now() / 1000);
    beforeAll(async () => {
      t = await startTestServer({ auth: { publish: { secret: SECRET } } });
    });
    afterEach(() => t.log.clear());
    afterAll(() => t?.stop());

    it('accepts a valid signature, and logs neither it nor the query', async () => {
      const path = signPublishUrl(SECRET, 'live', 'signed1', now() + 120);
      const r = await quickPublish(t.rtmpUrl(path));
      expect(r.code, r.stderr).toBe(0);
      expect(started(t)[0].fields).toMatchObject({ stream: 'live/signed1', via: 'signature' });
      const logged = JSON.stringify(t.log.entries);
      expect(logged).not.toContain(path.split('sig=')[1]);
      expect(logged).not.toContain('expires=');
    });

    it('refuses an expired signature', async () => {
      const path = signPublishUrl(SECRET, 'live', 'signed2', now() - 10);
      expectRefused(t, await quickPublish(t.rtmpUrl(path)), 'NetStream.Publish.BadName', /signature expired/, 'info', [path.split('sig=')[1]]);
    });

    it('refuses a tampered one (another name) and a missing one', async () => {
      const path = signPublishUrl(SECRET, 'live', 'signed3', now() + 120).replace('signed3', 'signed4');
      expectRefused(t, await quickPublish(t.rtmpUrl(path)), 'NetStream.Publish.BadName', /signature invalid/, 'info', [path.split('sig=')[1]]);
      t.log.clear();
      expectRefused(t, await quickPublish(t.rtmpUrl('live/unsigned')), 'NetStream.Publish.BadName', /signature missing/);
    });
  });

  describe('the on_publish callback', () => {
    let t: TestServer;
    let receiver: CallbackReceiver;
    beforeAll(async () => {
      receiver = await startCallbackReceiver();
      t = await startTestServer({ auth: { publish: { callbackUrl: receiver.url }, callbackTimeoutMs: 400 } });
    });
    afterEach(() => {
      t.log.clear();
      receiver.requests.length = 0;
    });
    afterAll(async () => {
      await t?.stop();
      await receiver?.close();
    });

    it('allows on 2xx and is told app, name, query, ip and session', async () => {
      receiver.answer = { status: 204 };
      const r = await quickPublish(t.rtmpUrl('live/cb1?pass=opensesame'));
      expect(r.code, r.stderr).toBe(0);
      expect(receiver.requests.map((q) => q.body)).toEqual([{ action: 'publish', app: 'live', name: 'cb1', query: { pass: 'opensesame' }, ip: '127.0.0.1', sessionId: expect.any(String) }]);
      expect(started(t)[0].fields).toMatchObject({ stream: 'live/cb1', via: 'callback', sessionId: receiver.requests[0].body.sessionId });
      expect(JSON.stringify(t.log.entries)).not.toContain('opensesame');
    });

    it('renames the stream to the name the callback returns', async () => {
      receiver.answer = { status: 200, body: { app: 'studio', name: 'renamed' } };
      const r = await quickPublish(t.rtmpUrl('live/callback-key-xyz'));
      expect(r.code, r.stderr).toBe(0);
      expect(started(t)[0].fields).toMatchObject({ stream: 'studio/renamed', via: 'callback' });
      expect(JSON.stringify(t.log.entries)).not.toContain('callback-key-xyz');
    });

    it('403 → NetConnection.Connect.Rejected', async () => {
      receiver.answer = { status: 403 };
      expectRefused(t, await quickPublish(t.rtmpUrl('live/cb403')), 'NetConnection.Connect.Rejected', /HTTP 403/, 'info', ['cb403']);
    });

    it('404 → NetStream.Publish.BadName', async () => {
      receiver.answer = { status: 404 };
      expectRefused(t, await quickPublish(t.rtmpUrl('live/cb404')), 'NetStream.Publish.BadName', /HTTP 404/);
    });

    it('slow → refused after auth.callbackTimeoutMs, logged as a callback failure', async () => {
      receiver.answer = { status: 204, delayMs: 3000 };
      const t0 = Date.now();
      const r = await quickPublish(t.rtmpUrl('live/cbslow'));
      expectRefused(t, r, 'NetStream.Publish.BadName', /callback failed: no answer within 400 ms/, 'warn');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
      expect(Date.now() - t0).toBeLessThan(2900);
    });

    it('a client that leaves while its callback is pending: the callback is abandoned, nothing is logged as refused, nothing leaks', async () => {
      receiver.answer = 'never';
      await expect(RtmpClient.connect({ url: t.rtmpUrl('live/leaver'), mode: 'publish', timeoutMs: 150 })).rejects.toThrow(/did not start/);
      await waitFor('the pending callback to be aborted', () => receiver.aborted() === 1);
      await new Promise((r) => setTimeout(r, 400)); // past auth.callbackTimeoutMs
      expect(refusals(t)).toEqual([]);
      expect(t.log.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
      expect(t.log.entries.some((e) => e.msg === 'rtmp connection closed' && e.fields.reason === 'peer closed the connection')).toBe(true);
      expect(t.server.registry.get('live', 'leaver')).toBeUndefined();
    });

    it('down → refused (fail closed)', async () => {
      await withServer({ auth: { publish: { callbackUrl: await deadUrl() } } }, async (down) => {
        expectRefused(down, await quickPublish(down.rtmpUrl('live/cbdown')), 'NetStream.Publish.BadName', /callback failed: network error/, 'warn');
      });
    });
  });

  describe('IP lists and limits', () => {
    it('a denied address is refused with NetConnection.Connect.Rejected (IPv4-mapped rule)', () =>
      withServer({ auth: { publish: { deny: ['::ffff:127.0.0.1'] } } }, async (t) => {
        expectRefused(t, await quickPublish(t.rtmpUrl('live/ipdeny')), 'NetConnection.Connect.Rejected', /ip denied/);
      }));

    it('an address outside the allow list is refused; inside it publishes', async () => {
      await withServer({ auth: { publish: { allow: ['10.0.0.0/8'] } } }, async (t) => {
        expectRefused(t, await quickPublish(t.rtmpUrl('live/ipallow')), 'NetConnection.Connect.Rejected', /ip not allowed/);
      });
      await withServer({ auth: { publish: { allow: ['10.0.0.0/8', '127.0.0.0/8'] } } }, async (t) => {
        const r = await quickPublish(t.rtmpUrl('live/ipallow'));
        expect(r.code, r.stderr).toBe(0);
      });
    });

    it('rtmp.maxPublishesPerIp 1: a second simultaneous publish from 127.0.0.1 is refused; after the first ends, one works again', () =>
      withServer({ rtmp: { maxPublishesPerIp: 1 } }, async (t) => {
        const first = ffmpegLivePublish(t.rtmpUrl('live/limit-a'), 3);
        await waitFor('the first publish', () => started(t).length === 1);
        expectRefused(t, await quickPublish(t.rtmpUrl('live/limit-b')), 'NetStream.Publish.BadName', /too many publishes/);
        expect((await first).code).toBe(0);
        await waitFor('the first publish to end', () => t.log.entries.some((e) => e.msg === 'publish ended'));
        t.log.clear();
        const again = await quickPublish(t.rtmpUrl('live/limit-c'));
        expect(again.code, again.stderr).toBe(0);
      }));
  });
});
