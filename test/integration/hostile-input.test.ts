// Malformed and hostile input closes only the offending connection, with one log line; other
// streams are unaffected and the process keeps serving. Limits are enforced by name.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkEncoder } from '../../pipeline/rtmp/chunk/chunk-encoder.js';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { closedWithin, commandChunks, handshake, openSocket } from '../helpers/raw-rtmp.js';
import { captureStream } from '../helpers/stream-capture.js';
import { avcFrame, avcSequenceHeader } from '../helpers/synthetic-media.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';

describe('hostile input', () => {
  let t: TestServer;
  let healthy: RtmpClient;
  let frames = 0;
  let timer: NodeJS.Timeout;

  beforeAll(async () => {
    t = await startTestServer({ rtmp: { handshakeTimeoutMs: 400, idleTimeoutMs: 800, maxConnectionsPerIp: 12 } });
    // A healthy publisher keeps streaming through every test in this file.
    healthy = await RtmpClient.connect({ url: t.rtmpUrl('live/healthy'), mode: 'publish' });
    healthy.sendMedia(9, 0, avcSequenceHeader());
    timer = setInterval(() => {
      frames++;
      healthy.sendMedia(9, frames * 33, avcFrame(frames % 30 === 0));
    }, 33);
  });
  afterAll(async () => {
    clearInterval(timer);
    await healthy?.close();
    await t?.stop();
  });

  /** The healthy stream is still live and still receiving frames. */
  async function healthyStillFlows(): Promise<void> {
    const cap = captureStream(t.server.registry, 'live', 'healthy');
    await waitFor('the healthy stream to keep flowing', () => cap.of(9).length >= 3, 3000);
    t.server.registry.unsubscribe('live', 'healthy', cap);
    expect(healthy.isClosed).toBe(false);
  }

  function warnLinesSince(mark: number): string[] {
    return t.log.entries.slice(mark).filter((e) => e.level === 'warn' || e.level === 'error').map((e) => `${e.msg} ${String(e.fields.reason ?? '')}`);
  }

  it('closes a connection that sends garbage after the handshake, with one warn line', async () => {
    const mark = t.log.entries.length;
    const s = await openSocket(t.server.rtmpPort);
    await handshake(s);
    // A type-1 chunk header on a chunk stream that never had a type-0 header, then noise.
    s.write(Buffer.concat([Buffer.from([0x45]), randomBytes(4096)]));
    await closedWithin(s, 3000);
    await waitFor('the close to be logged', () => warnLinesSince(mark).length > 0);
    const warns = warnLinesSince(mark);
    expect(warns, 'exactly one warn line for the bad connection').toHaveLength(1);
    expect(warns[0]).toMatch(/rtmp connection closed (protocol|limit|truncated|unsupported) error/);
    await healthyStillFlows();
  });

  it('refuses RTMPE (C0 = 6) with a clear reason', async () => {
    const mark = t.log.entries.length;
    const s = await openSocket(t.server.rtmpPort);
    s.write(Buffer.concat([Buffer.from([6]), randomBytes(1536)]));
    await closedWithin(s, 3000);
    await waitFor('the close to be logged', () => warnLinesSince(mark).length > 0);
    expect(warnLinesSince(mark)[0]).toMatch(/RTMPE/);
  });

  it('closes a connection that never completes the handshake (rtmp.handshakeTimeoutMs)', async () => {
    const s = await openSocket(t.server.rtmpPort);
    s.write(Buffer.from([3, 0, 0]));
    const ms = await closedWithin(s, 3000);
    expect(ms).toBeGreaterThanOrEqual(300);
  });

  it('closes a connection that goes silent after connecting (rtmp.idleTimeoutMs)', async () => {
    const s = await openSocket(t.server.rtmpPort);
    await handshake(s);
    const enc = new ChunkEncoder();
    for (const c of commandChunks(enc, 'connect', 1, { app: 'live', tcUrl: 'rtmp://127.0.0.1/live' })) s.write(c);
    const ms = await closedWithin(s, 4000);
    expect(ms).toBeGreaterThanOrEqual(600);
  });

  it('refuses a message larger than MAX_MESSAGE_SIZE before buffering it', async () => {
    const mark = t.log.entries.length;
    const s = await openSocket(t.server.rtmpPort);
    await handshake(s);
    // Type-0 header on csid 4: timestamp 0, length 0xFFFFFF (16 MiB), type 9, stream 1.
    s.write(Buffer.from([0x04, 0, 0, 0, 0xff, 0xff, 0xff, 0x09, 1, 0, 0, 0]));
    await closedWithin(s, 3000);
    await waitFor('the close to be logged', () => warnLinesSince(mark).length > 0);
    expect(warnLinesSince(mark)[0]).toMatch(/limit error/);
  });

  it('refuses AMF nesting deeper than MAX_AMF_DEPTH', async () => {
    const mark = t.log.entries.length;
    const s = await openSocket(t.server.rtmpPort);
    await handshake(s);
    // connect with an object nested 1000 deep, written by hand: 0x03 (object) repeated, key "a".
    const depth = 1000;
    const parts: number[] = [0x02, 0x00, 0x07, ...Buffer.from('connect'), 0x00, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < depth; i++) parts.push(0x03, 0x00, 0x01, 0x61);
    parts.push(0x05);
    for (let i = 0; i < depth; i++) parts.push(0x00, 0x00, 0x09);
    const enc = new ChunkEncoder();
    for (const c of enc.encode({ chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload: Uint8Array.from(parts) })) s.write(c);
    await closedWithin(s, 3000);
    await waitFor('the close to be logged', () => warnLinesSince(mark).length > 0);
    expect(warnLinesSince(mark)[0]).toMatch(/limit error/);
    await healthyStillFlows();
  });

  it('refuses connections past rtmp.maxConnectionsPerIp', async () => {
    const open = t.server.registry.live().length; // the healthy publisher holds one connection
    const sockets = [];
    for (let i = 0; i < 12; i++) sockets.push(await openSocket(t.server.rtmpPort));
    // 12 allowed from one IP, one already used by the healthy publisher: the last one is refused.
    const results = await Promise.allSettled(sockets.map((s) => closedWithin(s, 250)));
    const refused = results.filter((r) => r.status === 'fulfilled').length;
    expect(open).toBe(1);
    expect(refused).toBe(1);
    for (const s of sockets) s.destroy();
    await healthyStillFlows();
  });

  it('survives many random-byte connections at once', async () => {
    const sockets = await Promise.all(Array.from({ length: 8 }, () => openSocket(t.server.rtmpPort)));
    for (const s of sockets) s.write(Buffer.concat([Buffer.from([3]), randomBytes(1536 + 2000)]));
    await Promise.all(sockets.map((s) => closedWithin(s, 3000).catch(() => s.destroy())));
    await healthyStillFlows();
  });
});
