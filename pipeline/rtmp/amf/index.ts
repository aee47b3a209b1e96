// AMF0 and AMF3 codecs (Adobe AMF0 and AMF3 specifications) and their shared value model.
export type { AmfExtendedValue, AmfObject, AmfValue } from './amf-value.js';
export {
  AMF_UNSUPPORTED,
  AmfDictionary,
  AmfEcmaArray,
  AmfTypedObject,
  AmfUnsupported,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
  amfPropertiesOf,
  createAmfObject,
  describeAmfValue,
  isAmfObject,
  type AmfVectorKind,
} from './amf-types.js';
export { AMF0_MARKER, AMF0_MAX_SHORT_STRING_BYTES } from './amf0-markers.js';
export { AMF3_MARKER, AMF3_INT_MAX, AMF3_INT_MIN } from './amf3-markers.js';
export { Amf0Decoder, decodeAmf0, decodeAmf0Values } from './amf0-decoder.js';
export { Amf0Encoder, encodeAmf0, encodeAmf0Values } from './amf0-encoder.js';
export { Amf3Decoder, decodeAmf3 } from './amf3-decoder.js';
export { Amf3Encoder, encodeAmf3 } from './amf3-encoder.js';
