// The live-stream registry, GOP cache, rate meter and name rules, on an injected clock.
import { describe, expect, it } from 'vitest';
import { GopCache } from '../../../src/streams/gop-cache.js';
import type { PublisherHandle } from '../../../src/streams/live-stream.js';
import type { MediaMessage } from '../../../src/streams/media-message.js';
import { RateMeter } from '../../../src/streams/rate-meter.js';
import { checkStreamName } from '../../../src/streams/stream-names.js';
import { StreamRegistry } from '../../../src/streams/stream-registry.js';
import { aacFrame, aacSequenceHeader, avcFrame, avcSequenceHeader } from '../../helpers/synthetic-media.js';
import { StreamCapture } from '../../helpers/stream-capture.js';

const frame = (keyframe: boolean, size = 10): MediaMessage => ({ typeId: 9, timestamp: 0, payload: new Uint8Array(size), keyframe, config: false });

describe('GopCache', () => {
  it('holds the newest keyframe onward and nothing before the first keyframe', () => {
    const gop = new GopCache(1000);
    gop.push(frame(false));
    expect(gop.size).toBe(0);
    gop.push(frame(true));
    gop.push(frame(false));
    gop.push(frame(true));
    gop.push(frame(false));
    expect(gop.snapshot().map((m) => m.keyframe)).toEqual([true, false]);
  });

  it('drops a GOP that outgrows its byte limit and waits for the next keyframe', () => {
    const gop = new GopCache(25);
    gop.push(frame(true, 10));
    gop.push(frame(false, 10));
    gop.push(frame(false, 10));
    expect(gop.size).toBe(0);
    gop.push(frame(false, 1));
    expect(gop.size).toBe(0);
    gop.push(frame(true, 10));
    expect(gop.size).toBe(1);
    expect(gop.byteLength).toBe(10);
  });
});

describe('RateMeter', () => {
  it('averages over complete seconds of its window', () => {
    let now = 10_000;
    const m = new RateMeter(() => now, 5);
    for (let s = 0; s < 4; s++) {
      m.add(1000);
      now += 1000;
    }
    expect(m.perSecond()).toBe(1000);
    now += 10_000;
    expect(m.perSecond()).toBe(0);
  });
});

describe('checkStreamName', () => {
  it.each(['live', 'my-stream_1', 'a.b', 'X'])('accepts %s', (n) => expect(checkStreamName('stream', n)).toBeUndefined());
  it.each(['', '.', '..', '.hidden', 'a/b', 'a\\\\b', 'a b', 'a%2f', 'é', 'x'.repeat(129), 'a\\u0000'])('refuses %j', (n) => {
    expect(checkStreamName('stream', n)).toMatch(/stream name/);
  });
});

describe('StreamRegistry', () => {
  function setup(policy: 'stale' | 'always' | 'never' = 'stale') {
    let now = 0;
    const kicked: string[] = [];
    const registry = new StreamRegistry({
      publisherTakeover: policy,
      staleAfterMs: 5000,
      gopCache: true,
      maxGopCacheBytes: 1 << 20,
      nowMs: () => now,
      onBadTag: () => undefined,
    });
    const handle = (id: string): PublisherHandle => ({ sessionId: id, remoteAddress: '127.0.0.1', kick: () => kicked.push(id) });
    return { registry, handle, kicked, advance: (ms: number) => (now += ms) };
  }

  it('gives a late subscriber metadata, configs and the cached GOP, starting on a keyframe', () => {
    const { registry, handle } = setup();
    const d = registry.publish('live', 's', handle('a'));
    if (!d.ok) throw new Error('publish refused');
    const s = d.stream;
    s.ingestData(0, new Uint8Array([1]), [{ width: 1 }], true);
    s.ingest(9, 0, avcSequenceHeader());
    s.ingest(8, 0, aacSequenceHeader());
    s.ingest(9, 0, avcFrame(false));
    s.ingest(9, 33, avcFrame(true));
    s.ingest(8, 40, aacFrame());
    s.ingest(9, 66, avcFrame(false));
    const startup = s.startupMessages();
    expect(startup.map((m) => [m.typeId, m.config, m.keyframe])).toEqual([
      [18, false, false],
      [9, true, false],
      [8, true, false],
      [9, false, true],
      [8, false, false],
      [9, false, false],
    ]);
  });

  it('refuses a second publisher while the first is active, then lets it replace a stale one', () => {
    const { registry, handle, kicked, advance } = setup('stale');
    expect(registry.publish('live', 's', handle('a')).ok).toBe(true);
    advance(1000);
    const refused = registry.publish('live', 's', handle('b'));
    expect(refused.ok).toBe(false);
    advance(5000);
    const replaced = registry.publish('live', 's', handle('c'));
    expect(replaced.ok && replaced.replaced?.sessionId).toBe('a');
    expect(kicked).toEqual(['a']);
  });

  it('tells subscribers about publish start and end, and forgets idle streams nobody watches', () => {
    const { registry, handle } = setup();
    const cap = registry.subscribe('live', 's', () => new StreamCapture());
    const h = handle('a');
    registry.publish('live', 's', h);
    expect(registry.live().length).toBe(1);
    registry.unpublish('live', 's', h);
    expect([cap.publishStarts, cap.publishEnds]).toEqual([1, 1]);
    expect(registry.get('live', 's')).toBeDefined();
    registry.unsubscribe('live', 's', cap);
    expect(registry.get('live', 's')).toBeUndefined();
  });

  it('ignores an unpublish from a publisher that was already replaced', () => {
    const { registry, handle } = setup('always');
    const a = handle('a');
    registry.publish('live', 's', a);
    registry.publish('live', 's', handle('b'));
    expect(registry.unpublish('live', 's', a)).toBe(false);
    expect(registry.get('live', 's')?.phase.kind).toBe('live');
  });
});
