// The value model shared by the AMF0 (Adobe AMF0 spec) and AMF3 (Adobe AMF3 spec) codecs.
// Plain JS values where one exists; the small classes of amf-types.ts where AMF has a type JS lacks.
import type {
  AmfDictionary,
  AmfEcmaArray,
  AmfTypedObject,
  AmfUnsupported,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
} from './amf-types.js';

/** An anonymous object; decoded objects have a null prototype (no prototype pollution). */
export interface AmfObject {
  [key: string]: AmfValue;
}

/**
 * One AMF value. `AmfValue[]` is an AMF0 strict array / AMF3 dense array; `AmfObject` is an
 * anonymous object; a `Uint8Array` is an AMF3 ByteArray.
 */
export type AmfValue =
  | number
  | boolean
  | string
  | null
  | undefined
  | Date
  | AmfValue[]
  | AmfObject
  | AmfExtendedValue;

/** Types without a plain JS equivalent; defined in amf-types.ts. */
export type AmfExtendedValue =
  | AmfEcmaArray
  | AmfTypedObject
  | AmfXmlDocument
  | AmfXml
  | Uint8Array
  | AmfVector
  | AmfDictionary
  | AmfUnsupported;
