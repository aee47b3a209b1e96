// program_config_element() inside a GASpecificConfig, read for its channel count (ISO/IEC 14496-3 §4.4.1.1 Table 4.2, §4.5.1.2).
import type { BitReader } from '../../core/bit-reader.js';

/**
 * Reads a PCE and returns the number of output channels it defines (a channel pair element is
 * two, a single channel or LFE element one). `bitsConsumed` tells how far the reader is from the
 * start of the AudioSpecificConfig: the PCE's byte_alignment() is relative to that start.
 */
export function readProgramConfigElement(r: BitReader, bitsConsumed: () => number): number {
  r.skipBits(4 + 2 + 4); // element_instance_tag, object_type, sampling_frequency_index
  const front = r.bits(4);
  const side = r.bits(4);
  const back = r.bits(4);
  const lfe = r.bits(2);
  const assocData = r.bits(3);
  const validCc = r.bits(4);
  if (r.bool()) r.skipBits(4); // mono_mixdown_element_number
  if (r.bool()) r.skipBits(4); // stereo_mixdown_element_number
  if (r.bool()) r.skipBits(2 + 1); // matrix_mixdown_idx, pseudo_surround_enable
  let channels = 0;
  for (let i = 0; i < front + side + back; i++) {
    channels += r.bool() ? 2 : 1; // *_element_is_cpe
    r.skipBits(4); // *_element_tag_select
  }
  channels += lfe;
  r.skipBits(4 * lfe + 4 * assocData + 5 * validCc); // lfe/assoc tags; cc_element_is_ind_sw + tag
  const misaligned = bitsConsumed() % 8;
  if (misaligned) r.skipBits(8 - misaligned); // byte_alignment()
  r.skipBits(8 * r.bits(8)); // comment_field_bytes, comment_field_data
  return channels;
}
