// RtmpPlayer's backpressure states: flowing → awaitKeyframe when the socket queue passes the
// limit, back to flowing on a keyframe once drained, dropped when behind for too long.
import { describe, expect, it } from 'vitest';
import { RtmpPlayer, type PlayerSink } from '../../../src/rtmp/rtmp-player.js';
import type { PublisherHandle } from '../../../src/streams/live-stream.js';
import type { MediaMessage } from '../../../src/streams/media-message.js';
import { StreamRegistry } from '../../../src/streams/stream-registry.js';
import { avcFrame, avcSequenceHeader } from '../../helpers/synthetic-media.js';

function setup() {
  let now = 0;
  let queued = 0;
  const sent: MediaMessage[] = [];
  const closed: string[] = [];
  const registry = new StreamRegistry({ publisherTakeover: 'stale', staleAfterMs: 5000, gopCache: true, maxGopCacheBytes: 1 << 20, nowMs: () => now, onBadTag: () => undefined });
  const sink: PlayerSink = {
    sendMedia: (m) => sent.push(m),
    publishNotify: () => undefined,
    unpublishNotify: () => undefined,
    queuedBytes: () => queued,
    close: (r) => closed.push(r),
  };
  const player = registry.subscribe('live', 's', (s) => new RtmpPlayer(s, sink, { maxQueueBytes: 1000, dropAfterMs: 2000, nowMs: () => now }));
  const pub: PublisherHandle = { sessionId: 'p', remoteAddress: '', kick: () => undefined };
  const d = registry.publish('live', 's', pub);
  if (!d.ok) throw new Error('refused');
  return {
    stream: d.stream,
    player,
    sent,
    closed,
    setQueued: (n: number) => (queued = n),
    advance: (ms: number) => (now += ms),
  };
}

describe('RtmpPlayer', () => {
  it('skips to the next keyframe when behind, and resumes once the queue drains', () => {
    const t = setup();
    t.stream.ingest(9, 0, avcSequenceHeader());
    t.stream.ingest(9, 0, avcFrame(true));
    t.stream.ingest(9, 33, avcFrame(false));
    expect(t.sent.length).toBe(3);
    t.setQueued(5000);
    t.stream.ingest(9, 66, avcFrame(false));
    t.stream.ingest(9, 99, avcFrame(true));
    expect(t.sent.length, 'nothing sent while the queue is over the limit').toBe(3);
    t.setQueued(400);
    t.stream.ingest(9, 132, avcFrame(false));
    expect(t.sent.length, 'an inter frame does not restart playback').toBe(3);
    t.stream.ingest(9, 165, avcFrame(true));
    expect(t.sent.map((m) => m.timestamp)).toEqual([0, 0, 33, 165]);
    expect(t.player.skipped).toBe(3);
  });

  it('still sends codec configuration while behind', () => {
    const t = setup();
    t.stream.ingest(9, 0, avcFrame(true));
    t.setQueued(5000);
    t.stream.ingest(9, 10, avcFrame(false));
    t.stream.ingest(9, 20, avcSequenceHeader());
    expect(t.sent.map((m) => m.config)).toEqual([false, true]);
  });

  it('drops a player that stays behind longer than dropAfterMs', () => {
    const t = setup();
    t.stream.ingest(9, 0, avcFrame(true));
    t.setQueued(5000);
    t.stream.ingest(9, 33, avcFrame(false));
    t.advance(1500);
    t.stream.ingest(9, 66, avcFrame(true));
    expect(t.closed).toEqual([]);
    t.advance(1000);
    t.stream.ingest(9, 99, avcFrame(false));
    expect(t.closed[0]).toMatch(/too slow/);
    t.setQueued(0);
    t.stream.ingest(9, 132, avcFrame(true));
    expect(t.sent.length, 'a closed player gets nothing more').toBe(1);
  });

  it('honours pause and receiveVideo', () => {
    const t = setup();
    t.stream.ingest(9, 0, avcFrame(true));
    t.player.pause(true);
    t.stream.ingest(9, 33, avcFrame(false));
    t.player.pause(false);
    expect(t.sent.map((m) => m.timestamp), 'unpause replays the GOP from its keyframe').toEqual([0, 0, 33]);
    t.player.receive('video', false);
    t.stream.ingest(9, 66, avcFrame(true));
    expect(t.sent.length).toBe(3);
  });
});
