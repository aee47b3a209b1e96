// HLS over MPEG-TS (index.m3u8 and seg-N.ts) for one stream, written through its MediaFiles.
import type { Sample, TrackInfo } from '../../pipeline/ingest/media-types.js';
import { HlsTsPackager, type PackagerOutput } from '../../pipeline/packaging/hls-ts-packager.js';
import type { HlsConfig } from '../config/config-schema.js';
import type { MediaFiles } from './media-files.js';
import type { PackagingSink } from './packaging-sink.js';

export const TS_PLAYLIST_NAME = 'index.m3u8';

export class HlsTsSink implements PackagingSink {
  private readonly packager: HlsTsPackager;
  private lastSequence: number;

  constructor(
    private readonly files: MediaFiles,
    private readonly hls: HlsConfig,
    firstSequence: number,
  ) {
    this.packager = new HlsTsPackager({ targetDurationSec: hls.segmentDurationMs / 1000, windowSegments: hls.windowSegments }, { firstSequence });
    this.lastSequence = firstSequence - 1;
  }

  get nextSequence(): number {
    return this.lastSequence + 1;
  }

  setTracks(tracks: readonly TrackInfo[], nowMs: number): void {
    this.handle(this.packager.setTracks(tracks, nowMs));
  }

  push(sample: Sample, nowMs: number): void {
    this.handle(this.packager.push(sample, nowMs));
  }

  discontinuity(): void {
    this.packager.discontinuity();
  }

  flush(nowMs: number): void {
    this.handle(this.packager.flush(nowMs));
  }

  end(nowMs: number): void {
    this.handle(this.packager.end(nowMs));
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

  private handle(out: PackagerOutput): void {
    for (const seg of out.segments) {
      this.lastSequence = Math.max(this.lastSequence, seg.sequence);
      this.files.write(seg.uri, seg.data);
    }
    // Segments first, then the playlist that lists them: a player never sees a missing segment.
    if (out.playlist !== undefined) this.files.replace(TS_PLAYLIST_NAME, out.playlist);
    for (const gone of out.removed) this.files.removeLater(gone.uri, this.hls.segmentRetentionMs);
  }
}
