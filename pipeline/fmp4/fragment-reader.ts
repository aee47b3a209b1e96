// Reading movie fragments back (ISO/IEC 14496-12 §8.8.4–§8.8.12): each moof (mfhd, one traf with
// tfhd, tfdt and truns) with the mdat after it, as sample tables plus where the sample data lies.
// A truncated or garbled tail (the writer was killed mid-write) ends the read instead of failing it.
import { isPipelineError, LimitError, ProtocolError, UnsupportedError } from '../core/errors.js';
import { childBoxes, dataViewOf, findChild, readBoxHeader, readFullBoxHeader, readU64Number, requireChild, type Box } from './box-reader.js';
import {
  TRUN_DATA_OFFSET_PRESENT,
  TRUN_SAMPLE_COMPOSITION_TIME_OFFSETS_PRESENT,
  TRUN_SAMPLE_DURATION_PRESENT,
  TRUN_SAMPLE_FLAGS_PRESENT,
  TRUN_SAMPLE_SIZE_PRESENT,
} from './fmp4-constants.js';

/** tfhd flags (§8.8.7.1) besides default-base-is-moof. */
const TFHD_BASE_DATA_OFFSET_PRESENT = 0x000001;
const TFHD_SAMPLE_DESCRIPTION_INDEX_PRESENT = 0x000002;
const TFHD_DEFAULT_SAMPLE_DURATION_PRESENT = 0x000008;
const TFHD_DEFAULT_SAMPLE_SIZE_PRESENT = 0x000010;
const TFHD_DEFAULT_SAMPLE_FLAGS_PRESENT = 0x000020;
/** trun first-sample-flags-present (§8.8.8.1). */
const TRUN_FIRST_SAMPLE_FLAGS_PRESENT = 0x000004;
/** sample_is_non_sync_sample in sample_flags (§8.8.3.1). */
const SAMPLE_IS_NON_SYNC = 0x0001_0000;

/**
 * Samples one fragment may hold. A trun with no per-sample fields declares up to 2^32 samples in
 * 20 bytes; this bounds the tables built for one fragment (a 10 s fragment of 48 kHz audio with
 * one PCM sample per frame would be 480 000).
 */
export const MAX_SAMPLES_PER_FRAGMENT = 1 << 20;

export interface ParsedSample {
  /** Ticks of the track timescale until the next sample's decode time. */
  readonly duration: number;
  readonly size: number;
  /** A sync sample: sample_is_non_sync_sample is 0. */
  readonly keyframe: boolean;
  /** Presentation − decode time, in ticks; signed with trun version 1. */
  readonly compositionOffset: number;
}

export interface ParsedFragment {
  readonly trackId: number;
  readonly sequenceNumber: number;
  /** tfdt: the first sample's decode time in the track timescale. */
  readonly baseMediaDecodeTime: number;
  readonly samples: readonly ParsedSample[];
  /** Offset in the bytes read of the first sample's data; the rest follow contiguously. */
  readonly dataOffset: number;
  readonly dataBytes: number;
  /** Offset of the moof's first byte. */
  readonly byteOffset: number;
  /** moof + mdat (and anything between them). */
  readonly byteLength: number;
}

/** A track's defaults from trex (§8.8.3), for fragments whose tfhd and trun leave fields out. */
export interface TrackDefaults {
  readonly sampleDescriptionIndex: number;
  readonly sampleDuration: number;
  readonly sampleSize: number;
  readonly sampleFlags: number;
}

export interface FragmentScan {
  readonly fragments: ParsedFragment[];
  /** Length of the prefix that ends with the last whole moof + mdat pair. */
  readonly completeBytes: number;
}

export interface ReadFragmentsOptions {
  /** trex defaults per track_ID (readInitSegment gives them). */
  readonly trackDefaults?: ReadonlyMap<number, TrackDefaults>;
}

/**
 * Every moof + mdat pair in `bytes`, in order. Other top-level boxes (styp, sidx, free, …) are
 * skipped. Reading stops, without an error, at a box that runs past the end or whose header is
 * not a box header; everything from there on is outside `completeBytes`. A whole pair whose
 * content is invalid throws a ProtocolError or UnsupportedError.
 */
export function readFragments(bytes: Uint8Array, opts: ReadFragmentsOptions = {}): FragmentScan {
  const view = dataViewOf(bytes);
  const fragments: ParsedFragment[] = [];
  let completeBytes = 0;
  for (let at = 0; at < bytes.length; ) {
    const box = tryBoxHeader(bytes, at);
    if (!box) break;
    at = box.end;
    if (box.type !== 'moof') continue;
    const mdat = tryBoxHeader(bytes, box.end);
    if (!mdat) break;
    if (mdat.type !== 'mdat') throw new ProtocolError(`'moof' at ${box.start} is followed by '${mdat.type}', not 'mdat'`, { offset: box.start });
    const parsed = readMoof(bytes, view, box, opts.trackDefaults);
    const dataEnd = parsed.dataOffset + parsed.dataBytes;
    if (parsed.dataBytes > 0 && (parsed.dataOffset < mdat.payloadStart || dataEnd > mdat.end)) {
      // An mdat of size 0 runs to the end of the file: short data there means a cut-off write.
      if (mdat.toEnd && parsed.dataOffset >= mdat.payloadStart) break;
      throw new UnsupportedError('sample data lies outside the mdat that follows its moof', { offset: box.start, dataOffset: parsed.dataOffset, dataEnd });
    }
    fragments.push({ ...parsed, byteOffset: box.start, byteLength: mdat.end - box.start });
    completeBytes = mdat.end;
    at = mdat.end;
  }
  return { fragments, completeBytes };
}

/** The box at `at`, or undefined when it is cut off or not a box (the tail of a killed write). */
function tryBoxHeader(bytes: Uint8Array, at: number): Box | undefined {
  try {
    return readBoxHeader(bytes, at);
  } catch (err) {
    // A cut-off box (TruncatedError) or a header that is no box header (Protocol/LimitError).
    if (isPipelineError(err)) return undefined;
    throw err;
  }
}

interface Tfhd {
  readonly trackId: number;
  readonly baseDataOffset?: number;
  readonly defaultDuration?: number;
  readonly defaultSize?: number;
  readonly defaultFlags?: number;
}

type MoofContent = Omit<ParsedFragment, 'byteOffset' | 'byteLength'>;

function readMoof(bytes: Uint8Array, view: DataView, moof: Box, trackDefaults: ReadonlyMap<number, TrackDefaults> | undefined): MoofContent {
  const kids = childBoxes(bytes, moof);
  const mfhd = requireChild(kids, 'mfhd', 'moof');
  need(mfhd, mfhd.payloadStart + 8);
  const sequenceNumber = view.getUint32(mfhd.payloadStart + 4);
  const trafs = kids.filter((b) => b.type === 'traf');
  if (trafs.length !== 1) throw new UnsupportedError(`a moof with ${trafs.length} traf boxes; only one track per fragment is read`, { offset: moof.start });
  const trafKids = childBoxes(bytes, trafs[0]);
  const tfhd = readTfhd(bytes, view, requireChild(trafKids, 'tfhd', 'traf'));
  const tfdt = findChild(trafKids, 'tfdt');
  // Without tfdt the decode time is the sum of all earlier fragments' durations, which one file
  // cannot know; CMAF requires tfdt (23000-19 §7.5.16), so refuse rather than guess.
  if (!tfdt) throw new UnsupportedError('a traf without tfdt: its decode time is unknown', { offset: moof.start, trackId: tfhd.trackId });
  const trex = trackDefaults?.get(tfhd.trackId);
  // §8.8.7.1: data offsets count from base_data_offset when present; otherwise from the moof's
  // first byte, both with default-base-is-moof and (for the first and here only traf) without.
  const base = tfhd.baseDataOffset ?? moof.start;
  const samples: ParsedSample[] = [];
  let dataOffset: number | undefined;
  let next = base;
  for (const trun of trafKids.filter((b) => b.type === 'trun')) {
    const run = readTrun(bytes, view, trun, tfhd, trex, samples);
    // §8.8.8.3: a trun without data_offset continues right after the previous run's data, or
    // starts at the base for the first run.
    const start = run.dataOffset === undefined ? next : base + run.dataOffset;
    if (dataOffset === undefined) dataOffset = start;
    else if (start !== next) throw new UnsupportedError('the runs of a traf are not contiguous in the file', { offset: trun.start });
    next = start + run.dataBytes;
  }
  return {
    trackId: tfhd.trackId,
    sequenceNumber,
    baseMediaDecodeTime: readTfdt(bytes, view, tfdt),
    samples,
    dataOffset: dataOffset ?? base,
    dataBytes: next - (dataOffset ?? base),
  };
}

/** tfhd (§8.8.7): track_ID, then the optional fields its flags announce, in this order. */
function readTfhd(bytes: Uint8Array, view: DataView, box: Box): Tfhd {
  const { flags } = readFullBoxHeader(bytes, box);
  let at = box.payloadStart + 4;
  const field = (present: number, width: 4 | 8): number | undefined => {
    if (!(flags & present)) return undefined;
    need(box, at + width);
    const v = width === 8 ? readU64Number(view, at, 'tfhd base_data_offset') : view.getUint32(at);
    at += width;
    return v;
  };
  need(box, at + 4);
  const trackId = view.getUint32(at);
  at += 4;
  const baseDataOffset = field(TFHD_BASE_DATA_OFFSET_PRESENT, 8);
  field(TFHD_SAMPLE_DESCRIPTION_INDEX_PRESENT, 4); // one sample description per track is read
  const defaultDuration = field(TFHD_DEFAULT_SAMPLE_DURATION_PRESENT, 4);
  const defaultSize = field(TFHD_DEFAULT_SAMPLE_SIZE_PRESENT, 4);
  const defaultFlags = field(TFHD_DEFAULT_SAMPLE_FLAGS_PRESENT, 4);
  // default-base-is-moof (0x020000) has no field of its own: without base_data_offset the base
  // is the moof either way for the one traf read here (see readMoof).
  return { trackId, baseDataOffset, defaultDuration, defaultSize, defaultFlags };
}

/** tfdt (§8.8.12): baseMediaDecodeTime, 64-bit in version 1. */
function readTfdt(bytes: Uint8Array, view: DataView, box: Box): number {
  const { version } = readFullBoxHeader(bytes, box);
  const at = box.payloadStart + 4;
  need(box, at + (version === 1 ? 8 : 4));
  return version === 1 ? readU64Number(view, at, 'tfdt baseMediaDecodeTime') : view.getUint32(at);
}

/**
 * trun (§8.8.8): sample_count, optional data_offset and first_sample_flags, then per sample the
 * fields its flags announce. A field left out takes the tfhd default, else the trex default
 * (§8.8.7.2); first_sample_flags replaces the default flags of the first sample only, and a
 * per-sample flags field wins over both. Composition offsets are unsigned in version 0 and
 * signed in version 1. Appends to `out`; returns the run's data_offset and byte count.
 */
function readTrun(bytes: Uint8Array, view: DataView, box: Box, tfhd: Tfhd, trex: TrackDefaults | undefined, out: ParsedSample[]): { dataOffset?: number; dataBytes: number } {
  const { version, flags } = readFullBoxHeader(bytes, box);
  let at = box.payloadStart + 4;
  need(box, at + 4);
  const count = view.getUint32(at);
  at += 4;
  if (out.length + count > MAX_SAMPLES_PER_FRAGMENT) throw new LimitError('too many samples in one fragment', { offset: box.start, count, max: MAX_SAMPLES_PER_FRAGMENT });
  let dataOffset: number | undefined;
  if (flags & TRUN_DATA_OFFSET_PRESENT) {
    need(box, at + 4);
    dataOffset = view.getInt32(at);
    at += 4;
  }
  let firstFlags: number | undefined;
  if (flags & TRUN_FIRST_SAMPLE_FLAGS_PRESENT) {
    need(box, at + 4);
    firstFlags = view.getUint32(at);
    at += 4;
  }
  const hasDuration = (flags & TRUN_SAMPLE_DURATION_PRESENT) !== 0;
  const hasSize = (flags & TRUN_SAMPLE_SIZE_PRESENT) !== 0;
  const hasFlags = (flags & TRUN_SAMPLE_FLAGS_PRESENT) !== 0;
  const hasOffset = (flags & TRUN_SAMPLE_COMPOSITION_TIME_OFFSETS_PRESENT) !== 0;
  const entryBytes = 4 * (Number(hasDuration) + Number(hasSize) + Number(hasFlags) + Number(hasOffset));
  need(box, at + entryBytes * count);
  const defaultDuration = tfhd.defaultDuration ?? trex?.sampleDuration;
  const defaultSize = tfhd.defaultSize ?? trex?.sampleSize;
  const defaultFlags = tfhd.defaultFlags ?? trex?.sampleFlags ?? 0;
  if (count > 0 && !hasDuration && defaultDuration === undefined) throw new ProtocolError('trun has no sample durations and there is no default', { offset: box.start });
  if (count > 0 && !hasSize && defaultSize === undefined) throw new ProtocolError('trun has no sample sizes and there is no default', { offset: box.start });
  let dataBytes = 0;
  for (let i = 0; i < count; i++) {
    let duration = defaultDuration ?? 0;
    let size = defaultSize ?? 0;
    let sampleFlags = i === 0 && firstFlags !== undefined ? firstFlags : defaultFlags;
    let compositionOffset = 0;
    if (hasDuration) {
      duration = view.getUint32(at);
      at += 4;
    }
    if (hasSize) {
      size = view.getUint32(at);
      at += 4;
    }
    if (hasFlags) {
      sampleFlags = view.getUint32(at);
      at += 4;
    }
    if (hasOffset) {
      compositionOffset = version === 0 ? view.getUint32(at) : view.getInt32(at);
      at += 4;
    }
    dataBytes += size;
    out.push({ duration, size, keyframe: (sampleFlags & SAMPLE_IS_NON_SYNC) === 0, compositionOffset });
  }
  return { dataOffset, dataBytes };
}

/** A field that would run past its box's end. */
function need(box: Box, fieldEnd: number): void {
  if (fieldEnd > box.end) throw new ProtocolError(`'${box.type}' is too short for its fields`, { offset: box.start, size: box.end - box.start });
}
