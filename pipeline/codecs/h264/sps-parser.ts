// H.264 sequence parameter set → picture size, profile, chroma format and timing (ITU-T H.264 §7.3.2.1.1, §7.4.2.1.1).
import { BitReader } from '../../core/bit-reader.js';
import { ProtocolError } from '../../core/errors.js';
import { removeEmulationPrevention } from './emulation-prevention.js';
import { NAL_TYPE, nalType } from './nal-units.js';
import { skipScalingMatrix } from './scaling-list.js';
import { parseVui } from './sps-vui.js';

/** Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (§7.3.2.1.1). */
const HIGH_PROFILES: ReadonlySet<number> = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);
/** chroma_format_idc 3 is 4:4:4, the one format with a separate_colour_plane_flag and 12 scaling lists. */
const CHROMA_FORMAT_444 = 3;
const MAX_CHROMA_FORMAT_IDC = 3;
/** bit_depth_*_minus8 lies in 0..6 (§7.4.2.1.1). */
const MAX_BIT_DEPTH_MINUS8 = 6;
/** seq_parameter_set_id lies in 0..31; log2_max_frame_num_minus4 and log2_max_pic_order_cnt_lsb_minus4 in 0..12. */
const MAX_SPS_ID = 31;
const MAX_LOG2_MINUS4 = 12;
const MAX_POC_TYPE = 2;
/** num_ref_frames_in_pic_order_cnt_cycle lies in 0..255. */
const MAX_REF_FRAMES_IN_POC_CYCLE = 255;
/** A macroblock is 16×16 luma samples. */
const MB_SIZE = 16;
/** SubWidthC and SubHeightC by chroma_format_idc 1..3 (Table 6-1). */
const SUB_WIDTH_C = [0, 2, 2, 1];
const SUB_HEIGHT_C = [0, 2, 1, 1];

export interface Sps {
  readonly profileIdc: number;
  /** The byte holding constraint_set0_flag (MSB) .. constraint_set5_flag and two reserved bits. */
  readonly constraintFlags: number;
  readonly levelIdc: number;
  readonly seqParameterSetId: number;
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4; 1 when the profile does not signal it. */
  readonly chromaFormatIdc: number;
  readonly separateColourPlane: boolean;
  readonly bitDepthLuma: number;
  readonly bitDepthChroma: number;
  readonly picOrderCntType: number;
  readonly maxNumRefFrames: number;
  /** Decoded picture size in luma samples, before cropping. */
  readonly codedWidth: number;
  readonly codedHeight: number;
  /** Display size: the coded size less the frame cropping rectangle. */
  readonly width: number;
  readonly height: number;
  readonly frameMbsOnly: boolean;
  /** Frames per second from the VUI timing info; undefined when absent. */
  readonly frameRate?: number;
  readonly sampleAspectRatio?: readonly [number, number];
  readonly maxNumReorderFrames?: number;
}

/** Parses an SPS NAL unit (with its one-byte NAL unit header, without start code or length prefix). */
export function parseSps(nal: Uint8Array): Sps {
  const type = nalType(nal);
  if (type !== NAL_TYPE.SPS) throw new ProtocolError(`H.264 SPS: NAL unit type is ${type}, not ${NAL_TYPE.SPS}`, { nalType: type });
  const r = new BitReader(removeEmulationPrevention(nal.subarray(1)), 'H.264 SPS');
  const profileIdc = r.bits(8);
  const constraintFlags = r.bits(8);
  const levelIdc = r.bits(8);
  const seqParameterSetId = checked('seq_parameter_set_id', r.ue(), MAX_SPS_ID);

  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = checked('chroma_format_idc', r.ue(), MAX_CHROMA_FORMAT_IDC);
    if (chromaFormatIdc === CHROMA_FORMAT_444) separateColourPlane = r.bool();
    bitDepthLuma = 8 + checked('bit_depth_luma_minus8', r.ue(), MAX_BIT_DEPTH_MINUS8);
    bitDepthChroma = 8 + checked('bit_depth_chroma_minus8', r.ue(), MAX_BIT_DEPTH_MINUS8);
    r.skipBits(1); // qpprime_y_zero_transform_bypass_flag
    if (r.bool()) skipScalingMatrix(r, chromaFormatIdc === CHROMA_FORMAT_444 ? 12 : 8);
  }

  checked('log2_max_frame_num_minus4', r.ue(), MAX_LOG2_MINUS4);
  const picOrderCntType = checked('pic_order_cnt_type', r.ue(), MAX_POC_TYPE);
  if (picOrderCntType === 0) {
    checked('log2_max_pic_order_cnt_lsb_minus4', r.ue(), MAX_LOG2_MINUS4);
  } else if (picOrderCntType === 1) {
    r.skipBits(1); // delta_pic_order_always_zero_flag
    r.se(); // offset_for_non_ref_pic
    r.se(); // offset_for_top_to_bottom_field
    const cycle = checked('num_ref_frames_in_pic_order_cnt_cycle', r.ue(), MAX_REF_FRAMES_IN_POC_CYCLE);
    for (let i = 0; i < cycle; i++) r.se(); // offset_for_ref_frame[i]
  }
  const maxNumRefFrames = r.ue();
  r.skipBits(1); // gaps_in_frame_num_value_allowed_flag
  const widthInMbs = r.ue() + 1;
  const heightInMapUnits = r.ue() + 1;
  const frameMbsOnly = r.bool();
  if (!frameMbsOnly) r.skipBits(1); // mb_adaptive_frame_field_flag
  r.skipBits(1); // direct_8x8_inference_flag

  // A map unit is a macroblock pair when fields may be coded: FrameHeightInMbs (7-18).
  const codedWidth = widthInMbs * MB_SIZE;
  const codedHeight = (frameMbsOnly ? 1 : 2) * heightInMapUnits * MB_SIZE;
  let width = codedWidth;
  let height = codedHeight;
  if (r.bool()) {
    const left = r.ue();
    const right = r.ue();
    const top = r.ue();
    const bottom = r.ue();
    // Crop offsets count chroma samples, and rows of field pairs without frame_mbs_only (7-19..7-22):
    // ChromaArrayType 0 (monochrome or separate planes) crops in luma samples.
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const cropUnitX = chromaArrayType === 0 ? 1 : SUB_WIDTH_C[chromaArrayType];
    const cropUnitY = (chromaArrayType === 0 ? 1 : SUB_HEIGHT_C[chromaArrayType]) * (frameMbsOnly ? 1 : 2);
    width -= cropUnitX * (left + right);
    height -= cropUnitY * (top + bottom);
    if (width <= 0 || height <= 0) {
      throw new ProtocolError(`H.264 SPS: frame cropping (${left}, ${right}, ${top}, ${bottom}) leaves no picture of ${codedWidth}×${codedHeight}`, {
        codedWidth,
        codedHeight,
      });
    }
  }

  const vui = r.bool() ? parseVui(r) : {};
  return {
    profileIdc,
    constraintFlags,
    levelIdc,
    seqParameterSetId,
    chromaFormatIdc,
    separateColourPlane,
    bitDepthLuma,
    bitDepthChroma,
    picOrderCntType,
    maxNumRefFrames,
    codedWidth,
    codedHeight,
    width,
    height,
    frameMbsOnly,
    ...(vui.frameRate !== undefined ? { frameRate: vui.frameRate } : {}),
    ...(vui.sampleAspectRatio !== undefined ? { sampleAspectRatio: vui.sampleAspectRatio } : {}),
    ...(vui.maxNumReorderFrames !== undefined ? { maxNumReorderFrames: vui.maxNumReorderFrames } : {}),
  };
}

function checked(field: string, value: number, max: number): number {
  if (value > max) throw new ProtocolError(`H.264 SPS: ${field} ${value} exceeds ${max}`, { field, value, max });
  return value;
}

