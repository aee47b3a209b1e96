// VUI parameters of an H.264 SPS: aspect ratio, timing and bitstream restrictions (ITU-T H.264 Annex E.1.1).
import type { BitReader } from '../../core/bit-reader.js';
import { ProtocolError, TruncatedError } from '../../core/errors.js';

/** aspect_ratio_idc 255 signals an explicit sar_width/sar_height pair (Table E-1). */
const EXTENDED_SAR = 255;
/** cpb_cnt_minus1 lies in 0..31 (§E.2.2). */
const MAX_CPB_CNT_MINUS1 = 31;

export interface VuiInfo {
  /** time_scale / (2 × num_units_in_tick) (§E.2.1), when timing_info is present and valid. */
  readonly frameRate?: number;
  readonly numUnitsInTick?: number;
  readonly timeScale?: number;
  readonly fixedFrameRate?: boolean;
  /** Sample aspect ratio as [width, height] when aspect_ratio_info is present. */
  readonly sampleAspectRatio?: readonly [number, number];
  /** max_num_reorder_frames from bitstream_restriction, when present. */
  readonly maxNumReorderFrames?: number;
  /** The VUI ended early; the fields above hold what was read before the end. */
  readonly truncated?: boolean;
}

type MutableVui = { -readonly [K in keyof VuiInfo]: VuiInfo[K] };

/**
 * Reads vui_parameters(). Encoders in the wild sometimes cut the VUI short (FFmpeg's decoder warns
 * "Overread VUI" and carries on); a truncation here keeps the fields read so far instead of
 * failing the whole SPS, since nothing after the VUI is needed.
 */
export function parseVui(r: BitReader): VuiInfo {
  const vui: MutableVui = {};
  try {
    readVui(r, vui);
  } catch (err) {
    if (!(err instanceof TruncatedError)) throw err;
    vui.truncated = true;
  }
  return vui;
}

function readVui(r: BitReader, vui: MutableVui): void {
  if (r.bool()) {
    const aspectRatioIdc = r.bits(8);
    if (aspectRatioIdc === EXTENDED_SAR) {
      const w = r.bits(16);
      const h = r.bits(16);
      vui.sampleAspectRatio = [w, h];
    } else {
      const sar = SAR_TABLE[aspectRatioIdc];
      if (sar) vui.sampleAspectRatio = sar;
    }
  }
  if (r.bool()) r.skipBits(1); // overscan_appropriate_flag
  if (r.bool()) {
    r.skipBits(3 + 1); // video_format, video_full_range_flag
    if (r.bool()) r.skipBits(8 + 8 + 8); // colour_primaries, transfer_characteristics, matrix_coefficients
  }
  if (r.bool()) {
    r.ue(); // chroma_sample_loc_type_top_field
    r.ue(); // chroma_sample_loc_type_bottom_field
  }
  if (r.bool()) {
    const numUnitsInTick = r.bits(32);
    const timeScale = r.bits(32);
    vui.fixedFrameRate = r.bool();
    vui.numUnitsInTick = numUnitsInTick;
    vui.timeScale = timeScale;
    // Both shall be greater than 0 (§E.2.1); a zero leaves the frame rate unknown rather than guessed.
    // A clock tick is the shortest picture interval, one field: a frame spans two ticks, whether
    // coded as a frame or as two fields, hence the factor 2 (as x264 writes it and FFmpeg reads it).
    if (numUnitsInTick > 0 && timeScale > 0) vui.frameRate = timeScale / (2 * numUnitsInTick);
  }
  const nalHrd = r.bool();
  if (nalHrd) skipHrdParameters(r);
  const vclHrd = r.bool();
  if (vclHrd) skipHrdParameters(r);
  if (nalHrd || vclHrd) r.skipBits(1); // low_delay_hrd_flag
  r.skipBits(1); // pic_struct_present_flag
  if (r.bool()) {
    r.skipBits(1); // motion_vectors_over_pic_boundaries_flag
    r.ue(); // max_bytes_per_pic_denom
    r.ue(); // max_bits_per_mb_denom
    r.ue(); // log2_max_mv_length_horizontal
    r.ue(); // log2_max_mv_length_vertical
    vui.maxNumReorderFrames = r.ue();
    r.ue(); // max_dec_frame_buffering
  }
}

/** hrd_parameters() (§E.1.2), read only to get past it. */
function skipHrdParameters(r: BitReader): void {
  const cpbCntMinus1 = r.ue();
  if (cpbCntMinus1 > MAX_CPB_CNT_MINUS1) {
    throw new ProtocolError(`H.264 SPS VUI: cpb_cnt_minus1 ${cpbCntMinus1} exceeds ${MAX_CPB_CNT_MINUS1}`, { cpbCntMinus1 });
  }
  r.skipBits(4 + 4); // bit_rate_scale, cpb_size_scale
  for (let i = 0; i <= cpbCntMinus1; i++) {
    r.ue(); // bit_rate_value_minus1
    r.ue(); // cpb_size_value_minus1
    r.skipBits(1); // cbr_flag
  }
  // initial_cpb_removal_delay_length_minus1, cpb_removal_delay_length_minus1,
  // dpb_output_delay_length_minus1, time_offset_length
  r.skipBits(5 + 5 + 5 + 5);
}

/** Sample aspect ratios of aspect_ratio_idc 1..16 (Table E-1). */
const SAR_TABLE: readonly (readonly [number, number] | undefined)[] = [
  undefined,
  [1, 1],
  [12, 11],
  [10, 11],
  [16, 11],
  [40, 33],
  [24, 11],
  [20, 11],
  [32, 11],
  [80, 33],
  [18, 11],
  [15, 11],
  [64, 33],
  [160, 99],
  [4, 3],
  [3, 2],
  [2, 1],
];
