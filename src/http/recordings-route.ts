// The recordings API: list, describe and delete recordings, start and stop recording a live
// stream, and the job queue's state.
//   GET    /api/recordings[?app=&name=]        newest first
//   GET    /api/recordings/:id                 duration, size, codecs, URLs, job state
//   DELETE /api/recordings/:id                 409 while it is being recorded
//   POST   /api/streams/:app/:name/recording   start (201), 409 if already, 404 if not live
//   DELETE /api/streams/:app/:name/recording   stop (200), 404 if not recording
//   GET    /api/jobs                           queue depth per job kind, recent failures
import { Router, type Request, type Response } from 'express';
import type { JobQueue } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import type { RecordingCatalog } from '../recording/recording-catalog.js';
import { isRecordingId } from '../recording/recording-id.js';
import type { RecordingManager } from '../recording/recording-manager.js';
import type { RecordingMeta } from '../recording/recording-meta.js';
import { recordingUrlPath } from '../recording/recording-paths.js';
import { checkStreamName } from '../streams/stream-names.js';
import { VOD_MP4, VOD_MPD, VOD_MULTIVARIANT } from '../../pipeline/packaging/vod-model.js';

export interface RecordingsRouteDeps {
  readonly catalog: RecordingCatalog;
  readonly recordings: RecordingManager;
  readonly queue: JobQueue;
  readonly logger: Logger;
}

export interface RecordingView {
  readonly id: string;
  readonly app: string;
  readonly name: string;
  readonly state: RecordingMeta['state'];
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationSec: number;
  readonly bytes: number;
  readonly tracks: RecordingMeta['tracks'];
  readonly discontinuities: number;
  readonly error: string | null;
  readonly jobs: { readonly finalize: 'waiting' | 'done' | 'failed' | 'not-yet'; readonly mp4: RecordingMeta['mp4']['state'] };
  readonly mp4Bytes: number;
  /** Absolute URLs on this origin; null until that output exists. */
  readonly urls: { readonly hls: string | null; readonly dash: string | null; readonly mp4: string | null };
}

export function recordingsRoute(deps: RecordingsRouteDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'recordings-api' });
  const noStore = (res: Response): Response => res.setHeader('Cache-Control', 'no-store');

  router.get('/api/recordings', (req, res) => {
    noStore(res);
    const app = queryString(req, 'app');
    const name = queryString(req, 'name');
    res.json({ recordings: deps.catalog.list({ app, name }).map((m) => recordingView(req, m)) });
  });

  router.get('/api/recordings/:id', (req, res) => {
    noStore(res);
    const meta = isRecordingId(req.params.id) ? deps.catalog.get(req.params.id) : undefined;
    if (meta === undefined) return void res.status(404).json({ error: `no recording ${req.params.id}` });
    res.json(recordingView(req, meta));
  });

  router.delete('/api/recordings/:id', (req, res) => {
    noStore(res);
    const meta = isRecordingId(req.params.id) ? deps.catalog.get(req.params.id) : undefined;
    if (meta === undefined) return void res.status(404).json({ error: `no recording ${req.params.id}` });
    if (meta.state === 'recording' || deps.recordings.isActive(meta.id)) {
      return void res.status(409).json({ error: 'the recording is in progress; stop it first', stop: `/api/streams/${meta.app}/${meta.name}/recording` });
    }
    deps.catalog.remove(meta.id).then(
      () => {
        log.info({ recording: meta.id }, 'recording deleted');
        res.status(204).end();
      },
      (err: unknown) => {
        log.error({ err, recording: meta.id }, 'recording could not be deleted');
        res.status(500).json({ error: 'the recording could not be deleted' });
      },
    );
  });

  router.post('/api/streams/:app/:name/recording', (req, res) => {
    noStore(res);
    const problem = checkStreamName('app', req.params.app) ?? checkStreamName('stream', req.params.name);
    if (problem !== undefined) return void res.status(400).json({ error: problem });
    const result = deps.recordings.start(req.params.app, req.params.name);
    if (result.ok) return void res.status(201).json(recordingView(req, result.meta));
    if (result.reason === 'not-live') return void res.status(404).json({ error: `${req.params.app}/${req.params.name} is not live` });
    res.status(409).json({ error: 'already recording', recording: result.meta && recordingView(req, result.meta) });
  });

  router.delete('/api/streams/:app/:name/recording', (req, res) => {
    noStore(res);
    const meta = deps.recordings.stop(req.params.app, req.params.name);
    if (meta === undefined) return void res.status(404).json({ error: `${req.params.app}/${req.params.name} is not being recorded` });
    res.json(recordingView(req, { ...meta, state: 'finalizing' }));
  });

  router.get('/api/jobs', (_req, res) => {
    noStore(res);
    Promise.all([deps.queue.counts(), deps.queue.failed(20)]).then(
      ([counts, failed]) => res.json({ backend: deps.queue.backend, counts, failed }),
      (err: unknown) => {
        log.warn({ err }, 'job queue state unavailable');
        res.status(503).json({ backend: deps.queue.backend, error: 'the job queue is unreachable' });
      },
    );
  });
  return router;
}

export function recordingView(req: Request, m: RecordingMeta): RecordingView {
  const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const ready = m.state === 'ready';
  return {
    id: m.id, app: m.app, name: m.name, state: m.state,
    startedAt: new Date(m.startedAtMs).toISOString(),
    endedAt: m.endedAtMs === null ? null : new Date(m.endedAtMs).toISOString(),
    durationSec: m.durationSec, bytes: m.bytes, tracks: m.tracks, discontinuities: m.discontinuities, error: m.error,
    jobs: { finalize: finalizeState(m), mp4: m.mp4.state },
    mp4Bytes: m.mp4.bytes,
    urls: {
      hls: ready ? base + recordingUrlPath(m, VOD_MULTIVARIANT) : null,
      dash: ready ? base + recordingUrlPath(m, VOD_MPD) : null,
      mp4: m.mp4.state === 'ready' ? base + recordingUrlPath(m, VOD_MP4) : null,
    },
  };
}

function finalizeState(m: RecordingMeta): RecordingView['jobs']['finalize'] {
  switch (m.state) {
    case 'recording': return 'not-yet';
    case 'finalizing': return 'waiting';
    case 'ready': return 'done';
    case 'failed': return 'failed';
  }
}

function queryString(req: Request, key: string): string | undefined {
  const v = req.query[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
