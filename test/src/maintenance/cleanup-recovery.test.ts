// The cleanup job (left-over live folders past the ended-stream retention, recordings past their
// retention) and start-up recovery (interrupted recordings finalized, MP4 exports queued again,
// live playlists left open closed), over MemoryStorage with a controlled clock.
import { describe, expect, it } from 'vitest';
import type { FailedJob, JobCounts, JobHandlers, JobName, JobOptions, JobPayloads, JobQueue } from '../../../src/jobs/job-types.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { runCleanup, type CleanupDeps } from '../../../src/maintenance/cleanup.js';
import { recoverAtStartup } from '../../../src/maintenance/startup-recovery.js';
import { RecordingCatalog } from '../../../src/recording/recording-catalog.js';
import { newRecordingId } from '../../../src/recording/recording-id.js';
import { newRecordingMeta, parseRecordingMeta, type Mp4State, type RecordingMeta, type RecordingState } from '../../../src/recording/recording-meta.js';
import { RECORDING_META, recordingFolder } from '../../../src/recording/recording-paths.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const RETENTION_MS = 30_000;

/** MemoryStorage whose mtimes follow `clock.now`. */
function clockedStorage(): { storage: MemoryStorage; clock: { now: number } } {
  const clock = { now: T0 };
  return { storage: new MemoryStorage({ nowMs: () => clock.now }), clock };
}

interface AddedJob {
  readonly name: JobName;
  readonly payload: unknown;
  readonly opts: JobOptions | undefined;
}

/** A JobQueue that only records what is added. */
function recordingQueue(): JobQueue & { readonly added: AddedJob[] } {
  const added: AddedJob[] = [];
  return {
    backend: 'embedded',
    added,
    add<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobOptions): void {
      added.push({ name, payload, opts });
    },
    start: (_handlers: JobHandlers) => Promise.resolve(),
    counts: () => Promise.reject(new Error('not used')) as Promise<{ readonly [N in JobName]: JobCounts }>,
    failed: () => Promise.resolve([] as FailedJob[]),
    idle: () => Promise.resolve(),
    drained: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

let tag = 0;
/** A recording's metadata (a unique id per call) and one segment file in its folder. */
async function addRecording(catalog: RecordingCatalog, storage: MemoryStorage, fields: { state: RecordingState; startedAtMs: number; endedAtMs?: number | null; mp4?: Mp4State; name?: string }): Promise<RecordingMeta> {
  const ref = { id: newRecordingId(fields.startedAtMs, (tag++).toString(16).padStart(6, '0')), app: 'live', name: fields.name ?? 'show' };
  const meta: RecordingMeta = {
    ...newRecordingMeta(ref, fields.startedAtMs, fields.mp4 !== undefined && fields.mp4 !== 'off'),
    state: fields.state, endedAtMs: fields.endedAtMs ?? null, mp4: { state: fields.mp4 ?? 'off', bytes: 0 },
  };
  await storage.write(`${recordingFolder(ref)}v-0.m4s`, [Buffer.from('media')]);
  await catalog.save(meta);
  return meta;
}

function cleanupDeps(storage: MemoryStorage, catalog: RecordingCatalog, now: number, overrides: Partial<CleanupDeps> = {}): CleanupDeps {
  return {
    storage, catalog, logger: createMemoryLogger().logger, nowMs: () => now,
    inUse: () => false, endedRetentionMs: RETENTION_MS, recordingRetentionHours: 0, ...overrides,
  };
}

describe('runCleanup: live folders', () => {
  it('deletes a folder not in use whose newest file is older than the retention, and keeps the others', async () => {
    const { storage, clock } = clockedStorage();
    const catalog = new RecordingCatalog(storage, createMemoryLogger().logger);
    for (const key of ['live/old/index.m3u8', 'live/old/seg-000001.ts', 'live/busy/index.m3u8', 'live/mixed/seg-000001.ts', 'other/old/v.m3u8']) {
      await storage.write(key, [Buffer.from('x')]);
    }
    const vod = await addRecording(catalog, storage, { state: 'ready', startedAtMs: T0, endedAtMs: T0 });
    clock.now = T0 + 50_000;
    await storage.write('live/recent/index.m3u8', [Buffer.from('x')]);
    await storage.write('live/mixed/seg-000002.ts', [Buffer.from('x')]);
    const before = await storage.list('vod');

    const report = await runCleanup(cleanupDeps(storage, catalog, T0 + 60_000, { inUse: (app, name) => app === 'live' && name === 'busy' }));

    expect(report).toEqual({ liveFoldersDeleted: 2, recordingsDeleted: 0 });
    expect(await storage.list('live/old'), 'ended 60 s ago, retention 30 s').toEqual([]);
    expect(await storage.list('other/old'), 'any app, not only "live"').toEqual([]);
    expect(await storage.list('live/busy'), 'in use: kept however old').toEqual(['live/busy/index.m3u8']);
    expect(await storage.list('live/recent'), 'changed 10 s ago: kept').toEqual(['live/recent/index.m3u8']);
    expect(await storage.list('live/mixed'), 'its newest file decides').toHaveLength(2);
    expect(await storage.list('vod'), 'vod/ is never cleaned as a live folder').toEqual(before);
    expect(catalog.get(vod.id)?.state).toBe('ready');
  });

  it('deletes at exactly the retention, not a millisecond before', async () => {
    const { storage } = clockedStorage();
    const catalog = new RecordingCatalog(storage, createMemoryLogger().logger);
    await storage.write('live/s/index.m3u8', [Buffer.from('x')]);
    expect((await runCleanup(cleanupDeps(storage, catalog, T0 + RETENTION_MS - 1))).liveFoldersDeleted).toBe(0);
    expect((await runCleanup(cleanupDeps(storage, catalog, T0 + RETENTION_MS))).liveFoldersDeleted).toBe(1);
    expect(await storage.list('live')).toEqual([]);
  });

  it('keeps old recordings under vod/ however old their files are when recordings are kept for ever', async () => {
    const { storage } = clockedStorage();
    const catalog = new RecordingCatalog(storage, createMemoryLogger().logger);
    await addRecording(catalog, storage, { state: 'ready', startedAtMs: T0 - 1000 * HOUR, endedAtMs: T0 - 999 * HOUR });
    const before = await storage.list('');
    const report = await runCleanup(cleanupDeps(storage, catalog, T0 + 1000 * HOUR));
    expect(report).toEqual({ liveFoldersDeleted: 0, recordingsDeleted: 0 });
    expect(await storage.list('')).toEqual(before);
  });
});

describe('runCleanup: recordings', () => {
  async function fixture() {
    const { storage } = clockedStorage();
    const catalog = new RecordingCatalog(storage, createMemoryLogger().logger);
    const now = T0 + 100 * HOUR;
    const r = {
      readyOld: await addRecording(catalog, storage, { state: 'ready', startedAtMs: now - 50 * HOUR, endedAtMs: now - 49 * HOUR }),
      failedOld: await addRecording(catalog, storage, { state: 'failed', startedAtMs: now - 50 * HOUR, endedAtMs: null }),
      recordingOld: await addRecording(catalog, storage, { state: 'recording', startedAtMs: now - 90 * HOUR }),
      finalizingOld: await addRecording(catalog, storage, { state: 'finalizing', startedAtMs: now - 90 * HOUR, endedAtMs: now - 89 * HOUR }),
      readyRecent: await addRecording(catalog, storage, { state: 'ready', startedAtMs: now - 2 * HOUR, endedAtMs: now - HOUR }),
      /** Started before the cutoff, ended after it: its end counts. */
      readyLong: await addRecording(catalog, storage, { state: 'ready', startedAtMs: now - 60 * HOUR, endedAtMs: now - 47 * HOUR }),
    };
    return { storage, catalog, now, r };
  }

  it('deletes ready and failed recordings past the retention, never one still recording or finalizing', async () => {
    const { storage, catalog, now, r } = await fixture();
    const report = await runCleanup(cleanupDeps(storage, catalog, now, { recordingRetentionHours: 48 }));
    expect(report).toEqual({ liveFoldersDeleted: 0, recordingsDeleted: 2 });
    for (const gone of [r.readyOld, r.failedOld]) {
      expect(catalog.get(gone.id), `${gone.state} ${gone.id} forgotten`).toBeUndefined();
      expect(await storage.list(recordingFolder(gone)), `${gone.state} ${gone.id}: folder deleted`).toEqual([]);
    }
    for (const kept of [r.recordingOld, r.finalizingOld, r.readyRecent, r.readyLong]) {
      expect(catalog.get(kept.id)?.state, `${kept.state} ${kept.id} kept`).toBe(kept.state);
      expect(await storage.list(recordingFolder(kept)), `${kept.id}: files kept`).toHaveLength(2);
    }
  });

  it('keeps every recording when retentionHours is 0', async () => {
    const { storage, catalog, now } = await fixture();
    const before = await storage.list('');
    const report = await runCleanup(cleanupDeps(storage, catalog, now + 10_000 * HOUR, { recordingRetentionHours: 0 }));
    expect(report.recordingsDeleted).toBe(0);
    expect(catalog.list()).toHaveLength(6);
    expect(await storage.list('')).toEqual(before);
  });
});

describe('recoverAtStartup', () => {
  const BOOT = T0 + HOUR;
  const OPEN_LIVE = [
    '#EXTM3U', '#EXT-X-VERSION:9', '#EXT-X-TARGETDURATION:2', '#EXT-X-PART-INF:PART-TARGET=0.5', '#EXT-X-MEDIA-SEQUENCE:7',
    '#EXTINF:2.000,', 'seg-000007.m4s', '#EXT-X-PART:DURATION=0.5,URI="seg-000008.0.m4s"', '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg-000008.1.m4s"', '',
  ].join('\n');
  const CLOSED_LIVE = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\nseg-000001.ts\n#EXT-X-ENDLIST\n';
  const MULTIVARIANT = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\nv.m3u8\n';

  async function fixture() {
    const { storage } = clockedStorage();
    // What the previous process left: recording.json files (written by its catalog) and live files.
    const previous = new RecordingCatalog(storage, createMemoryLogger().logger);
    const r = {
      recording: await addRecording(previous, storage, { state: 'recording', startedAtMs: T0 - 10_000, mp4: 'pending' }),
      finalizing: await addRecording(previous, storage, { state: 'finalizing', startedAtMs: T0 - 20_000, endedAtMs: T0 - 5000, mp4: 'pending' }),
      readyPending: await addRecording(previous, storage, { state: 'ready', startedAtMs: T0 - 30_000, endedAtMs: T0 - 25_000, mp4: 'pending' }),
      readyDone: await addRecording(previous, storage, { state: 'ready', startedAtMs: T0 - 40_000, endedAtMs: T0 - 35_000, mp4: 'ready' }),
      readyOff: await addRecording(previous, storage, { state: 'ready', startedAtMs: T0 - 50_000, endedAtMs: T0 - 45_000 }),
      failed: await addRecording(previous, storage, { state: 'failed', startedAtMs: T0 - 60_000, endedAtMs: T0 - 55_000, mp4: 'failed' }),
    };
    await storage.writeAtomic('live/a/index.m3u8', MULTIVARIANT);
    await storage.writeAtomic('live/a/v.m3u8', OPEN_LIVE);
    await storage.writeAtomic('live/b/index.m3u8', CLOSED_LIVE);
    await storage.write('live/b/init.mp4', [Buffer.from('init')]);
    await storage.writeAtomic('other/c/index.m3u8', OPEN_LIVE);
    // A VOD playlist is never a live one, whatever it looks like.
    await storage.writeAtomic(`${recordingFolder(r.readyDone)}v.m3u8`, OPEN_LIVE);
    const log = createMemoryLogger();
    const catalog = new RecordingCatalog(storage, log.logger); // the new process: nothing loaded yet
    const queue = recordingQueue();
    const report = await recoverAtStartup({ storage, catalog, queue, logger: log.logger, nowMs: () => BOOT, endedRetentionMs: RETENTION_MS });
    return { storage, catalog, queue, report, r, log };
  }

  it('queues a finalize job for every recording that was recording or finalizing; they become finalizing', async () => {
    const { storage, catalog, queue, report, r } = await fixture();
    expect(report.recordingsToFinalize).toBe(2);
    const finalizes = queue.added.filter((j) => j.name === 'finalize-recording');
    expect(finalizes.map((j) => (j.payload as { recordingId: string }).recordingId).sort()).toEqual([r.recording.id, r.finalizing.id].sort());
    for (const j of finalizes) {
      const id = (j.payload as { recordingId: string }).recordingId;
      expect(j.opts?.jobId, 'a new job id per boot (an old failed job of that id may be kept)').toBe(`finalize-${id}-${BOOT}`);
      expect(catalog.get(id)?.state).toBe('finalizing');
      const stored = parseRecordingMeta('x', Buffer.from((await storage.readAll(`${recordingFolder(catalog.get(id)!)}${RECORDING_META}`))!).toString('utf8'));
      expect(stored.state, `${id}: recording.json on storage says finalizing`).toBe('finalizing');
    }
  });

  it('queues the MP4 export again for a ready recording whose export was pending, and nothing for the others', async () => {
    const { catalog, queue, report, r } = await fixture();
    expect(report.exportsRequeued).toBe(1);
    const exports = queue.added.filter((j) => j.name === 'export-mp4');
    expect(exports).toEqual([{ name: 'export-mp4', payload: { recordingId: r.readyPending.id }, opts: { jobId: `mp4-${r.readyPending.id}-${BOOT}` } }]);
    for (const m of [r.readyPending, r.readyDone, r.readyOff, r.failed]) expect(catalog.get(m.id), `${m.id} unchanged`).toEqual(m);
  });

  it('closes live media playlists left open: EXT-X-ENDLIST appended, preload hints removed, the rest kept', async () => {
    const { storage, report, r } = await fixture();
    expect(report.playlistsClosed).toBe(2);
    for (const key of ['live/a/v.m3u8', 'other/c/index.m3u8']) {
      const closed = Buffer.from((await storage.readAll(key))!).toString('utf8');
      expect(closed, key).toBe(`${OPEN_LIVE.split('\n').filter((l) => l !== '' && !l.startsWith('#EXT-X-PRELOAD-HINT')).join('\n')}\n#EXT-X-ENDLIST\n`);
      expect(closed).not.toContain('PRELOAD-HINT');
      expect(closed).toContain('#EXT-X-PART:DURATION=0.5,URI="seg-000008.0.m4s"');
    }
    expect(Buffer.from((await storage.readAll('live/a/index.m3u8'))!).toString('utf8'), 'a multivariant playlist is left alone').toBe(MULTIVARIANT);
    expect(Buffer.from((await storage.readAll('live/b/index.m3u8'))!).toString('utf8'), 'a closed playlist is left alone').toBe(CLOSED_LIVE);
    expect(Buffer.from((await storage.readAll(`${recordingFolder(r.readyDone)}v.m3u8`))!).toString('utf8'), 'vod/ is not touched').toBe(OPEN_LIVE);
  });

  it('queues a cleanup after the ended-stream retention', async () => {
    const { queue } = await fixture();
    const cleanups = queue.added.filter((j) => j.name === 'cleanup');
    expect(cleanups).toEqual([{ name: 'cleanup', payload: { reason: 'startup' }, opts: { jobId: `cleanup-startup-${BOOT}`, delayMs: RETENTION_MS + 1000 } }]);
  });

  it('a second run finds nothing more to close and queues the same job ids again (deduplicated by the queue)', async () => {
    const { storage, catalog, queue } = await fixture();
    const again = recordingQueue();
    const report = await recoverAtStartup({ storage, catalog, queue: again, logger: createMemoryLogger().logger, nowMs: () => BOOT, endedRetentionMs: RETENTION_MS });
    expect(report).toEqual({ recordingsToFinalize: 2, exportsRequeued: 1, playlistsClosed: 0 });
    expect(again.added.map((j) => j.opts?.jobId).sort()).toEqual(queue.added.map((j) => j.opts?.jobId).sort());
  });
});
