// Every recording this origin knows, from the recording.json files under vod/: loaded at start-up,
// kept in memory, and written back (atomically) on every change. Saves of one recording are
// applied in order; a recording.json that cannot be read is logged and left alone.
import type { Logger } from '../logging/logger.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { parseRecordingMeta, RecordingMetaError, type RecordingMeta } from './recording-meta.js';
import { RECORDING_META, VOD_ROOT, recordingFolder } from './recording-paths.js';

export interface RecordingFilter {
  readonly app?: string;
  readonly name?: string;
}

export class RecordingCatalog {
  private readonly byId = new Map<string, RecordingMeta>();
  private readonly saving = new Map<string, Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly storage: MediaStorage, logger: Logger) {
    this.log = logger.child({ component: 'recordings' });
  }

  /** Reads every recording.json below vod/. */
  async load(): Promise<void> {
    const keys = (await this.storage.list(VOD_ROOT)).filter((k) => k.endsWith(`/${RECORDING_META}`) && k.split('/').length === 5);
    for (const key of keys) {
      const meta = await this.read(key);
      // What this process knows is newer than what it may not have saved yet.
      if (meta !== undefined && !this.byId.has(meta.id)) this.byId.set(meta.id, meta);
    }
  }

  /** Newest first. */
  list(filter: RecordingFilter = {}): RecordingMeta[] {
    return [...this.byId.values()]
      .filter((m) => (filter.app === undefined || m.app === filter.app) && (filter.name === undefined || m.name === filter.name))
      .sort((a, b) => b.startedAtMs - a.startedAtMs || (a.id < b.id ? 1 : -1));
  }

  get(id: string): RecordingMeta | undefined {
    return this.byId.get(id);
  }

  /** Reads storage again when this process does not know the id (another process made it). */
  async find(id: string): Promise<RecordingMeta | undefined> {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    await this.load();
    return this.byId.get(id);
  }

  /** The newest finished recording of a stream. */
  latest(app: string, name: string, needMp4 = false): RecordingMeta | undefined {
    return this.list({ app, name }).find((m) => m.state === 'ready' && (!needMp4 || m.mp4.state === 'ready'));
  }

  /** Records the change in memory at once and on storage in order. */
  save(meta: RecordingMeta): Promise<void> {
    this.byId.set(meta.id, meta);
    const key = `${recordingFolder(meta)}${RECORDING_META}`;
    const previous = this.saving.get(meta.id) ?? Promise.resolve();
    const next = previous.then(() => this.storage.writeAtomic(key, `${JSON.stringify(meta, null, 2)}\n`)).then(() => undefined);
    const tracked = next.catch(() => undefined).finally(() => {
      if (this.saving.get(meta.id) === tracked) this.saving.delete(meta.id);
    });
    this.saving.set(meta.id, tracked);
    return next;
  }

  /** Changes some fields of a known recording. */
  update(id: string, change: (m: RecordingMeta) => RecordingMeta): Promise<RecordingMeta | undefined> {
    const meta = this.byId.get(id);
    if (meta === undefined) return Promise.resolve(undefined);
    const next = change(meta);
    return this.save(next).then(() => next);
  }

  /** Deletes the recording's folder, then forgets it. */
  async remove(id: string): Promise<boolean> {
    const meta = this.byId.get(id);
    if (meta === undefined) return false;
    await this.saving.get(id);
    this.byId.delete(id);
    await this.storage.deletePrefix(recordingFolder(meta));
    return true;
  }

  private async read(key: string): Promise<RecordingMeta | undefined> {
    try {
      const bytes = await this.storage.readAll(key);
      if (bytes === undefined) return undefined;
      return parseRecordingMeta(key, Buffer.from(bytes).toString('utf8'));
    } catch (err) {
      if (err instanceof RecordingMetaError) this.log.warn({ key }, `recording ignored: ${err.message}`);
      else this.log.error({ err, key }, 'recording metadata could not be read');
      return undefined;
    }
  }
}
