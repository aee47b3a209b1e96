// Attaches the packaging of each stream (HLS over TS, CMAF) when it is first published, and ends
// them all on shutdown. Packaging outlives a publisher for the reconnect grace period.
import type { OnrampConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/logger.js';
import { isSegmentObservable, type SegmentObserver } from '../metrics/segment-observer.js';
import type { MediaStorage } from '../storage/media-storage.js';
import type { LiveStream } from '../streams/live-stream.js';
import { streamKey } from '../streams/stream-names.js';
import type { StreamRegistry } from '../streams/stream-registry.js';
import { SlabPool } from '../../pipeline/core/slab-pool.js';
import { SEGMENT_SLAB_BYTES } from '../../pipeline/packaging/hls-ts-packager.js';
import { HlsTsSink } from './hls-ts-sink.js';
import type { IoPressure } from './io-pressure.js';
import { MediaFiles } from './media-files.js';
import type { PackagingSink } from './packaging-sink.js';
import { StreamPackaging } from './stream-packaging.js';

export interface OutputManagerDeps {
  readonly config: OnrampConfig;
  readonly storage: MediaStorage;
  readonly logger: Logger;
  readonly nowMs: () => number;
  /** Extra sinks per stream (CMAF), built by the caller. */
  readonly extraSinks?: (stream: LiveStream, files: (kind: string) => MediaFiles, firstSequence: number) => PackagingSink[];
  /** Told about every segment of every output it attaches (metrics). */
  readonly segmentObserver?: SegmentObserver;
  /** Counts bytes waiting for storage across streams (ingest pauses when too many). */
  readonly ioPressure?: IoPressure;
}

/** Segment slabs kept for reuse at most (16 MB): more are left to the garbage collector. */
const MAX_IDLE_SEGMENT_SLABS = 128;

export class OutputManager {
  private readonly active = new Map<string, StreamPackaging>();
  private readonly ended = new Set<StreamPackaging>();
  /** Where the next playlists of a name start numbering, so they never reuse a segment name. */
  private readonly nextSequence = new Map<string, number>();
  private registry: StreamRegistry | undefined;
  /** TS segment memory, shared by every stream and reused once a segment is stored. */
  private readonly segmentSlabs = new SlabPool(SEGMENT_SLAB_BYTES, MAX_IDLE_SEGMENT_SLABS);

  constructor(private readonly deps: OutputManagerDeps) {}

  attach(registry: StreamRegistry): void {
    this.registry = registry;
  }

  /** A publish started on `stream`: make sure its packaging exists. */
  onPublish(stream: LiveStream, added: readonly PackagingSink[] = []): void {
    const registry = this.registry;
    const { config, storage, logger } = this.deps;
    if (!registry) return;
    const key = streamKey(stream.app, stream.name);
    if (this.active.has(key)) return;
    const firstSequence = this.firstSequence(key);
    const prefix = `${stream.app}/${stream.name}/`;
    const files = (kind: string): MediaFiles => new MediaFiles(storage, prefix, logger.child({ component: kind, stream: key }), this.deps.ioPressure);
    const sinks: PackagingSink[] = [];
    if (config.hls.enabled) sinks.push(new HlsTsSink(files('hls'), config.hls, firstSequence, this.segmentSlabs));
    sinks.push(...(this.deps.extraSinks?.(stream, files, firstSequence) ?? []), ...added);
    if (sinks.length === 0) return;
    for (const sink of sinks) this.observe(sink);
    const packaging = registry.subscribe(stream.app, stream.name, (s) =>
      new StreamPackaging(s, {
        sinks,
        logger,
        reconnectGraceMs: config.streams.reconnectGraceMs,
        nowMs: this.deps.nowMs,
        onEnded: (p) => this.onEnded(key, p),
      }),
    );
    this.active.set(key, packaging);
  }

  /**
   * Adds an output to a live stream (a recording started through the API), creating the stream's
   * packaging if nothing packages it yet. False when the stream is not live.
   */
  addSink(app: string, name: string, sink: PackagingSink): boolean {
    const key = streamKey(app, name);
    const existing = this.active.get(key);
    if (existing !== undefined && !existing.ended) {
      this.observe(sink);
      existing.addSink(sink);
      return true;
    }
    const stream = this.registry?.get(app, name);
    if (stream === undefined || stream.phase.kind !== 'live') return false;
    this.onPublish(stream, [sink]);
    const created = this.active.get(key);
    if (created === undefined) return false;
    // Joining mid-stream: the codec configurations and the cached GOP come first.
    for (const msg of stream.startupMessages()) created.onMedia(msg);
    return true;
  }

  removeSink(app: string, name: string, sink: PackagingSink): void {
    this.active.get(streamKey(app, name))?.removeSink(sink);
  }

  packagingFor(app: string, name: string): StreamPackaging | undefined {
    return this.active.get(streamKey(app, name));
  }

  /** Ends every output (EXT-X-ENDLIST) and waits for the writes. */
  async close(deleteFiles = false): Promise<void> {
    await Promise.all([...this.active.values()].map((p) => p.finish()));
    await Promise.all([...this.ended].flatMap((p) => p.sinks.map((s) => s.dispose(deleteFiles))));
  }

  /** Segment names are cached as immutable, so a new playlist of a name must never reuse one,
   *  not even after a restart: sequences start at the wall clock in seconds (segments last at
   *  least half a second on average, so an earlier playlist's numbers stay below a later start),
   *  or after the previous playlist of this process, whichever is higher. */
  private firstSequence(key: string): number {
    return Math.max(this.nextSequence.get(key) ?? 0, Math.floor(this.deps.nowMs() / 1000));
  }

  private observe(sink: PackagingSink): void {
    const observer = this.deps.segmentObserver;
    if (observer !== undefined && isSegmentObservable(sink)) sink.observeSegments(observer);
  }

  private onEnded(key: string, packaging: StreamPackaging): void {
    if (this.active.get(key) === packaging) this.active.delete(key);
    this.ended.add(packaging);
    this.nextSequence.set(key, Math.max(...packaging.sinks.map((s) => s.nextSequence)));
    for (const s of packaging.sinks) s.cleanupLater(() => !this.active.has(key));
    this.registry?.unsubscribe(packaging.stream.app, packaging.stream.name, packaging);
  }
}
