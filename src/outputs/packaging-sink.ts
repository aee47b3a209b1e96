// What a packaging output (HLS over TS, CMAF for DASH and LL-HLS) receives from a stream's
// shared track builder: the settled tracks, then samples in arrival order.
import type { Sample, TrackInfo } from '../../pipeline/ingest/media-types.js';

export interface PackagingSink {
  /** The stream's tracks (first time, or after a configuration change: a discontinuity). */
  setTracks(tracks: readonly TrackInfo[], nowMs: number): void;
  push(sample: Sample, nowMs: number): void;
  /** The publisher came back after leaving: the next media starts a new timeline. */
  discontinuity(): void;
  /** The publisher left: publish everything received so far. */
  flush(nowMs: number): void;
  /** The stream ended for good: final manifests (EXT-X-ENDLIST, static MPD). */
  end(nowMs: number): void;
  /** The first media sequence number a later output of the same name may use. */
  readonly nextSequence: number;
  /** Deletes everything after the retention time (or now, on dispose). */
  cleanupLater(folderUnused: () => boolean): void;
  dispose(deleteFiles: boolean): Promise<void>;
  idle(): Promise<void>;
}
