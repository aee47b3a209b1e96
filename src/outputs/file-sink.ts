// The part every packaging sink shares: it forwards tracks and samples to its pure packager and
// writes what comes out through the stream's MediaFiles, which also handle retention and cleanup.
import type { Sample, TrackInfo } from '../../pipeline/ingest/media-types.js';
import type { HlsConfig } from '../config/config-schema.js';
import type { MediaFiles } from './media-files.js';
import type { PackagingSink } from './packaging-sink.js';

/** The calls a sink forwards; each returns what the sink then writes. */
export interface SinkPackager<Out> {
  setTracks(tracks: readonly TrackInfo[], nowMs: number): Out;
  push(sample: Sample, nowMs: number): Out;
  discontinuity(): void;
  flush(nowMs: number): Out;
}

export abstract class FileSink<Out> implements PackagingSink {
  constructor(
    protected readonly files: MediaFiles,
    protected readonly hls: HlsConfig,
    private readonly forward: SinkPackager<Out>,
  ) {}

  abstract get nextSequence(): number;
  abstract end(nowMs: number): void;
  /** Writes a packager's output (segments before the playlists that list them). */
  protected abstract handle(out: Out): void;

  setTracks(tracks: readonly TrackInfo[], nowMs: number): void {
    this.handle(this.forward.setTracks(tracks, nowMs));
  }

  push(sample: Sample, nowMs: number): void {
    this.handle(this.forward.push(sample, nowMs));
  }

  discontinuity(): void {
    this.forward.discontinuity();
  }

  flush(nowMs: number): void {
    this.handle(this.forward.flush(nowMs));
  }

  cleanupLater(folderUnused: () => boolean): void {
    this.files.cleanupLater(this.hls.endedRetentionMs, folderUnused);
  }

  dispose(deleteFiles: boolean): Promise<void> {
    return this.files.dispose(deleteFiles);
  }

  idle(): Promise<void> {
    return this.files.idle();
  }
}
