// A player that stops reading must not make the server's memory grow: it skips to keyframes
// once its queue passes streams.player.maxQueueBytes and is dropped after dropAfterMs, while a
// player that keeps up gets every frame.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientSession } from '../../pipeline/rtmp/session/client-session.js';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { avcFrame, avcSequenceHeader } from '../helpers/synthetic-media.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';

describe('player backpressure', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ streams: { player: { maxQueueBytes: 256 * 1024, dropAfterMs: 1000 } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('drops a player that stops reading, and a reading player gets every frame', async () => {
    const port = t.server.rtmpPort;
    // The stalled player: a raw socket that plays, then never reads again.
    const stalled = connect({ host: '127.0.0.1', port });
    const session = new ClientSession({ randomBytes: (n) => randomBytes(n), nowMs: () => Date.now(), app: 'live', tcUrl: `rtmp://127.0.0.1:${port}/live`, mode: 'play', name: 'bp' });
    stalled.on('error', () => undefined);
    // A paused socket never sees the server's close, so the server's log line tells.
    const dropped = (): boolean => t.log.entries.some((e) => /too slow/.test(String(e.fields.reason ?? '')));
    await new Promise<void>((resolve) => {
      stalled.on('connect', () => session.start().forEach((c) => stalled.write(c)));
      stalled.on('data', (b: Buffer) => {
        const out = session.receive(b);
        out.outbound.forEach((c) => stalled.write(c));
        if (out.events.some((e) => e.type === 'ready')) {
          stalled.pause();
          stalled.removeAllListeners('data');
          resolve();
        }
      });
    });

    let received = 0;
    const reader = await RtmpClient.connect({ url: t.rtmpUrl('live/bp'), mode: 'play', onEvent: (e) => e.type === 'media' && e.typeId === 9 && received++ });
    const pub = await RtmpClient.connect({ url: t.rtmpUrl('live/bp'), mode: 'publish' });
    pub.sendMedia(9, 0, avcSequenceHeader());
    let sent = 0;
    const deadline = Date.now() + 15_000;
    while (!dropped() && Date.now() < deadline) {
      for (let i = 0; i < 20; i++) {
        pub.sendMedia(9, sent * 33, avcFrame(sent % 30 === 0, 32 * 1024, 0, sent));
        sent++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(dropped(), 'the stalled player was disconnected as too slow').toBe(true);
    stalled.destroy();
    await waitFor('the reading player to get every frame', () => received >= sent + 1, 10_000);
    expect(reader.isClosed).toBe(false);
    await pub.close();
    await reader.close();
  });
});
