// One CMAF fragment or chunk of one track (ISO/IEC 23000-19 §7.3.2.3): a moof with mfhd and one
// traf (tfhd, tfdt, trun), then an mdat whose payload is the caller's sample views, not copied
// (ISO/IEC 14496-12 §8.8.4–§8.8.12, §8.1.1).
import { LimitError, ProtocolError } from '../core/errors.js';
import type { TrackInfo } from '../ingest/media-types.js';
import { BOX_HEADER_BYTES, BoxWriter, FULL_BOX_HEADER_BYTES, MAX_COMPACT_BOX_SIZE } from './box-writer.js';
import { SAMPLE_FLAGS_NON_SYNC, SAMPLE_FLAGS_SYNC, TFHD_DEFAULT_BASE_IS_MOOF, TRUN_FLAGS } from './fmp4-constants.js';

export interface FragmentSample {
  /** Decode time in the track timescale; a safe integer (tfdt is 64-bit). */
  readonly dts: number;
  /** Presentation time in the track timescale; pts − dts must fit a signed 32-bit offset. */
  readonly pts: number;
  /** Ticks until the next sample's dts: 1 to 2^32 − 1, and dts + duration = the next sample's dts. */
  readonly duration: number;
  /** A sync sample (IDR); ignored for audio, where every sample is one. */
  readonly keyframe: boolean;
  readonly data: Uint8Array;
}

/** Bytes of each trun entry: duration, size, flags, composition offset. */
const TRUN_ENTRY_BYTES = 16;
/** moof with mfhd, traf, tfhd (track_ID only), tfdt v1 and trun with data_offset, before the entries. */
const MOOF_FIXED_BYTES =
  BOX_HEADER_BYTES + // moof
  (FULL_BOX_HEADER_BYTES + 4) + // mfhd: sequence_number
  BOX_HEADER_BYTES + // traf
  (FULL_BOX_HEADER_BYTES + 4) + // tfhd: track_ID
  (FULL_BOX_HEADER_BYTES + 8) + // tfdt v1: baseMediaDecodeTime
  (FULL_BOX_HEADER_BYTES + 8); // trun: sample_count, data_offset
const MAX_U32 = 0xffff_ffff;
const MIN_I32 = -0x8000_0000;
const MAX_I32 = 0x7fff_ffff;

/**
 * [moof + mdat header, ...sample data]: concatenated, the parts are the fragment. The sample
 * views are returned as given (one per sample, in order), so the mdat payload is never copied.
 */
export function encodeFragment(track: TrackInfo, sequenceNumber: number, samples: readonly FragmentSample[]): Uint8Array[] {
  const payloadBytes = checkSamples(sequenceNumber, samples);
  const allSync = track.kind === 'audio';
  const w = new BoxWriter(MOOF_FIXED_BYTES + TRUN_ENTRY_BYTES * samples.length + BOX_HEADER_BYTES);
  let dataOffsetAt = 0;
  w.box('moof', () => {
    w.fullBox('mfhd', 0, 0, () => w.u32(sequenceNumber));
    w.box('traf', () => {
      // default-base-is-moof (§8.8.7.1): data offsets count from this moof's first byte, so the
      // fragment means the same wherever it is stored; no base_data_offset is written.
      w.fullBox('tfhd', 0, TFHD_DEFAULT_BASE_IS_MOOF, () => w.u32(track.id));
      // tfdt version 1 (§8.8.12): a 64-bit baseMediaDecodeTime, exact up to 2^53.
      w.fullBox('tfdt', 1, 0, () => w.u64Number(samples[0].dts));
      // trun version 1 (§8.8.8): sample_composition_time_offset is signed, so B-frames need no edit list.
      w.fullBox('trun', 1, TRUN_FLAGS, () => {
        w.u32(samples.length);
        dataOffsetAt = w.length;
        w.i32(0); // data_offset, patched below
        for (const s of samples) {
          w.u32(s.duration).u32(s.data.length);
          w.u32(allSync || s.keyframe ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC);
          w.i32(s.pts - s.dts);
        }
      });
    });
  });
  // data_offset (§8.8.8.3) is relative to the base, here the moof's first byte: the first
  // sample starts after the moof and the mdat header.
  w.patchU32(dataOffsetAt, w.length + BOX_HEADER_BYTES);
  w.boxHeader('mdat', BOX_HEADER_BYTES + payloadBytes);
  const parts: Uint8Array[] = [w.finish()];
  for (const s of samples) parts.push(s.data);
  return parts;
}

/** Total bytes of a fragment's parts (moof + mdat). */
export function fragmentByteLength(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Validates what trun and tfdt can express; returns the mdat payload size. */
function checkSamples(sequenceNumber: number, samples: readonly FragmentSample[]): number {
  if (!Number.isInteger(sequenceNumber) || sequenceNumber < 0 || sequenceNumber > MAX_U32) {
    throw new ProtocolError('fragment sequence number must be an integer from 0 to 2^32 − 1', { sequenceNumber });
  }
  if (samples.length === 0) throw new ProtocolError('a fragment needs at least one sample');
  let payload = 0;
  for (let i = 0; i < samples.length; i++) {
    const { dts, pts, duration, data } = samples[i];
    if (!Number.isSafeInteger(dts) || dts < 0) throw new ProtocolError('sample dts must be a non-negative safe integer', { index: i, dts });
    if (!Number.isInteger(duration) || duration < 1 || duration > MAX_U32) {
      throw new ProtocolError('sample duration must be an integer from 1 to 2^32 − 1', { index: i, duration });
    }
    const offset = pts - dts;
    if (!Number.isInteger(offset) || offset < MIN_I32 || offset > MAX_I32) {
      throw new ProtocolError('sample composition offset (pts − dts) must be a signed 32-bit integer', { index: i, dts, pts });
    }
    // trun has no decode times, only durations: a gap or overlap would silently shift every
    // later sample. The caller starts a new fragment at a jump (its tfdt carries the new time).
    const next = samples[i + 1];
    if (next !== undefined && next.dts !== dts + duration) {
      throw new ProtocolError('sample decode times are not contiguous: dts + duration must equal the next dts', { index: i, dts, duration, nextDts: next.dts });
    }
    payload += data.length;
  }
  if (payload > MAX_COMPACT_BOX_SIZE - BOX_HEADER_BYTES) throw new LimitError('fragment payload exceeds a 32-bit mdat', { payloadBytes: payload });
  return payload;
}
