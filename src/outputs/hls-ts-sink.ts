// HLS over MPEG-TS (index.m3u8 and seg-N.ts) for one stream, written through its MediaFiles.
import type { SlabPool } from '../../pipeline/core/slab-pool.js';
import { HlsTsPackager, SEGMENT_SLAB_BYTES, type PackagerOutput } from '../../pipeline/packaging/hls-ts-packager.js';
import type { HlsConfig } from '../config/config-schema.js';
import type { SegmentObservable, SegmentObserver } from '../metrics/segment-observer.js';
import type { MediaFiles } from './media-files.js';
import { FileSink } from './file-sink.js';

export const TS_PLAYLIST_NAME = 'index.m3u8';

const NO_SEGMENTS: readonly (() => void)[] = [];

/** A segment's bytes go to storage in pieces of about this size while it grows (2 slabs), so a
 *  stream holds a few hundred KB of its open segment rather than all of it. */
export const TS_PIECE_BYTES = 2 * SEGMENT_SLAB_BYTES;

export class HlsTsSink extends FileSink<PackagerOutput> implements SegmentObservable {
  private readonly packager: HlsTsPackager;
  private lastSequence: number;
  private observer: SegmentObserver | undefined;

  /** `slabPool`: where segment memory comes from and, once a segment is stored, goes back to. */
  constructor(files: MediaFiles, hls: HlsConfig, firstSequence: number, slabPool?: SlabPool) {
    const packager = new HlsTsPackager({ targetDurationSec: hls.segmentDurationMs / 1000, windowSegments: hls.windowSegments, pieceBytes: TS_PIECE_BYTES, ...(slabPool ? { slabPool } : {}) }, { firstSequence });
    super(files, hls, packager);
    this.packager = packager;
    this.lastSequence = firstSequence - 1;
  }

  get nextSequence(): number {
    return this.lastSequence + 1;
  }

  end(nowMs: number): void {
    this.handle(this.packager.end(nowMs));
  }

  observeSegments(observer: SegmentObserver): void {
    this.observer = observer;
  }

  protected handle(out: PackagerOutput): void {
    // A segment is available once the playlist listing it is on storage (nothing to do per sample).
    const observer = out.segments.length === 0 ? undefined : this.observer;
    const available = observer === undefined ? NO_SEGMENTS : out.segments.map(() => observer.segmentClosed('hls'));
    const listed = out.playlist === undefined || available.length === 0 ? undefined : () => available.forEach((done) => done());
    if (out.pieces !== undefined) for (const piece of out.pieces) this.files.writePiece(piece.uri, piece.data, piece.release);
    if (out.abandoned !== undefined) for (const uri of out.abandoned) this.files.abandonPieces(uri);
    out.segments.forEach((seg, i) => {
      this.lastSequence = Math.max(this.lastSequence, seg.sequence);
      const then = out.playlist === undefined ? available[i] : undefined;
      if (seg.pieces) this.files.finishPieces(seg.uri, seg.data, then, seg.release);
      else this.files.write(seg.uri, seg.data, then, seg.release);
    });
    // Segments first, then the playlist that lists them: a player never sees a missing segment.
    if (out.playlist !== undefined) this.files.replace(TS_PLAYLIST_NAME, out.playlist, listed);
    for (const gone of out.removed) this.files.removeLater(gone.uri, this.hls.segmentRetentionMs);
  }
}
