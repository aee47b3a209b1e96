// The import-flv job: packages an FLV file (from the watch folder) as a recording, through the
// same stages as a live stream (track builder, track-set gate, CMAF recording sink) and the same
// finalize job. The file is streamed, never read whole. The recording id is derived from the file,
// so a job that runs again after a crash replaces its own partial recording instead of adding one.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FlvFileReader } from '../../pipeline/flv/flv-file-reader.js';
import type { FlvRecord } from '../../pipeline/flv/flv-record.js';
import { mediaMessage, type MediaMessage } from '../streams/media-message.js';
import { PermanentJobError, type JobQueue } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import { StreamPackaging } from '../outputs/stream-packaging.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { checkStreamName } from '../streams/stream-names.js';
import type { RecordingCatalog } from './recording-catalog.js';
import { newRecordingId } from './recording-id.js';
import { newRecordingMeta } from './recording-meta.js';
import { recordingFolder, type RecordingRef } from './recording-paths.js';
import { RecordingSink } from './recording-sink.js';

export interface FlvImportDeps {
  readonly storage: MediaStorage;
  readonly catalog: RecordingCatalog;
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly fragmentDurationMs: number;
  readonly targetDurationSec: number;
  readonly mp4: boolean;
}

/** Bytes of the file read before the recording's writes must catch up (memory stays bounded). */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;

/** A stream name from a file name: "My Show (final).flv" → "My-Show-final". */
export function streamNameOfFile(path: string): string {
  const base = basename(path).replace(/\.flv$/i, '');
  const name = base.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 128);
  return name === '' ? 'upload' : name;
}

/** The recording id of a file: its modification time and a hash of its path, size and mtime. */
export function importRecordingId(path: string, size: number, mtimeMs: number): string {
  const tag = createHash('sha256').update(`${path}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 6);
  return newRecordingId(mtimeMs, tag);
}

export async function importFlv(deps: FlvImportDeps, path: string, app: string, name: string): Promise<RecordingRef> {
  const problem = checkStreamName('app', app) ?? checkStreamName('stream', name);
  if (problem !== undefined) throw new PermanentJobError(`cannot import ${path}: ${problem}`);
  const st = await stat(path).catch((err: unknown) => {
    throw new PermanentJobError(`cannot import ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  const ref: RecordingRef = { id: importRecordingId(path, st.size, st.mtimeMs), app, name };
  const log = deps.logger.child({ component: 'flv-import', recording: ref.id, file: basename(path) });
  if (deps.catalog.get(ref.id)?.state === 'ready') {
    log.info('already imported');
    return ref;
  }
  await deps.storage.deletePrefix(recordingFolder(ref)); // a partial earlier attempt
  const startMs = Math.round(st.mtimeMs);
  await deps.catalog.save(newRecordingMeta(ref, startMs, deps.mp4));
  let mediaMs = 0;
  let stopped: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const sink = new RecordingSink({
    storage: deps.storage, ref, logger: deps.logger, fragmentDurationMs: deps.fragmentDurationMs, targetDurationSec: deps.targetDurationSec,
    onStopped: () => stopped?.(),
  });
  const packaging = new StreamPackaging({ app, name }, { sinks: [sink], logger: deps.logger, reconnectGraceMs: 0, nowMs: () => startMs + mediaMs, onEnded: () => undefined });
  const reader = new FlvFileReader();
  let tags = 0;
  let readSinceIdle = 0;
  const feed = (records: FlvRecord[]): void => {
    for (const record of records) {
      const msg = mediaMessageOf(record);
      if (msg === undefined) continue;
      mediaMs = msg.timestamp;
      packaging.onMedia(msg);
      if (msg.typeId !== 18) tags++;
    }
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      feed(reader.push(chunk as Buffer));
      readSinceIdle += (chunk as Buffer).length;
      if (readSinceIdle >= READ_AHEAD_BYTES) {
        await sink.idle();
        readSinceIdle = 0;
      }
    }
    feed(reader.flush());
  } catch (err) {
    await packaging.finish();
    await deps.catalog.update(ref.id, (m) => ({ ...m, state: 'failed', error: `not a readable FLV file: ${err instanceof Error ? err.message : String(err)}` }));
    throw new PermanentJobError(`cannot import ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  packaging.onPublishEnd();
  await packaging.finish();
  await done;
  if (tags === 0) {
    await deps.catalog.update(ref.id, (m) => ({ ...m, state: 'failed', error: 'the file holds no audio or video' }));
    throw new PermanentJobError(`${path} holds no FLV audio or video tags`);
  }
  await deps.catalog.update(ref.id, (m) => ({ ...m, state: 'finalizing', endedAtMs: startMs + mediaMs }));
  deps.queue.add('finalize-recording', { recordingId: ref.id }, { jobId: `finalize-${ref.id}` });
  log.info({ tags, durationSec: mediaMs / 1000 }, 'FLV file packaged; finalizing');
  return ref;
}

function mediaMessageOf(r: FlvRecord): MediaMessage | undefined {
  return r.tagType === 8 || r.tagType === 9 || r.tagType === 18 ? mediaMessage(r.tagType, r.timestampMs, r.body) : undefined;
}
