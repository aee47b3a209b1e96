// Scaling matrices of an H.264 SPS or PPS, read only to get past them (ITU-T H.264 §7.3.2.1.1.1).
import type { BitReader } from '../../core/bit-reader.js';

/** Entries of a 4×4 and an 8×8 scaling list. */
const SCALING_LIST_4X4_SIZE = 16;
const SCALING_LIST_8X8_SIZE = 64;
/** Lists 0..5 are 4×4 (Intra/Inter Y, Cb, Cr); 6.. are 8×8 (Table 7-2). */
const SCALING_LISTS_4X4 = 6;

/**
 * Skips seq_scaling_list_present_flag[i] and scaling_list() for each of `count` lists
 * (8, or 12 when chroma_format_idc is 3). Each list is delta-coded with se(v); a next scale of
 * 0 ends the explicit values early (the rest repeat the last one), so the list must be walked.
 */
export function skipScalingMatrix(r: BitReader, count: number): void {
  for (let i = 0; i < count; i++) {
    if (!r.bool()) continue; // seq_scaling_list_present_flag[i]
    skipScalingList(r, i < SCALING_LISTS_4X4 ? SCALING_LIST_4X4_SIZE : SCALING_LIST_8X8_SIZE);
  }
}

function skipScalingList(r: BitReader, size: number): void {
  let lastScale = 8;
  let nextScale = 8;
  for (let j = 0; j < size && nextScale !== 0; j++) {
    const deltaScale = r.se();
    nextScale = (((lastScale + deltaScale) % 256) + 256) % 256;
    if (nextScale !== 0) lastScale = nextScale;
  }
}
