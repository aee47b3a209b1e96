// A second publisher on a live name: refused with NetStream.Publish.BadName while the first is
// active, and it replaces a first publisher that went silent (a reconnect after a network drop
// must not be refused because the dead session lingers). Configurable: 'never' and 'always'.
import { afterEach, describe, expect, it } from 'vitest';
import { RtmpClient } from '../../src/rtmp/rtmp-client.js';
import type { TakeoverPolicy } from '../../src/streams/stream-registry.js';
import { avcFrame, avcSequenceHeader } from '../helpers/synthetic-media.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';

describe('a second publisher on a live name', () => {
  let t: TestServer | undefined;
  const clients: RtmpClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await t?.stop();
    t = undefined;
  });

  async function setup(policy: TakeoverPolicy): Promise<TestServer> {
    t = await startTestServer({ streams: { publisherTakeover: policy, staleAfterMs: 300 } });
    return t;
  }

  async function publisher(server: TestServer, name: string): Promise<RtmpClient> {
    const c = await RtmpClient.connect({ url: server.rtmpUrl(`live/${name}`), mode: 'publish' });
    clients.push(c);
    c.sendMedia(9, 0, avcSequenceHeader());
    c.sendMedia(9, 0, avcFrame(true));
    return c;
  }

  it('is refused with NetStream.Publish.BadName while the first one is sending', async () => {
    const server = await setup('stale');
    const first = await publisher(server, 'busy');
    await expect(publisher(server, 'busy')).rejects.toThrow(/NetStream\.Publish\.BadName.*already being published/);
    expect(first.isClosed).toBe(false);
    expect(server.server.registry.get('live', 'busy')?.phase.kind).toBe('live');
  });

  it('replaces a first publisher that has gone silent, and the first is disconnected', async () => {
    const server = await setup('stale');
    const first = await publisher(server, 'reconnect');
    await new Promise((r) => setTimeout(r, 400)); // first goes silent for longer than staleAfterMs
    const second = await publisher(server, 'reconnect');
    await waitFor('the stale publisher to be disconnected', () => first.isClosed);
    expect(second.isClosed).toBe(false);
    second.sendMedia(9, 33, avcFrame(false));
    const live = server.server.registry.get('live', 'reconnect');
    expect(live?.phase.kind).toBe('live');
    expect(server.log.entries.some((e) => e.msg === 'publish started' && e.fields.replaced !== undefined)).toBe(true);
  });

  it("with publisherTakeover 'never', refuses even when the first is silent", async () => {
    const server = await setup('never');
    await publisher(server, 'never');
    await new Promise((r) => setTimeout(r, 400));
    await expect(publisher(server, 'never')).rejects.toThrow(/BadName/);
  });

  it("with publisherTakeover 'always', the newest publisher wins at once", async () => {
    const server = await setup('always');
    const first = await publisher(server, 'always');
    await publisher(server, 'always');
    await waitFor('the first publisher to be disconnected', () => first.isClosed);
  });

  it('refuses stream names that could become unsafe paths', async () => {
    const server = await setup('stale');
    for (const bad of ['..', '.hidden', 'a/b', 'a%2fb', 'x'.repeat(200)]) {
      await expect(publisher(server, bad), bad).rejects.toThrow(/BadName|refused|closed/);
    }
  });
});
