// Closing the server tells every publisher (onStatus NetStream.Unpublish.Success, "server
// shutting down") and every player (NetStream.Play.UnpublishNotify) before the connection ends.
import { describe, expect, it } from 'vitest';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import { avcFrame, avcSequenceHeader } from '../helpers/synthetic-media.js';
import { startTestServer, waitFor } from '../helpers/test-server.js';

describe('shutdown notice', () => {
  it('sends publishers and players a status before closing', async () => {
    const t = await startTestServer();
    const publisherEvents: string[] = [];
    const playerEvents: string[] = [];
    const record = (into: string[]) => (e: { type: string; code?: string; description?: string }) => {
      if (e.type === 'status') into.push(`${e.code ?? ''} ${e.description ?? ''}`);
    };
    const publisher = await RtmpClient.connect({ url: t.rtmpUrl('live/bye'), mode: 'publish', onEvent: record(publisherEvents) });
    publisher.sendMedia(9, 0, avcSequenceHeader());
    publisher.sendMedia(9, 0, avcFrame(true));
    const player = await RtmpClient.connect({ url: t.rtmpUrl('live/bye'), mode: 'play', onEvent: record(playerEvents) });
    await waitFor('the player to be attached', () => (t.server.registry.get('live', 'bye')?.describe().players ?? 0) === 1);
    await t.stop();
    await waitFor('both clients to see the connection end', () => publisher.isClosed && player.isClosed);
    expect(publisherEvents.some((e) => e === 'NetStream.Unpublish.Success server shutting down'), publisherEvents.join('; ')).toBe(true);
    expect(playerEvents.some((e) => e.startsWith('NetStream.Play.UnpublishNotify')), playerEvents.join('; ')).toBe(true);
  });
});
