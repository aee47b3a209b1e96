// AMF0 encoder (Adobe AMF0 spec §2); values AMF0 has no type for go through the AVM+ switch (§3.1).
import { ByteWriter } from '../../core/byte-writer.js';
import { LimitError, UnsupportedError } from '../../core/errors.js';
import { checkDepth, checkElementCount } from './amf-limits.js';
import {
  AmfDictionary,
  AmfEcmaArray,
  AmfTypedObject,
  AmfUnsupported,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
  describeAmfValue,
  isAmfObject,
} from './amf-types.js';
import { encodeUtf8 } from './amf-utf8.js';
import type { AmfObject, AmfValue } from './amf-value.js';
import { AMF0_MARKER, AMF0_MAX_SHORT_STRING_BYTES } from './amf0-markers.js';
import { Amf3Encoder } from './amf3-encoder.js';

/**
 * Writes AMF0 values. It never writes references (§2.9): librtmp and ffmpeg cannot read them,
 * so a shared object is written in full each time and a cyclic one fails at MAX_AMF_DEPTH.
 * ByteArray, Vector, Dictionary and E4X XML have no AMF0 type: each is written as one AMF3
 * value after the avmplus-object marker, with AMF3 tables shared across this encoder's values.
 */
export class Amf0Encoder {
  private amf3: Amf3Encoder | undefined;

  constructor(private readonly writer: ByteWriter = new ByteWriter()) {}

  writeValue(value: AmfValue, depth = 0): this {
    const w = this.writer;
    if (value === undefined) {
      w.u8(AMF0_MARKER.UNDEFINED);
    } else if (value === null) {
      w.u8(AMF0_MARKER.NULL);
    } else if (typeof value === 'boolean') {
      w.u8(AMF0_MARKER.BOOLEAN).u8(value ? 1 : 0);
    } else if (typeof value === 'number') {
      w.u8(AMF0_MARKER.NUMBER).f64(value);
    } else if (typeof value === 'string') {
      this.writeString(value);
    } else if (typeof value !== 'object') {
      throw new UnsupportedError(`AMF0: cannot encode a value of type ${typeof value}`, { type: typeof value });
    } else if (value instanceof Date) {
      w.u8(AMF0_MARKER.DATE).f64(value.getTime()).u16(0); // time zone: reserved, 0 (§2.13)
    } else if (Array.isArray(value)) {
      this.writeStrictArray(value, depth);
    } else if (value instanceof AmfEcmaArray) {
      this.writeEcmaArray(value, depth);
    } else if (value instanceof AmfTypedObject) {
      checkDepth(depth, `AMF0 typed object "${value.className}"`);
      w.u8(AMF0_MARKER.TYPED_OBJECT);
      this.writeName(value.className, 'AMF0 typed object class name');
      this.writeProperties(Object.entries(value.properties), depth, `AMF0 typed object "${value.className}"`);
    } else if (value instanceof AmfXmlDocument) {
      const bytes = encodeUtf8(value.xml);
      w.u8(AMF0_MARKER.XML_DOCUMENT).u32(bytes.length).bytes(bytes);
    } else if (value instanceof AmfUnsupported) {
      w.u8(AMF0_MARKER.UNSUPPORTED);
    } else if (value instanceof Uint8Array || value instanceof AmfVector || value instanceof AmfDictionary || value instanceof AmfXml) {
      w.u8(AMF0_MARKER.AVMPLUS_OBJECT);
      this.amf3 ??= new Amf3Encoder(w);
      this.amf3.writeValue(value, depth);
    } else if (isAmfObject(value)) {
      checkDepth(depth, 'AMF0 object');
      w.u8(AMF0_MARKER.OBJECT);
      this.writeProperties(Object.entries(value), depth, 'AMF0 object');
    } else {
      throw new UnsupportedError(`AMF0: cannot encode a ${describeAmfValue(value)}`, { type: describeAmfValue(value) });
    }
    return this;
  }

  finish(): Uint8Array {
    return this.writer.finish();
  }

  /** string-type with a U16 length, or long-string-type (§2.14) beyond 65535 UTF-8 bytes. */
  private writeString(s: string): void {
    const bytes = encodeUtf8(s);
    if (bytes.length > AMF0_MAX_SHORT_STRING_BYTES) {
      this.writer.u8(AMF0_MARKER.LONG_STRING).u32(bytes.length).bytes(bytes);
    } else {
      this.writer.u8(AMF0_MARKER.STRING).u16(bytes.length).bytes(bytes);
    }
  }

  /** A UTF-8 with a U16 length and no marker: property names and class names. */
  private writeName(name: string, what: string): void {
    const bytes = encodeUtf8(name);
    if (bytes.length > AMF0_MAX_SHORT_STRING_BYTES) {
      throw new LimitError(`${what}: ${bytes.length} UTF-8 bytes exceed the AMF0 maximum of 65535`, {
        length: bytes.length,
      });
    }
    this.writer.u16(bytes.length).bytes(bytes);
  }

  /** Name/value pairs, then an empty name and object-end (§2.5). */
  private writeProperties(entries: readonly (readonly [string, AmfValue])[], depth: number, what: string): void {
    checkElementCount(entries.length, what);
    for (const [name, value] of entries) {
      this.writeName(name, `${what} property name`);
      this.writeValue(value, depth + 1);
    }
    this.writer.u16(0).u8(AMF0_MARKER.OBJECT_END);
  }

  private writeStrictArray(array: readonly AmfValue[], depth: number): void {
    checkDepth(depth, 'AMF0 strict array');
    checkElementCount(array.length, 'AMF0 strict array');
    this.writer.u8(AMF0_MARKER.STRICT_ARRAY).u32(array.length);
    // Indexed, not for-of over entries, so holes of a sparse array are written as undefined.
    for (let i = 0; i < array.length; i++) this.writeValue(array[i], depth + 1);
  }

  /** §2.10: the count, then properties as in an object; an AMF3 dense part becomes keys "0".."n-1". */
  private writeEcmaArray(array: AmfEcmaArray, depth: number): void {
    checkDepth(depth, 'AMF0 ECMA array');
    const entries: (readonly [string, AmfValue])[] = array.elements.map((v, i) => [String(i), v] as const);
    for (const entry of Object.entries(array.properties as AmfObject)) entries.push(entry);
    this.writer.u8(AMF0_MARKER.ECMA_ARRAY).u32(entries.length);
    this.writeProperties(entries, depth, 'AMF0 ECMA array');
  }
}

/** Encodes one AMF0 value. */
export function encodeAmf0(value: AmfValue): Uint8Array {
  return new Amf0Encoder().writeValue(value).finish();
}

/** Encodes values one after another as one body (as in a command or data message). */
export function encodeAmf0Values(values: readonly AmfValue[]): Uint8Array {
  const encoder = new Amf0Encoder();
  for (const value of values) encoder.writeValue(value);
  return encoder.finish();
}
