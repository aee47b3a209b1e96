// A synthetic long stream, through Onramp's own client: timestamps that cross 0xFFFFFF ms (the
// extended-timestamp threshold, ~4 h 40 min) and 2^32 ms (the 32-bit wrap, ~49.7 days) stay
// monotonic and exact, at the server and at a player.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../pipeline/rtmp/session/client-session.js';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { captureStream } from '../helpers/stream-capture.js';
import { aacFrame, aacSequenceHeader, avcFrame, avcSequenceHeader } from '../helpers/synthetic-media.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';

const FRAME_MS = 33;

describe('long streams', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  for (const [label, startMs] of [
    ['0xFFFFFF ms (extended timestamps begin)', 0xffffff - 40 * FRAME_MS],
    ['2^32 ms (the 32-bit timestamp wraps)', 2 ** 32 - 40 * FRAME_MS],
  ] as const) {
    it(`keeps timestamps monotonic across ${label}`, async () => {
      const name = `long-${startMs}`;
      const cap = captureStream(t.server.registry, 'live', name);
      const played: number[] = [];
      const player = await RtmpClient.connect({
        url: t.rtmpUrl(`live/${name}`),
        mode: 'play',
        onEvent: (e: ClientEvent) => {
          if (e.type === 'media' && e.typeId === 9) played.push(e.timestamp);
        },
      });
      const pub = await RtmpClient.connect({ url: t.rtmpUrl(`live/${name}`), mode: 'publish' });
      pub.sendMedia(9, startMs, avcSequenceHeader());
      pub.sendMedia(8, startMs, aacSequenceHeader());
      const sent: number[] = [];
      for (let i = 0; i < 80; i++) {
        const ts = startMs + i * FRAME_MS;
        // Large frames span several chunks, so type-3 continuation chunks carry the extended timestamp.
        pub.sendMedia(9, ts, avcFrame(i % 30 === 0, 600, 66));
        pub.sendMedia(8, ts + 5, aacFrame());
        sent.push(ts);
      }
      await waitFor('all video frames at the server', () => cap.of(9).length >= 81);
      await waitFor('all video frames at the player', () => played.length >= 81, 5000);
      expect(t.server.registry.get('live', name)?.describe().players, 'one RTMP player (the HLS output is not a player)').toBe(1);
      await pub.close();
      await player.close();

      const serverTs = cap.of(9).filter((m) => !m.config).map((m) => m.timestamp);
      expect(serverTs, 'server-side timestamps equal the sent ones').toEqual(sent);
      const audioTs = cap.of(8).map((m) => m.timestamp);
      expect(audioTs.every((ts, i) => i === 0 || ts >= audioTs[i - 1]), 'audio stays monotonic').toBe(true);
      expect(played.slice(1), 'player-side timestamps equal the sent ones').toEqual(sent);
      expect(sent[sent.length - 1]).toBeGreaterThan(label.startsWith('2^32') ? 2 ** 32 : 0xffffff);
    });
  }
});
