// A recording as one progressive MP4 (ISO/IEC 14496-12 §8.1–§8.2): ftyp, moov, then one mdat whose
// payload is each fragment's sample data, one chunk per fragment. The moov comes first so the file
// plays while it downloads. Only the plan is made here: the caller writes `header`, then each
// chunk's bytes (the fragment's mdat payload) in `chunks` order; no sample data is touched.
import { ProtocolError } from '../core/errors.js';
import { BoxWriter } from '../fmp4/box-writer.js';
import type { ParsedFragment } from '../fmp4/fragment-reader.js';
import type { InitTrack } from '../fmp4/init-segment-reader.js';
import { timeMovie, type TrackTiming } from './export-timeline.js';
import { MAX_U32, MP4_COMPATIBLE_BRANDS, MP4_MAJOR_BRAND, MP4_MINOR_VERSION, MP4_MOVIE_TIMESCALE } from './mp4-constants.js';
import { trackDurationMs, writeMoov, type MovieTrack } from './movie-box.js';
import type { SampleTables } from './sample-tables.js';

/** What the plan needs of a fragment (a ParsedFragment from readFragments has it). */
export type FragmentTables = Pick<ParsedFragment, 'baseMediaDecodeTime' | 'samples' | 'dataBytes'>;

export interface ProgressiveMp4Track {
  readonly track: InitTrack;
  /** In decode order; fragments without samples are left out of the file. */
  readonly fragments: readonly FragmentTables[];
}

export interface ChunkRef {
  readonly trackId: number;
  /** Index into that track's `fragments`. */
  readonly fragmentIndex: number;
}

export interface ProgressiveMp4Input {
  readonly tracks: readonly ProgressiveMp4Track[];
  /** The order of the chunks in the mdat; by default interleaveByTime(tracks). */
  readonly chunkOrder?: readonly ChunkRef[];
}

export interface PlannedChunk extends ChunkRef {
  /** The fragment's dataBytes: what the caller appends for this chunk. */
  readonly byteLength: number;
  /** Where the chunk starts in the output file. */
  readonly fileOffset: number;
}

export interface ProgressiveMp4Plan {
  /** ftyp + moov + mdat header: the file's first bytes. */
  readonly header: Uint8Array;
  /** What follows the header, in order. */
  readonly chunks: readonly PlannedChunk[];
  readonly mdatPayloadBytes: number;
  /** header + payload: the size of the finished file. */
  readonly fileBytes: number;
  /** The movie's duration (mvhd), gaps removed. */
  readonly durationSec: number;
  /** Seconds in which no track had media (reconnects), left out of the movie. */
  readonly removedGapSec: number;
}

/** size + 'mdat' + 64-bit largesize (§4.2), when the mdat reaches 2^32 bytes. */
const MDAT_LARGE_HEADER_BYTES = 16;
const MDAT_HEADER_BYTES = 8;

export function planProgressiveMp4(input: ProgressiveMp4Input): ProgressiveMp4Plan {
  checkTracks(input.tracks);
  const tracks = input.tracks;
  const trackIndex = new Map(tracks.map((t, i) => [t.track.trackId, i]));
  const used = tracks.map((t) => t.fragments.flatMap((f, i) => (f.samples.length > 0 ? [i] : [])));
  const order = checkOrder(tracks, trackIndex, input.chunkOrder ?? interleaveByTime(tracks));
  // Each chunk's position in the mdat payload, per track and fragment index.
  const positions = tracks.map((t) => new Array<number>(t.fragments.length).fill(0));
  const byteLength = (ref: ChunkRef): number => tracks[trackIndex.get(ref.trackId)!].fragments[ref.fragmentIndex].dataBytes;
  let payload = 0;
  for (const ref of order) {
    positions[trackIndex.get(ref.trackId)!][ref.fragmentIndex] = payload;
    payload += byteLength(ref);
  }
  const timing = timeMovie(tracks.map((t, i) => ({ timescale: t.track.timescale, fragments: used[i].map((j) => t.fragments[j]) })));
  const movieTracks = (base: number): MovieTrack[] =>
    tracks.map((t, i) => ({
      init: t.track,
      timing: timing.tracks[i],
      tables: sampleTables(t.fragments, used[i], timing.tracks[i], (j) => base + positions[i][j]),
    }));

  const ftyp = encodeFtyp();
  const mdatHeaderBytes = payload + MDAT_HEADER_BYTES > MAX_U32 ? MDAT_LARGE_HEADER_BYTES : MDAT_HEADER_BYTES;
  // The moov's size depends on the offsets only through stco vs co64 (§8.7.5): measure it with
  // stco, switch to co64 (4 more bytes per chunk) when the last chunk would start at 2^32 or later.
  const stcoMoovBytes = moovBytes(movieTracks(0), false).length;
  const lastRef = order[order.length - 1];
  const lastPosition = positions[trackIndex.get(lastRef.trackId)!][lastRef.fragmentIndex];
  const co64 = ftyp.length + stcoMoovBytes + mdatHeaderBytes + lastPosition > MAX_U32;
  const base = ftyp.length + stcoMoovBytes + (co64 ? 4 * order.length : 0) + mdatHeaderBytes;
  const finalTracks = movieTracks(base);
  const moov = moovBytes(finalTracks, co64);

  const w = new BoxWriter(ftyp.length + moov.length + mdatHeaderBytes);
  w.bytes(ftyp).bytes(moov);
  if (mdatHeaderBytes === MDAT_LARGE_HEADER_BYTES) w.u32(1).fourCc('mdat').u64Number(MDAT_LARGE_HEADER_BYTES + payload);
  else w.boxHeader('mdat', MDAT_HEADER_BYTES + payload);
  const header = w.finish();
  // A bug guard: the offsets written into stco/co64 assumed exactly this header size.
  if (header.length !== base) throw new Error(`progressive MP4 header is ${header.length} bytes, offsets assumed ${base}`);

  return {
    header,
    chunks: order.map((ref) => ({ ...ref, byteLength: byteLength(ref), fileOffset: base + positions[trackIndex.get(ref.trackId)!][ref.fragmentIndex] })),
    mdatPayloadBytes: payload,
    fileBytes: base + payload,
    durationSec: Math.max(...finalTracks.map(trackDurationMs)) / MP4_MOVIE_TIMESCALE,
    removedGapSec: timing.removedSec,
  };
}

/**
 * The default chunk order: every fragment with samples, by decode start time in seconds (ties in
 * track order), so that audio and video arrive together while the file downloads.
 */
export function interleaveByTime(tracks: readonly ProgressiveMp4Track[]): ChunkRef[] {
  const refs = tracks.flatMap((t, ti) =>
    t.fragments.flatMap((f, fragmentIndex) =>
      f.samples.length > 0 ? [{ trackId: t.track.trackId, fragmentIndex, ti, startSec: f.baseMediaDecodeTime / t.track.timescale }] : [],
    ),
  );
  refs.sort((a, b) => a.startSec - b.startSec || a.ti - b.ti || a.fragmentIndex - b.fragmentIndex);
  return refs.map(({ trackId, fragmentIndex }) => ({ trackId, fragmentIndex }));
}

/** sizes and sync flags from the fragments, durations and offsets from the timeline, one chunk per fragment. */
function sampleTables(fragments: readonly FragmentTables[], used: readonly number[], timing: TrackTiming, chunkOffset: (fragmentIndex: number) => number): SampleTables {
  const count = timing.durations.length;
  const sizes = new Uint32Array(count);
  const sync = new Uint8Array(count);
  let k = 0;
  for (const i of used) {
    for (const s of fragments[i].samples) {
      sizes[k] = s.size;
      sync[k] = s.keyframe ? 1 : 0;
      k++;
    }
  }
  return {
    durations: timing.durations,
    compositionOffsets: timing.compositionOffsets,
    sizes,
    sync,
    samplesPerChunk: used.map((i) => fragments[i].samples.length),
    chunkOffsets: used.map(chunkOffset),
  };
}

function moovBytes(tracks: readonly MovieTrack[], co64: boolean): Uint8Array {
  const w = new BoxWriter(4096);
  writeMoov(w, tracks, co64);
  return w.finish();
}

function encodeFtyp(): Uint8Array {
  const w = new BoxWriter(8 + 8 + 4 * MP4_COMPATIBLE_BRANDS.length);
  w.box('ftyp', () => {
    w.fourCc(MP4_MAJOR_BRAND).u32(MP4_MINOR_VERSION);
    for (const brand of MP4_COMPATIBLE_BRANDS) w.fourCc(brand);
  });
  return w.finish();
}

function checkTracks(tracks: readonly ProgressiveMp4Track[]): void {
  if (tracks.length === 0) throw new ProtocolError('a progressive MP4 needs at least one track');
  const ids = new Set<number>();
  for (const { track, fragments } of tracks) {
    if (ids.has(track.trackId)) throw new ProtocolError('two tracks with the same track_ID', { trackId: track.trackId });
    ids.add(track.trackId);
    if (!fragments.some((f) => f.samples.length > 0)) throw new ProtocolError('track has no samples', { trackId: track.trackId });
    fragments.forEach((f, i) => {
      if (!Number.isSafeInteger(f.baseMediaDecodeTime) || f.baseMediaDecodeTime < 0) throw new ProtocolError('fragment decode time must be a non-negative safe integer', { trackId: track.trackId, fragmentIndex: i });
      let bytes = 0;
      for (const s of f.samples) bytes += s.size;
      if (bytes !== f.dataBytes) throw new ProtocolError('fragment sample sizes do not add up to its dataBytes', { trackId: track.trackId, fragmentIndex: i, bytes, dataBytes: f.dataBytes });
    });
  }
}

/** The chunk order without empty fragments; every fragment with samples exactly once. */
function checkOrder(tracks: readonly ProgressiveMp4Track[], trackIndex: ReadonlyMap<number, number>, order: readonly ChunkRef[]): ChunkRef[] {
  const seen = tracks.map((t) => new Uint8Array(t.fragments.length));
  const out: ChunkRef[] = [];
  for (const { trackId, fragmentIndex } of order) {
    const ti = trackIndex.get(trackId);
    const fragment = ti === undefined || !Number.isInteger(fragmentIndex) ? undefined : tracks[ti].fragments[fragmentIndex];
    if (ti === undefined || !fragment) throw new ProtocolError('chunk order names a fragment that is not in the input', { trackId, fragmentIndex });
    if (fragment.samples.length === 0) continue;
    if (seen[ti][fragmentIndex]) throw new ProtocolError('chunk order names a fragment twice', { trackId, fragmentIndex });
    seen[ti][fragmentIndex] = 1;
    out.push({ trackId, fragmentIndex });
  }
  const expected = tracks.reduce((n, t) => n + t.fragments.filter((f) => f.samples.length > 0).length, 0);
  if (out.length !== expected) throw new ProtocolError('chunk order leaves out fragments', { listed: out.length, expected });
  return out;
}
