// pipeline/codecs/h264: H.264 parameter sets, NAL unit framing and Annex B conversion.
export { NAL_TYPE, nalType, splitLengthPrefixed, isNalLengthSize, type NalLengthSize } from './nal-units.js';
export { removeEmulationPrevention } from './emulation-prevention.js';
export { parseSps, type Sps } from './sps-parser.js';
export { parseAvcDecoderConfig, avcCodecString, type AvcDecoderConfig } from './avc-decoder-config.js';
export { avccToAnnexB, annexBLength } from './annexb.js';
