// Live HLS over MPEG-TS for one stream: samples in, finished segments and playlist versions out
// (RFC 8216). Interleaves tracks, cuts segments (Segmenter), muxes them (TsMuxer), keeps the live
// window (LiveWindow) and a continuous output timeline across discontinuities. When asked
// (pieceBytes), the open segment's bytes also come out in pieces as it grows. No I/O.
import { adtsHeader } from '../codecs/aac/adts.js';
import { avccToAnnexB } from '../codecs/h264/annexb.js';
import type { Sample, TrackInfo } from '../ingest/media-types.js';
import { LiveWindow, type LiveWindowState } from '../manifest/hls/live-window.js';
import type { HlsSegmentEntry } from '../manifest/hls/media-playlist.js';
import { serializeMediaPlaylist } from '../manifest/hls/media-playlist.js';
import { ByteSlabs } from '../core/byte-slabs.js';
import type { SlabPool } from '../core/slab-pool.js';
import { TsMuxer } from '../mpegts/ts-muxer.js';
import { SampleInterleaver } from '../segment/sample-interleaver.js';
import { Segmenter } from '../segment/segmenter.js';
import { OutputTimeline } from './output-timeline.js';

export interface HlsTsPackagerOptions {
  readonly targetDurationSec: number;
  /** Segments the live playlist keeps at least (the window also keeps ≥ 3 × target). */
  readonly windowSegments: number;
  /** Where segment slabs come from and go back to once released (default: allocated each time). */
  readonly slabPool?: SlabPool;
  /**
   * Hand out the open segment's bytes as pieces once this many have gathered (default: only
   * whole segments), so that they can be written while the segment grows instead of being held
   * until it closes.
   */
  readonly pieceBytes?: number;
}

/** Bytes of the open segment, handed out before it closes (in order; the segment's last bytes
 *  come with its ReadySegment). */
export interface SegmentPiece {
  readonly sequence: number;
  readonly uri: string;
  readonly data: Uint8Array[];
  readonly byteLength: number;
  /** As ReadySegment.release, for these bytes. */
  readonly release: () => void;
}

export interface ReadySegment {
  readonly sequence: number;
  readonly uri: string;
  /** The segment's bytes as a list of views (written without concatenation): all of them, or
   *  with `pieces`, those after the pieces handed out before. */
  readonly data: Uint8Array[];
  /** The whole segment's size. */
  readonly byteLength: number;
  /** Pieces of this segment were handed out before (see HlsTsPackagerOptions.pieceBytes). */
  readonly pieces: boolean;
  /** Hands the memory under `data` back for later segments: call it once the bytes have been
   *  stored and nobody reads them any more (not calling it is safe). */
  readonly release: () => void;
  readonly durationSec: number;
  readonly programDateTimeMs: number;
  readonly discontinuity: boolean;
}

export interface PackagerOutput {
  /** Pieces of open segments, in order (only with HlsTsPackagerOptions.pieceBytes). */
  readonly pieces?: SegmentPiece[];
  /** Segments whose pieces were handed out but which will never be complete (closed empty). */
  readonly abandoned?: string[];
  /** Segments finished by this call, oldest first; write each before the playlist. */
  readonly segments: ReadySegment[];
  /** The new playlist text when it changed. */
  readonly playlist?: string;
  /** Segments that left the live window (keep them downloadable a while, then delete). */
  readonly removed: HlsSegmentEntry[];
}

interface OpenSegment {
  readonly sequence: number;
  readonly startSec: number;
  readonly programDateTimeMs: number;
  readonly discontinuity: boolean;
  /** Bytes handed out as pieces so far. */
  piecesBytes: number;
}

/** The open segment's packets are written into slabs of this size (a 3 Mbit/s segment of 2 s
 *  takes about six), not into a buffer per sample. */
export const SEGMENT_SLAB_BYTES = 128 * 1024;

export function segmentUri(sequence: number): string {
  return `seg-${sequence}.ts`;
}

export class HlsTsPackager {
  private tracks = new Map<number, TrackInfo>();
  private muxer: TsMuxer | undefined;
  private segmenter: Segmenter | undefined;
  private readonly interleaver = new SampleInterleaver();
  private readonly timeline = new OutputTimeline();
  /** Created when the first segment closes and the segmenter has declared the target. */
  private window: LiveWindow | undefined;
  private open: OpenSegment | undefined;
  /** The open segment's bytes. */
  private readonly bytes: ByteSlabs;
  private readonly allocate = (size: number): Uint8Array => this.bytes.take(size);
  private nextSequence: number;
  /** Pieces and abandoned segments not returned yet (they go out with the next output). */
  private pieces: SegmentPiece[] = [];
  private abandoned: string[] = [];
  private pendingDiscontinuity = false;
  private lastRefDts: number | undefined;
  private lastRefInterval = 0;
  /** Samples dropped before the first keyframe (they cannot be decoded alone). */
  droppedBeforeKeyframe = 0;

  constructor(
    private readonly opts: HlsTsPackagerOptions,
    resume: { readonly window: LiveWindowState; readonly targetDurationSec: number } | { readonly firstSequence: number } = { firstSequence: 0 },
  ) {
    this.bytes = new ByteSlabs(SEGMENT_SLAB_BYTES, opts.slabPool);
    this.nextSequence = 'firstSequence' in resume ? resume.firstSequence : 0;
    if ('window' in resume) {
      this.window = new LiveWindow({ targetDurationSec: resume.targetDurationSec, minSegments: opts.windowSegments }, resume.window);
      const p = this.window.playlist();
      this.nextSequence = p.mediaSequence + p.segments.length;
    }
  }

  /** The tracks of the stream (only those it really has). A change of tracks or of their
   *  configuration continues the playlist with a discontinuity. */
  setTracks(tracks: readonly TrackInfo[], nowMs: number): PackagerOutput {
    void nowMs;
    const out = this.closeSegment();
    if (this.muxer) this.discontinuity();
    this.tracks = new Map(tracks.map((t) => [t.id, t]));
    this.muxer = new TsMuxer({ tracks });
    const ref = tracks.find((t) => t.kind === 'video') ?? tracks[0];
    this.segmenter = new Segmenter({
      targetDurationSec: this.opts.targetDurationSec,
      referenceTrackId: ref.id,
      referenceTimescale: ref.timescale,
      keyframeAligned: ref.kind === 'video',
    });
    if (this.window) this.segmenter.restoreTarget(this.window.playlist().targetDurationSec);
    this.interleaver.setTracks(new Map(tracks.map((t) => [t.id, t.timescale])));
    this.lastRefDts = undefined;
    return this.withPieces(out);
  }

  /** The publisher reconnected or its clock jumped: the next segment starts a new timeline. */
  discontinuity(): void {
    this.pendingDiscontinuity = true;
    this.timeline.discontinuity();
    this.segmenter?.restart();
    this.lastRefDts = undefined;
  }

  push(sample: Sample, nowMs: number): PackagerOutput {
    const segments: ReadySegment[] = [];
    const removed: HlsSegmentEntry[] = [];
    let playlist: string | undefined;
    for (const s of this.interleaver.push(sample)) {
      const r = this.place(s, nowMs);
      segments.push(...r.segments);
      removed.push(...r.removed);
      playlist = r.playlist ?? playlist;
    }
    return this.withPieces(playlist === undefined ? { segments, removed } : { segments, removed, playlist });
  }

  /** The publisher left: everything received is published now (the open segment is closed),
   *  so viewers get the last seconds at once rather than when the grace period ends. */
  flush(nowMs: number): PackagerOutput {
    const segments: ReadySegment[] = [];
    const removed: HlsSegmentEntry[] = [];
    let playlist: string | undefined;
    for (const s of this.interleaver.flush()) {
      const r = this.place(s, nowMs);
      segments.push(...r.segments);
      removed.push(...r.removed);
      playlist = r.playlist ?? playlist;
    }
    const last = this.closeSegment();
    segments.push(...last.segments);
    removed.push(...last.removed);
    playlist = last.playlist ?? playlist;
    this.segmenter?.restart();
    return this.withPieces(playlist === undefined ? { segments, removed } : { segments, removed, playlist });
  }

  /** The stream ended for good: the last segment is closed and the playlist gets ENDLIST. */
  end(nowMs: number): PackagerOutput {
    const out = this.flush(nowMs);
    if (!this.window) return out;
    this.window.end();
    return { ...out, playlist: serializeMediaPlaylist(this.window.playlist()) };
  }

  /** What a successor needs to continue this playlist; undefined before the first segment. */
  resumeState(): { window: LiveWindowState; targetDurationSec: number } | undefined {
    return this.window ? { window: this.window.state(), targetDurationSec: this.window.playlist().targetDurationSec } : undefined;
  }

  private place(input: Sample, nowMs: number): PackagerOutput {
    const track = this.tracks.get(input.trackId);
    if (!track || !this.muxer || !this.segmenter) return { segments: [], removed: [] };
    if (input.trackId === this.refTrackId() && this.timeline.isJump(input, track.timescale)) this.discontinuity();
    const sample = this.timeline.map(input, track.timescale, nowMs);
    let out: PackagerOutput = { segments: [], removed: [] };
    const decision = this.segmenter.decide(sample);
    if (decision.cut) {
      if (sample.trackId === this.refTrackId()) this.noteRef(sample);
      out = this.closeSegment(decision.closedTicks);
      this.openSegment(sample.dts / track.timescale);
    } else if (sample.trackId === this.refTrackId()) {
      this.noteRef(sample);
    }
    if (!this.open) {
      this.droppedBeforeKeyframe++;
      return out;
    }
    // Written into the segment's slabs; the views returned are not kept.
    this.muxer.writeSample(track, sample, this.payload(track, sample), this.allocate);
    const pieceBytes = this.opts.pieceBytes;
    if (pieceBytes !== undefined && this.bytes.byteLength >= pieceBytes) {
      const { views: data, byteLength, release } = this.bytes.finish();
      const seg = this.open;
      seg.piecesBytes += byteLength;
      this.pieces.push({ sequence: seg.sequence, uri: segmentUri(seg.sequence), data, byteLength, release });
    }
    return out;
  }

  /** Adds the pieces (and abandoned segments) gathered since the last output to `out`. */
  private withPieces(out: PackagerOutput): PackagerOutput {
    if (this.pieces.length === 0 && this.abandoned.length === 0) return out;
    const pieces = this.pieces;
    const abandoned = this.abandoned;
    this.pieces = [];
    this.abandoned = [];
    return { ...out, ...(pieces.length > 0 ? { pieces } : {}), ...(abandoned.length > 0 ? { abandoned } : {}) };
  }

  private refTrackId(): number {
    for (const t of this.tracks.values()) if (t.kind === 'video') return t.id;
    return [...this.tracks.keys()][0];
  }

  private noteRef(sample: Sample): void {
    if (this.lastRefDts !== undefined && sample.dts > this.lastRefDts) this.lastRefInterval = sample.dts - this.lastRefDts;
    this.lastRefDts = sample.dts;
  }

  private payload(track: TrackInfo, sample: Sample): readonly Uint8Array[] {
    if (track.kind === 'video') return avccToAnnexB(sample.data, track.config, sample.keyframe);
    if (track.config.codec === 'mp4a') return [adtsHeader(track.config, sample.data.length), sample.data];
    return [sample.data];
  }

  private openSegment(startSec: number): void {
    const muxer = this.muxer as TsMuxer;
    muxer.tables(this.allocate);
    this.open = {
      sequence: this.nextSequence++,
      startSec,
      programDateTimeMs: this.timeline.wallClockMs(startSec),
      discontinuity: this.pendingDiscontinuity,
      piecesBytes: 0,
    };
    this.pendingDiscontinuity = false;
  }

  /** Closes the open segment: by a cut (its duration known exactly) or at the end of input
   *  (the last reference frame's duration is estimated from the frame before it). */
  private closeSegment(closedTicks?: number): PackagerOutput {
    const seg = this.open;
    this.open = undefined;
    if (!seg) return { segments: [], removed: [] };
    const { views: data, byteLength: tailBytes, release } = this.bytes.finish();
    const byteLength = seg.piecesBytes + tailBytes;
    const pieces = seg.piecesBytes > 0;
    const ref = this.tracks.get(this.refTrackId()) as TrackInfo;
    let durationSec: number;
    if (closedTicks !== undefined) {
      durationSec = closedTicks / ref.timescale;
    } else {
      const lastEnd = this.lastRefDts === undefined ? seg.startSec : (this.lastRefDts + this.lastRefInterval) / ref.timescale;
      durationSec = lastEnd - seg.startSec;
    }
    // A segment with nothing in it (a cut right before the end) is dropped, not listed.
    if (durationSec <= 0) {
      release();
      if (pieces) this.abandoned.push(segmentUri(seg.sequence));
      this.nextSequence = seg.sequence; // its number is reused: it was never published
      return { segments: [], removed: [] };
    }
    const declared = (this.segmenter as Segmenter).declaredTargetSec ?? Math.max(Math.ceil(this.opts.targetDurationSec), Math.ceil(durationSec));
    // Only an estimated last frame can overshoot; keep the playlist valid (RFC 8216 §4.3.3.1).
    if (Math.round(durationSec) > declared) durationSec = declared + 0.49;
    this.window ??= new LiveWindow({ targetDurationSec: declared, minSegments: this.opts.windowSegments, firstSequence: seg.sequence });
    const uri = segmentUri(seg.sequence);
    if (seg.discontinuity) this.window.markDiscontinuity();
    const { removed } = this.window.add({ uri, durationSec, programDateTimeMs: seg.programDateTimeMs, byteLength });
    const ready: ReadySegment = {
      sequence: seg.sequence,
      uri,
      data,
      byteLength,
      pieces,
      release,
      durationSec,
      programDateTimeMs: seg.programDateTimeMs,
      discontinuity: seg.discontinuity,
    };
    return { segments: [ready], removed, playlist: serializeMediaPlaylist(this.window.playlist()) };
  }
}
