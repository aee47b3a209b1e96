// AMF3 encoder (Adobe AMF3 spec §3): repeated strings, objects and traits go by reference.
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
import {
  AMF3_INT_MAX,
  AMF3_INT_MIN,
  AMF3_MARKER,
  U29_FLAGGED_MAX,
  U29O_INLINE,
  U29O_TRAITS_DYNAMIC,
  U29O_TRAITS_INLINE,
} from './amf3-markers.js';
import { writeU29 } from './amf3-u29.js';

const VECTOR_MARKER = {
  int: AMF3_MARKER.VECTOR_INT,
  uint: AMF3_MARKER.VECTOR_UINT,
  double: AMF3_MARKER.VECTOR_DOUBLE,
  object: AMF3_MARKER.VECTOR_OBJECT,
} as const;

/**
 * Writes AMF3 values. Like the decoder, its reference tables live as long as the encoder: use
 * one per message body. The same object instance written twice is sent by reference, so shared
 * and cyclic graphs round-trip.
 */
export class Amf3Encoder {
  private readonly strings = new Map<string, number>();
  private readonly objects = new Map<object, number>();
  private readonly traitsTable = new Map<string, number>();

  constructor(private readonly writer: ByteWriter = new ByteWriter()) {}

  writeValue(value: AmfValue, depth = 0): this {
    const w = this.writer;
    if (value === undefined || value instanceof AmfUnsupported) {
      // AMF3 has no unsupported type; undefined is the nearest (AMF0 unsupported → AMF3 undefined).
      w.u8(AMF3_MARKER.UNDEFINED);
    } else if (value === null) {
      w.u8(AMF3_MARKER.NULL);
    } else if (typeof value === 'boolean') {
      w.u8(value ? AMF3_MARKER.TRUE : AMF3_MARKER.FALSE);
    } else if (typeof value === 'number') {
      this.writeNumber(value);
    } else if (typeof value === 'string') {
      w.u8(AMF3_MARKER.STRING);
      this.writeString(value);
    } else if (typeof value !== 'object') {
      throw new UnsupportedError(`AMF3: cannot encode a value of type ${typeof value}`, { type: typeof value });
    } else if (this.writeReference(value)) {
      // written as a reference to an earlier occurrence
    } else if (value instanceof Date) {
      w.u8(AMF3_MARKER.DATE);
      this.writeFlagged(0, 'AMF3 Date'); // U29D: inline flag, other bits unused (§3.10)
      w.f64(value.getTime());
    } else if (Array.isArray(value)) {
      this.writeArray(new AmfEcmaArray(undefined, value), depth);
    } else if (value instanceof AmfEcmaArray) {
      this.writeArray(value, depth);
    } else if (value instanceof AmfTypedObject) {
      this.writeObject(value.className, value.properties, value.sealedMembers, value.dynamic, depth);
    } else if (value instanceof AmfXmlDocument || value instanceof AmfXml) {
      w.u8(value instanceof AmfXml ? AMF3_MARKER.XML : AMF3_MARKER.XML_DOCUMENT);
      this.writeInlineBytes(encodeUtf8(value.xml), 'XML');
    } else if (value instanceof Uint8Array) {
      w.u8(AMF3_MARKER.BYTE_ARRAY);
      this.writeInlineBytes(value, 'ByteArray');
    } else if (value instanceof AmfVector) {
      this.writeVector(value, depth);
    } else if (value instanceof AmfDictionary) {
      this.writeDictionary(value, depth);
    } else if (isAmfObject(value)) {
      this.writeObject('', value, [], true, depth);
    } else {
      throw new UnsupportedError(`AMF3: cannot encode a ${describeAmfValue(value)}`, { type: describeAmfValue(value) });
    }
    return this;
  }

  finish(): Uint8Array {
    return this.writer.finish();
  }

  /** UTF-8-vr (§1.3.2): a reference to an earlier identical string; "" is always inline. */
  writeString(s: string): void {
    const index = s === '' ? undefined : this.strings.get(s);
    if (index !== undefined) {
      writeU29(this.writer, index << 1, 'AMF3 string reference');
      return;
    }
    if (s !== '') this.strings.set(s, this.strings.size);
    this.writeInlineBytes(encodeUtf8(s), 'string');
  }

  private writeNumber(n: number): void {
    // §3.6: integers that fit 29 bits as integer-type (not -0, which only a double can hold).
    if (Number.isInteger(n) && n >= AMF3_INT_MIN && n <= AMF3_INT_MAX && !Object.is(n, -0)) {
      this.writer.u8(AMF3_MARKER.INTEGER);
      writeU29(this.writer, n & 0x1fffffff, 'AMF3 integer');
    } else {
      this.writer.u8(AMF3_MARKER.DOUBLE).f64(n);
    }
  }

  /** A length with the inline flag, then the bytes. */
  private writeInlineBytes(bytes: Uint8Array, what: string): void {
    this.writeFlagged(bytes.length, `AMF3 ${what} length`);
    this.writer.bytes(bytes);
  }

  /** A count or length sharing its U29 with the inline flag (low bit 1). */
  private writeFlagged(n: number, what: string): void {
    if (n > U29_FLAGGED_MAX) {
      throw new LimitError(`${what}: ${n} exceeds the AMF3 maximum of ${U29_FLAGGED_MAX}`, { value: n });
    }
    writeU29(this.writer, n * 2 + 1, what);
  }

  /**
   * Values in the object table (§2.2: everything but primitives and strings) are sent by
   * reference when seen before; otherwise registered now, before their members are written.
   */
  private writeReference(value: object): boolean {
    const index = this.objects.get(value);
    if (index === undefined) {
      this.objects.set(value, this.objects.size);
      return false;
    }
    const marker = markerOf(value);
    this.writer.u8(marker);
    writeU29(this.writer, index << 1, 'AMF3 object reference');
    return true;
  }

  private writeArray(array: AmfEcmaArray, depth: number): void {
    checkDepth(depth, 'AMF3 array');
    this.writer.u8(AMF3_MARKER.ARRAY);
    this.writeFlagged(array.elements.length, 'AMF3 array length');
    checkElementCount(array.elements.length, 'AMF3 array dense part');
    this.writeDynamicMembers(array.properties, new Set(), depth, 'AMF3 array associative part');
    for (const item of array.elements) this.writeValue(item, depth + 1);
  }

  /** §3.12: traits (by reference when the same traits were written before), then members. */
  private writeObject(className: string, properties: AmfObject, sealed: readonly string[], dynamic: boolean, depth: number): void {
    checkDepth(depth, 'AMF3 object');
    checkElementCount(sealed.length, `AMF3 object "${className}" sealed members`);
    const sealedSet: ReadonlySet<string> = new Set(sealed);
    // Keys outside the sealed members can only be sent as dynamic members.
    const isDynamic = dynamic || Object.keys(properties).some((k) => !sealedSet.has(k));
    this.writer.u8(AMF3_MARKER.OBJECT);
    const key = JSON.stringify([className, isDynamic, sealed]);
    const traitsIndex = this.traitsTable.get(key);
    if (traitsIndex !== undefined) {
      writeU29(this.writer, (traitsIndex << 2) | U29O_INLINE, 'AMF3 traits reference');
    } else {
      this.traitsTable.set(key, this.traitsTable.size);
      const flags = U29O_INLINE | U29O_TRAITS_INLINE | (isDynamic ? U29O_TRAITS_DYNAMIC : 0);
      writeU29(this.writer, (sealed.length << 4) | flags, 'AMF3 traits');
      this.writeString(className);
      for (const name of sealed) this.writeString(name);
    }
    for (const name of sealed) this.writeValue(properties[name], depth + 1);
    if (isDynamic) this.writeDynamicMembers(properties, sealedSet, depth, `AMF3 object "${className}"`);
  }

  /** Name/value pairs ended by the empty string, which is therefore not a valid name here. */
  private writeDynamicMembers(properties: AmfObject, skip: ReadonlySet<string>, depth: number, what: string): void {
    let count = skip.size;
    for (const name of Object.keys(properties)) {
      if (skip.has(name)) continue;
      if (name === '') {
        throw new UnsupportedError(`${what}: an empty property name cannot be encoded (it ends the member list)`);
      }
      checkElementCount(++count, what);
      this.writeString(name);
      this.writeValue(properties[name], depth + 1);
    }
    this.writeString('');
  }

  /** §3.15: count, fixed flag, [element class name,] items. */
  private writeVector(vector: AmfVector, depth: number): void {
    if (vector.kind === 'object') checkDepth(depth, 'AMF3 Vector.<Object>');
    checkElementCount(vector.items.length, `AMF3 Vector.<${vector.kind}>`);
    const w = this.writer;
    w.u8(VECTOR_MARKER[vector.kind]);
    this.writeFlagged(vector.items.length, 'AMF3 Vector length');
    w.u8(vector.fixed ? 1 : 0);
    if (vector.kind === 'object') {
      this.writeString(vector.objectTypeName);
      for (const item of vector.items) this.writeValue(item, depth + 1);
      return;
    }
    for (const item of vector.items) {
      if (typeof item !== 'number') {
        throw new UnsupportedError(`AMF3 Vector.<${vector.kind}>: item is a ${describeAmfValue(item)}, not a number`);
      }
      if (vector.kind === 'int') w.i32(item);
      else if (vector.kind === 'uint') w.u32(item);
      else w.f64(item);
    }
  }

  private writeDictionary(dictionary: AmfDictionary, depth: number): void {
    checkDepth(depth, 'AMF3 Dictionary');
    checkElementCount(dictionary.entries.length, 'AMF3 Dictionary');
    this.writer.u8(AMF3_MARKER.DICTIONARY);
    this.writeFlagged(dictionary.entries.length, 'AMF3 Dictionary length');
    this.writer.u8(dictionary.weakKeys ? 1 : 0);
    for (const [key, value] of dictionary.entries) {
      this.writeValue(key, depth + 1);
      this.writeValue(value, depth + 1);
    }
  }
}

/** The marker that a reference to `value` is written under. */
function markerOf(value: object): number {
  if (value instanceof Date) return AMF3_MARKER.DATE;
  if (Array.isArray(value) || value instanceof AmfEcmaArray) return AMF3_MARKER.ARRAY;
  if (value instanceof AmfXml) return AMF3_MARKER.XML;
  if (value instanceof AmfXmlDocument) return AMF3_MARKER.XML_DOCUMENT;
  if (value instanceof Uint8Array) return AMF3_MARKER.BYTE_ARRAY;
  if (value instanceof AmfVector) return VECTOR_MARKER[value.kind];
  if (value instanceof AmfDictionary) return AMF3_MARKER.DICTIONARY;
  return AMF3_MARKER.OBJECT;
}

/** Encodes one AMF3 value. */
export function encodeAmf3(value: AmfValue): Uint8Array {
  return new Amf3Encoder().writeValue(value).finish();
}
