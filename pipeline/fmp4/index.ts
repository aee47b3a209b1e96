// pipeline/fmp4: fragmented MP4 / CMAF init segments and fragments, one track each (ISO/IEC 14496-12, 23000-19).
export { BoxWriter } from './box-writer.js';
export * from './fmp4-constants.js';
export { encodeInitSegment } from './init-segment.js';
export { encodeFragment, fragmentByteLength, type FragmentSample } from './fragment.js';
export { encodeStyp } from './file-type.js';
export { fmp4CodecString } from './codec-string.js';
