// Which streams are recorded, and the recordings in progress: a recording starts with the first
// publish of a stream selected in config.recording.streams, or on demand through the API, and
// stops when the stream ends (after the reconnect grace period: a publisher that comes back stays
// in the same recording) or on demand. A stopped recording is finalized by a job.
import type { RecordingConfig, HlsConfig } from '../config/config-schema.js';
import type { JobQueue } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import type { OutputManager } from '../outputs/output-manager.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { streamKey } from '../streams/stream-names.js';
import type { RecordingCatalog } from './recording-catalog.js';
import { newRecordingId } from './recording-id.js';
import { newRecordingMeta, type RecordingMeta } from './recording-meta.js';
import type { RecordingRef } from './recording-paths.js';
import { RecordingSink } from './recording-sink.js';

export interface RecordingManagerDeps {
  readonly recording: RecordingConfig;
  readonly hls: HlsConfig;
  readonly storage: MediaStorage;
  readonly catalog: RecordingCatalog;
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly nowMs: () => number;
}

export type StartResult = { readonly ok: true; readonly meta: RecordingMeta } | { readonly ok: false; readonly reason: 'not-live' | 'already-recording'; readonly meta?: RecordingMeta };

export class RecordingManager {
  private readonly active = new Map<string, RecordingSink>();
  /** Stopped recordings whose last writes are still going to storage. */
  private readonly stopping = new Set<RecordingSink>();
  private outputs: OutputManager | undefined;
  private readonly log: Logger;

  constructor(private readonly deps: RecordingManagerDeps) {
    this.log = deps.logger.child({ component: 'recordings' });
  }

  attach(outputs: OutputManager): void {
    this.outputs = outputs;
  }

  /** Whether config.recording.streams selects this stream ('*', its app, or app/name). */
  isAutoRecorded(app: string, name: string): boolean {
    return this.deps.recording.streams.some((s) => s === '*' || s === app || s === streamKey(app, name));
  }

  /** The sink for a stream's new packaging when it is recorded automatically. */
  autoSink(app: string, name: string): RecordingSink | undefined {
    if (!this.isAutoRecorded(app, name) || this.active.has(streamKey(app, name))) return undefined;
    return this.newSink(app, name);
  }

  /** The recording in progress of a stream. */
  current(app: string, name: string): RecordingMeta | undefined {
    const sink = this.active.get(streamKey(app, name));
    return sink === undefined ? undefined : this.deps.catalog.get(sink.ref.id);
  }

  /** Being recorded, or stopped with writes still pending: not ready to finalize. */
  isActive(id: string): boolean {
    for (const sink of this.active.values()) if (sink.ref.id === id) return true;
    for (const sink of this.stopping) if (sink.ref.id === id) return true;
    return false;
  }

  /** Starts recording a live stream now (from its next keyframe). */
  start(app: string, name: string): StartResult {
    const key = streamKey(app, name);
    const running = this.active.get(key);
    if (running !== undefined) return { ok: false, reason: 'already-recording', meta: this.deps.catalog.get(running.ref.id) };
    const sink = this.newSink(app, name);
    if (this.outputs?.addSink(app, name, sink) !== true) {
      this.active.delete(key);
      void this.deps.catalog.remove(sink.ref.id);
      return { ok: false, reason: 'not-live' };
    }
    this.log.info({ recording: sink.ref.id, stream: key }, 'recording started through the API');
    return { ok: true, meta: this.deps.catalog.get(sink.ref.id) as RecordingMeta };
  }

  /** Stops a stream's recording; it is then finalized. */
  stop(app: string, name: string): RecordingMeta | undefined {
    const key = streamKey(app, name);
    const sink = this.active.get(key);
    if (sink === undefined) return undefined;
    this.active.delete(key);
    this.stopping.add(sink);
    this.outputs?.removeSink(app, name, sink);
    return this.deps.catalog.get(sink.ref.id);
  }

  /** Waits for every recording's writes (shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.active.values(), ...this.stopping].map((s) => s.idle()));
  }

  private newSink(app: string, name: string): RecordingSink {
    const now = this.deps.nowMs();
    const ref: RecordingRef = { id: newRecordingId(now), app, name };
    void this.deps.catalog.save(newRecordingMeta(ref, now, this.deps.recording.mp4)).catch((err: unknown) =>
      this.log.error({ err, recording: ref.id }, 'recording metadata could not be written'));
    const key = streamKey(app, name);
    const sink = new RecordingSink({
      storage: this.deps.storage,
      ref,
      logger: this.deps.logger,
      fragmentDurationMs: this.deps.recording.fragmentDurationMs,
      targetDurationSec: this.deps.hls.segmentDurationMs / 1000,
      onStopped: (r, endedAtMs) => this.onStopped(key, sink, r, endedAtMs),
    });
    this.active.set(key, sink);
    this.log.info({ recording: ref.id, stream: key }, 'recording');
    return sink;
  }

  private onStopped(key: string, sink: RecordingSink, ref: RecordingRef, endedAtMs: number): Promise<void> {
    if (this.active.get(key) === sink) this.active.delete(key);
    this.stopping.delete(sink);
    return this.deps.catalog
      .update(ref.id, (m) => ({ ...m, state: 'finalizing', endedAtMs }))
      .then(() => this.deps.queue.add('finalize-recording', { recordingId: ref.id }, { jobId: `finalize-${ref.id}` }))
      .catch((err: unknown) => this.log.error({ err, recording: ref.id }, 'recording could not be handed to finalizing'));
  }
}
