// Attaches the packaging outputs (HLS now) to each stream when it is first published, and ends
// them all on shutdown. Outputs outlive a publisher for the reconnect grace period.
import type { OnrampConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/logger.js';
import type { MediaStorage } from '../storage/media-storage.js';
import type { LiveStream } from '../streams/live-stream.js';
import { streamKey } from '../streams/stream-names.js';
import type { StreamRegistry } from '../streams/stream-registry.js';
import { HlsOutput } from './hls-output.js';

export interface OutputManagerDeps {
  readonly config: OnrampConfig;
  readonly storage: MediaStorage;
  readonly logger: Logger;
  readonly nowMs: () => number;
}

export class OutputManager {
  private readonly active = new Map<string, HlsOutput>();
  private readonly ended = new Set<HlsOutput>();
  /** Where the next playlist of a name starts numbering, so it never reuses a segment name. */
  private readonly nextSequence = new Map<string, number>();
  private registry: StreamRegistry | undefined;

  constructor(private readonly deps: OutputManagerDeps) {}

  attach(registry: StreamRegistry): void {
    this.registry = registry;
  }

  /** A publish started on `stream`: make sure its outputs exist. */
  onPublish(stream: LiveStream): void {
    const { config } = this.deps;
    const registry = this.registry;
    if (!config.hls.enabled || !registry) return;
    const key = streamKey(stream.app, stream.name);
    if (this.active.has(key)) return;
    const output = registry.subscribe(stream.app, stream.name, (s) =>
      new HlsOutput(s, {
        storage: this.deps.storage,
        logger: this.deps.logger,
        hls: config.hls,
        reconnectGraceMs: config.streams.reconnectGraceMs,
        nowMs: this.deps.nowMs,
        firstSequence: this.firstSequence(key),
        onEnded: (o) => this.onEnded(key, o),
        folderUnused: () => !this.active.has(key),
      }),
    );
    this.active.set(key, output);
  }

  /** Segment names are cached as immutable, so a new playlist of a name must never reuse one,
   *  not even after a restart: sequences start at the wall clock in seconds (segments last at
   *  least half a second on average, so an earlier playlist's numbers stay below a later start),
   *  or after the previous playlist of this process, whichever is higher. */
  private firstSequence(key: string): number {
    return Math.max(this.nextSequence.get(key) ?? 0, Math.floor(this.deps.nowMs() / 1000));
  }

  hlsFor(app: string, name: string): HlsOutput | undefined {
    return this.active.get(streamKey(app, name));
  }

  /** Ends every playlist (EXT-X-ENDLIST) and waits for the writes. */
  async close(deleteFiles = false): Promise<void> {
    await Promise.all([...this.active.values()].map((o) => o.finish()));
    await Promise.all([...this.ended].map((o) => o.dispose(deleteFiles)));
  }

  private onEnded(key: string, output: HlsOutput): void {
    if (this.active.get(key) === output) this.active.delete(key);
    this.ended.add(output);
    this.nextSequence.set(key, output.nextSequence);
    this.registry?.unsubscribe(output.stream.app, output.stream.name, output);
  }
}
