// The sample table of one track of a progressive MP4 (ISO/IEC 14496-12 §8.5.1 stbl): the stsd
// copied from the init segment, then stts, ctts, stss, stsz, stsc and stco/co64.
import type { BoxWriter } from '../fmp4/box-writer.js';
import { MAX_U32 } from './mp4-constants.js';

export interface SampleTables {
  /** Per sample, decode order. */
  readonly durations: Uint32Array;
  readonly compositionOffsets: Int32Array;
  readonly sizes: Uint32Array;
  /** 1 for a sync sample, 0 otherwise. */
  readonly sync: Uint8Array;
  /** Per chunk, in the track's chunk order: how many samples it holds and where it starts in the file. */
  readonly samplesPerChunk: readonly number[];
  readonly chunkOffsets: readonly number[];
}

/** True when some chunk offset needs co64 (§8.7.5: stco offsets are 32-bit). */
export function needsCo64(chunkOffsets: readonly number[]): boolean {
  return chunkOffsets.some((o) => o > MAX_U32);
}

export function writeStbl(w: BoxWriter, stsd: Uint8Array, t: SampleTables, co64: boolean): void {
  w.box('stbl', () => {
    w.bytes(stsd); // as the init segment has it: the same sample entry the fragments were made for
    writeStts(w, t.durations);
    writeCtts(w, t.compositionOffsets);
    writeStss(w, t.sync);
    writeStsz(w, t.sizes);
    writeStsc(w, t.samplesPerChunk);
    writeChunkOffsets(w, t.chunkOffsets, co64);
  });
}

/** stts (§8.6.1.2): runs of equal sample_delta; DT(n+1) = DT(n) + delta(n), starting at 0. */
function writeStts(w: BoxWriter, durations: Uint32Array): void {
  w.fullBox('stts', 0, 0, () => {
    const countAt = w.length;
    w.u32(0);
    w.patchU32(countAt, runs(durations, (count, v) => w.u32(count).u32(v)));
  });
}

/**
 * ctts (§8.6.1.3), only when some offset is not 0: CT(n) = DT(n) + offset(n). Version 1, whose
 * offsets are signed, as trun version 1's are; the edit list (not the offsets) puts the first
 * presented sample at the track's start.
 */
function writeCtts(w: BoxWriter, offsets: Int32Array): void {
  if (offsets.every((o) => o === 0)) return;
  w.fullBox('ctts', 1, 0, () => {
    const countAt = w.length;
    w.u32(0);
    w.patchU32(countAt, runs(offsets, (count, v) => w.u32(count).i32(v)));
  });
}

/** stss (§8.6.2): the 1-based numbers of the sync samples; left out when every sample is one. */
function writeStss(w: BoxWriter, sync: Uint8Array): void {
  let syncCount = 0;
  for (let i = 0; i < sync.length; i++) syncCount += sync[i];
  if (syncCount === sync.length) return;
  w.fullBox('stss', 0, 0, () => {
    w.u32(syncCount);
    for (let i = 0; i < sync.length; i++) if (sync[i]) w.u32(i + 1);
  });
}

/** stsz (§8.7.3): one sample_size for all when they are equal, else a table. */
function writeStsz(w: BoxWriter, sizes: Uint32Array): void {
  const uniform = sizes.length > 0 && sizes.every((s) => s === sizes[0]);
  w.fullBox('stsz', 0, 0, () => {
    w.u32(uniform ? sizes[0] : 0).u32(sizes.length);
    if (!uniform) for (const s of sizes) w.u32(s);
  });
}

/** stsc (§8.7.4): an entry where samples_per_chunk changes; all chunks use sample description 1. */
function writeStsc(w: BoxWriter, samplesPerChunk: readonly number[]): void {
  w.fullBox('stsc', 0, 0, () => {
    const countAt = w.length;
    w.u32(0);
    let entries = 0;
    samplesPerChunk.forEach((n, i) => {
      if (i > 0 && n === samplesPerChunk[i - 1]) return;
      w.u32(i + 1).u32(n).u32(1); // first_chunk (1-based), samples_per_chunk, sample_description_index
      entries++;
    });
    w.patchU32(countAt, entries);
  });
}

/** stco, or co64 when an offset reaches 2^32 (§8.7.5): each chunk's first byte in the file. */
function writeChunkOffsets(w: BoxWriter, offsets: readonly number[], co64: boolean): void {
  w.fullBox(co64 ? 'co64' : 'stco', 0, 0, () => {
    w.u32(offsets.length);
    for (const o of offsets) {
      if (co64) w.u64Number(o);
      else w.u32(o);
    }
  });
}

/** Calls `emit` for each run of equal values; returns the number of runs. */
function runs(values: Uint32Array | Int32Array, emit: (count: number, value: number) => void): number {
  let n = 0;
  for (let i = 0; i < values.length; ) {
    let j = i + 1;
    while (j < values.length && values[j] === values[i]) j++;
    emit(j - i, values[i]);
    n++;
    i = j;
  }
  return n;
}
