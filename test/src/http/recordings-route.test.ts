// The recordings API through real HTTP: listing with filters (newest first), one recording,
// deleting (204 and gone from storage; 409 while it is being recorded), starting and stopping a
// recording through a stand-in RecordingManager, and the job queue's state (503 when unreachable).
import express, { type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordingsRoute, type RecordingView } from '../../../src/http/recordings-route.js';
import { EmbeddedJobQueue } from '../../../src/jobs/embedded-queue.js';
import { JobQueueUnavailableError, type JobQueue } from '../../../src/jobs/job-types.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { RecordingCatalog } from '../../../src/recording/recording-catalog.js';
import { newRecordingId } from '../../../src/recording/recording-id.js';
import type { RecordingManager, StartResult } from '../../../src/recording/recording-manager.js';
import { newRecordingMeta, type Mp4State, type RecordingMeta, type RecordingState } from '../../../src/recording/recording-meta.js';
import { RECORDING_META, recordingFolder } from '../../../src/recording/recording-paths.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { rawRequest } from './media-test-app.js';

const T0 = Date.UTC(2026, 3, 1, 9, 0, 0);
const MINUTE = 60_000;

/** What the route asks of the RecordingManager, answered as each test sets it up. */
interface FakeManager {
  startResult: StartResult;
  stopResult: RecordingMeta | undefined;
  active: Set<string>;
  readonly calls: string[];
}

interface TestApp {
  readonly port: number;
  url(path: string): string;
  close(): Promise<void>;
}

async function startApp(catalog: RecordingCatalog, manager: FakeManager, queue: JobQueue): Promise<TestApp> {
  const stand: Pick<RecordingManager, 'start' | 'stop' | 'isActive'> = {
    start: (app, name) => {
      manager.calls.push(`start ${app}/${name}`);
      return manager.startResult;
    },
    stop: (app, name) => {
      manager.calls.push(`stop ${app}/${name}`);
      return manager.stopResult;
    },
    isActive: (id) => manager.active.has(id),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(recordingsRoute({ catalog, recordings: stand as unknown as RecordingManager, queue, logger: createMemoryLogger().logger }));
  app.use((_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(404).json({ error: 'not found' });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

let storage: MemoryStorage;
let catalog: RecordingCatalog;
let queue: EmbeddedJobQueue;
let manager: FakeManager;
let app: TestApp;
let tag = 0;

async function addRecording(app_: string, name: string, startedAtMs: number, state: RecordingState, mp4: Mp4State = 'off'): Promise<RecordingMeta> {
  const ref = { id: newRecordingId(startedAtMs, (0xa00000 + tag++).toString(16)), app: app_, name };
  const meta: RecordingMeta = {
    ...newRecordingMeta(ref, startedAtMs, mp4 !== 'off'),
    state, endedAtMs: state === 'recording' ? null : startedAtMs + MINUTE, durationSec: state === 'ready' ? 60 : 0,
    bytes: 1234, mp4: { state: mp4, bytes: mp4 === 'ready' ? 999 : 0 },
  };
  await storage.write(`${recordingFolder(ref)}v-0.m4s`, [Buffer.from('media')]);
  await catalog.save(meta);
  return meta;
}

beforeAll(async () => {
  manager = { startResult: { ok: false, reason: 'not-live' }, stopResult: undefined, active: new Set(), calls: [] };
  queue = new EmbeddedJobQueue({ logger: createMemoryLogger().logger });
  storage = new MemoryStorage();
  catalog = new RecordingCatalog(storage, createMemoryLogger().logger);
  app = await startApp(catalog, manager, queue);
});

afterAll(async () => {
  await app.close();
  await queue.close(100);
});

beforeEach(async () => {
  for (const m of catalog.list()) await catalog.remove(m.id);
  manager.startResult = { ok: false, reason: 'not-live' };
  manager.stopResult = undefined;
  manager.active.clear();
  manager.calls.length = 0;
});

async function getJson<T>(path: string, init: RequestInit = {}): Promise<{ status: number; cacheControl: string | null; body: T }> {
  const res = await fetch(app.url(path), init);
  const text = await res.text();
  return { status: res.status, cacheControl: res.headers.get('cache-control'), body: (text === '' ? undefined : JSON.parse(text)) as T };
}

describe('GET /api/recordings', () => {
  it('lists every recording newest first, filtered by app and name', async () => {
    const a = await addRecording('live', 's', T0, 'ready', 'ready');
    const b = await addRecording('live', 'other', T0 + MINUTE, 'finalizing');
    const c = await addRecording('studio', 's', T0 + 2 * MINUTE, 'recording');
    const d = await addRecording('live', 's', T0 + 3 * MINUTE, 'failed');
    const ids = async (query: string): Promise<string[]> => {
      const res = await getJson<{ recordings: RecordingView[] }>(`/api/recordings${query}`);
      expect(res.status, query).toBe(200);
      expect(res.cacheControl, query).toBe('no-store');
      return res.body.recordings.map((r) => r.id);
    };
    expect(await ids('')).toEqual([d.id, c.id, b.id, a.id]);
    expect(await ids('?app=live')).toEqual([d.id, b.id, a.id]);
    expect(await ids('?name=s')).toEqual([d.id, c.id, a.id]);
    expect(await ids('?app=live&name=s')).toEqual([d.id, a.id]);
    expect(await ids('?app=nobody')).toEqual([]);
    expect(await ids('?app=&name='), 'empty filters are no filters').toEqual([d.id, c.id, b.id, a.id]);
    expect(await ids('?app=live&app=studio'), 'a repeated parameter is no filter').toHaveLength(4);
  });
});

describe('GET /api/recordings/:id', () => {
  it('describes a recording: state, jobs and URLs on this origin', async () => {
    const ready = await addRecording('live', 's', T0, 'ready', 'ready');
    const res = await getJson<RecordingView>(`/api/recordings/${ready.id}`);
    expect(res.status).toBe(200);
    expect(res.cacheControl).toBe('no-store');
    expect(res.body).toMatchObject({
      id: ready.id, app: 'live', name: 's', state: 'ready', startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + MINUTE).toISOString(),
      durationSec: 60, bytes: 1234, mp4Bytes: 999, jobs: { finalize: 'done', mp4: 'ready' },
      urls: {
        hls: app.url(`/vod/live/s/${ready.id}/index.m3u8`),
        dash: app.url(`/vod/live/s/${ready.id}/index.mpd`),
        mp4: app.url(`/vod/live/s/${ready.id}/recording.mp4`),
      },
    });
  });

  it('has no URLs before the outputs exist', async () => {
    const recording = await addRecording('live', 's', T0, 'recording', 'pending');
    const res = await getJson<RecordingView>(`/api/recordings/${recording.id}`);
    expect(res.body.urls).toEqual({ hls: null, dash: null, mp4: null });
    expect(res.body.jobs).toEqual({ finalize: 'not-yet', mp4: 'pending' });
    expect(res.body.endedAt).toBeNull();
  });

  it('404 for an unknown or invalid id', async () => {
    await addRecording('live', 's', T0, 'ready');
    // Sent as is (fetch would turn %2e%2e into .. and resolve it).
    for (const id of [newRecordingId(T0, 'ffffff'), 'nope', '%2e%2e', '..%2F..%2Fetc', '20260401-090000-ABCDEF', `${newRecordingId(T0, 'ffffff')}x`]) {
      const res = await rawRequest(app.port, `/api/recordings/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.headers['cache-control'], id).toBe('no-store');
      expect((JSON.parse(res.body.toString('utf8')) as { error: string }).error, id).toMatch(/^no recording /);
    }
  });
});

describe('DELETE /api/recordings/:id', () => {
  it('204, then it is gone from the API, the catalog and storage', async () => {
    const keep = await addRecording('live', 's', T0, 'ready');
    const gone = await addRecording('live', 's', T0 + MINUTE, 'failed');
    expect(await storage.list(recordingFolder(gone))).toHaveLength(2);
    const res = await fetch(app.url(`/api/recordings/${gone.id}`), { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await getJson(`/api/recordings/${gone.id}`)).status).toBe(404);
    expect(catalog.get(gone.id)).toBeUndefined();
    expect(await storage.list(recordingFolder(gone)), 'its folder is deleted').toEqual([]);
    expect(await storage.list(recordingFolder(keep)), 'another recording of the stream is kept').toEqual([`${recordingFolder(keep)}${RECORDING_META}`, `${recordingFolder(keep)}v-0.m4s`].sort());
    expect((await fetch(app.url(`/api/recordings/${gone.id}`), { method: 'DELETE' })).status, 'a second DELETE').toBe(404);
  });

  it('409 while it is being recorded, or still being written after a stop', async () => {
    const recording = await addRecording('live', 's', T0, 'recording');
    const stopping = await addRecording('live', 't', T0, 'finalizing');
    manager.active.add(stopping.id);
    for (const m of [recording, stopping]) {
      const res = await getJson<{ error: string; stop: string }>(`/api/recordings/${m.id}`, { method: 'DELETE' });
      expect(res.status, m.state).toBe(409);
      expect(res.body.stop).toBe(`/api/streams/live/${m.name}/recording`);
      expect(catalog.get(m.id), `${m.state}: still known`).toBeDefined();
      expect(await storage.list(recordingFolder(m)), `${m.state}: files kept`).toHaveLength(2);
    }
  });

  it('404 for an unknown or invalid id', async () => {
    for (const id of [newRecordingId(T0, '000000'), 'nope']) {
      expect((await fetch(app.url(`/api/recordings/${id}`), { method: 'DELETE' })).status, id).toBe(404);
    }
  });
});

describe('POST /api/streams/:app/:name/recording', () => {
  it('404 when the stream is not live', async () => {
    manager.startResult = { ok: false, reason: 'not-live' };
    const res = await getJson<{ error: string }>('/api/streams/live/s/recording', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/not live/);
    expect(manager.calls).toEqual(['start live/s']);
  });

  it('400 for a bad app or stream name, without asking the manager', async () => {
    for (const path of ['/api/streams/vod/s/recording', '/api/streams/live/.hidden/recording', '/api/streams/live/a%20b/recording', `/api/streams/live/${'x'.repeat(129)}/recording`]) {
      const res = await getJson<{ error: string }>(path, { method: 'POST' });
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatch(/name/);
    }
    expect(manager.calls).toEqual([]);
  });

  it('201 with the new recording', async () => {
    const meta = await addRecording('live', 's', T0, 'recording', 'pending');
    manager.startResult = { ok: true, meta };
    const res = await getJson<RecordingView>('/api/streams/live/s/recording', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: meta.id, state: 'recording', jobs: { finalize: 'not-yet', mp4: 'pending' } });
  });

  it('409 when already recording', async () => {
    const meta = await addRecording('live', 's', T0, 'recording');
    manager.startResult = { ok: false, reason: 'already-recording', meta };
    const res = await getJson<{ error: string; recording: RecordingView }>('/api/streams/live/s/recording', { method: 'POST' });
    expect(res.status).toBe(409);
    expect(res.body.recording.id).toBe(meta.id);
  });
});

describe('DELETE /api/streams/:app/:name/recording', () => {
  it('404 when the stream is not being recorded', async () => {
    const res = await getJson<{ error: string }>('/api/streams/live/s/recording', { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/not being recorded/);
    expect(manager.calls).toEqual(['stop live/s']);
  });

  it('200 with the stopped recording, now finalizing', async () => {
    const meta = await addRecording('live', 's', T0, 'recording');
    manager.stopResult = meta;
    const res = await getJson<RecordingView>('/api/streams/live/s/recording', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: meta.id, state: 'finalizing', jobs: { finalize: 'waiting' } });
  });
});

describe('GET /api/jobs', () => {
  it('returns the backend, the counts per job kind and the failures', async () => {
    queue.add('cleanup', { reason: 'periodic' }, { jobId: 'c1' });
    const res = await getJson<{ backend: string; counts: Record<string, { waiting: number }>; failed: unknown[] }>('/api/jobs');
    expect(res.status).toBe(200);
    expect(res.cacheControl).toBe('no-store');
    expect(res.body.backend).toBe('embedded');
    expect(Object.keys(res.body.counts).sort()).toEqual(['cleanup', 'deliver-webhook', 'export-mp4', 'finalize-recording', 'import-flv']);
    expect(res.body.counts.cleanup.waiting, 'the job added (the queue is not started)').toBe(1);
    expect(res.body.failed).toEqual([]);
  });

  it('503 when the queue cannot be reached', async () => {
    const down: JobQueue = {
      backend: 'bullmq',
      add: () => undefined,
      start: () => Promise.resolve(),
      counts: () => Promise.reject(new JobQueueUnavailableError('counts')),
      failed: () => Promise.resolve([]),
      idle: () => Promise.resolve(),
      drained: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const other = await startApp(catalog, manager, down);
    try {
      const res = await fetch(other.url('/api/jobs'));
      expect(res.status).toBe(503);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ backend: 'bullmq', error: 'the job queue is unreachable' });
    } finally {
      await other.close();
    }
  });
});
