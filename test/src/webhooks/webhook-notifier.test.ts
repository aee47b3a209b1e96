// The notifier turns service happenings into typed events and queues one delivery job each.
import { describe, expect, it } from 'vitest';
import type { JobName, JobOptions, JobPayloads, JobQueue } from '../../../src/jobs/job-types.js';
import { WebhookNotifier } from '../../../src/webhooks/webhook-notifier.js';
import { WEBHOOK_EVENT_TYPES } from '../../../src/webhooks/webhook-event.js';

interface Added {
  readonly name: JobName;
  readonly payload: JobPayloads[JobName];
  readonly opts: JobOptions | undefined;
}

function fakeQueue(): { queue: JobQueue; added: Added[] } {
  const added: Added[] = [];
  const unused = (): never => {
    throw new Error('not used by the notifier');
  };
  const queue: JobQueue = {
    backend: 'embedded',
    add: (name, payload, opts) => {
      added.push({ name, payload, opts });
    },
    start: unused,
    counts: unused,
    failed: unused,
    idle: unused,
    drained: unused,
    close: unused,
  };
  return { queue, added };
}

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

function notifier(url: string | null) {
  const { queue, added } = fakeQueue();
  let n = 0;
  const notifier = new WebhookNotifier({ queue, url, newId: () => `id-${++n}`, nowMs: () => T0 });
  return { notifier, added };
}

describe('WebhookNotifier', () => {
  const recording = { id: 'rec-1', durationSec: 12.5, bytes: 1234, hls: '/vod/rec-1/index.m3u8', dash: '/vod/rec-1/manifest.mpd', mp4: '/vod/rec-1/rec-1.mp4' };

  it('queues one deliver-webhook job per event, with the job id derived from the event id', () => {
    const { notifier: w, added } = notifier('https://hooks.example.com/onramp');
    const published = w.publish('live', 'cam');
    w.unpublish('live', 'cam');
    w.recordingReady('live', 'cam', recording);

    expect(added.map((a) => a.name)).toEqual(['deliver-webhook', 'deliver-webhook', 'deliver-webhook']);
    expect(added.map((a) => a.opts)).toEqual([{ jobId: 'webhook-id-1' }, { jobId: 'webhook-id-2' }, { jobId: 'webhook-id-3' }]);
    expect(added.map((a) => a.payload)).toEqual([
      { event: { id: 'id-1', type: 'stream.publish', time: '2025-01-02T03:04:05.678Z', app: 'live', name: 'cam' } },
      { event: { id: 'id-2', type: 'stream.unpublish', time: '2025-01-02T03:04:05.678Z', app: 'live', name: 'cam' } },
      { event: { id: 'id-3', type: 'recording.ready', time: '2025-01-02T03:04:05.678Z', app: 'live', name: 'cam', recording } },
    ]);
    expect(published).toEqual((added[0].payload as JobPayloads['deliver-webhook']).event);
    // Stream events carry no recording key at all (not even undefined), so their JSON stays minimal.
    expect(Object.keys((added[0].payload as JobPayloads['deliver-webhook']).event)).toEqual(['id', 'type', 'time', 'app', 'name']);
  });

  it('copies the recording, so a later change by the caller does not alter the queued event', () => {
    const { notifier: w, added } = notifier('https://hooks.example.com/');
    const mutable = { ...recording };
    w.recordingReady('live', 'cam', mutable);
    mutable.bytes = 0;
    expect((added[0].payload as JobPayloads['deliver-webhook']).event.recording?.bytes).toBe(1234);
  });

  it('uses random UUIDs and the real clock by default', () => {
    const { queue, added } = fakeQueue();
    const w = new WebhookNotifier({ queue, url: 'https://hooks.example.com/' });
    const before = Date.now();
    const a = w.publish('live', 'a');
    const b = w.publish('live', 'b');
    expect(a?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a?.id).not.toBe(b?.id);
    expect(Date.parse(a?.time ?? '')).toBeGreaterThanOrEqual(before);
    expect(added[1].opts).toEqual({ jobId: `webhook-${b?.id}` });
    expect(WEBHOOK_EVENT_TYPES).toContain(a?.type);
  });

  it('adds nothing when no URL is configured', () => {
    const { notifier: w, added } = notifier(null);
    expect(w.enabled).toBe(false);
    expect(w.publish('live', 'cam')).toBeNull();
    expect(w.unpublish('live', 'cam')).toBeNull();
    expect(w.recordingReady('live', 'cam', recording)).toBeNull();
    expect(added).toEqual([]);
  });
});
