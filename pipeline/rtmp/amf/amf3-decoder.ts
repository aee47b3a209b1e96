// AMF3 decoder (Adobe AMF3 spec §3), with its string, object and traits reference tables.
import { ByteReader } from '../../core/byte-reader.js';
import { ProtocolError, UnsupportedError } from '../../core/errors.js';
import { checkDeclaredCount, checkDepth, checkElementCount } from './amf-limits.js';
import {
  AmfDictionary,
  AmfEcmaArray,
  AmfTypedObject,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
  createAmfObject,
  type AmfVectorKind,
} from './amf-types.js';
import { decodeUtf8 } from './amf-utf8.js';
import type { AmfObject, AmfValue } from './amf-value.js';
import {
  AMF3_MARKER,
  U29O_INLINE,
  U29O_TRAITS_DYNAMIC,
  U29O_TRAITS_EXTERNALIZABLE,
  U29O_TRAITS_INLINE,
} from './amf3-markers.js';
import { readU29 } from './amf3-u29.js';

interface Amf3Traits {
  readonly className: string;
  readonly sealedMembers: readonly string[];
  readonly dynamic: boolean;
  readonly externalizable: boolean;
}

/**
 * Reads AMF3 values from a reader. The reference tables live as long as the decoder, which is
 * one per message body: a later avmplus value of the body may refer to strings, objects and
 * traits of an earlier one.
 */
export class Amf3Decoder {
  private readonly strings: string[] = [];
  private readonly objects: AmfValue[] = [];
  private readonly traitsTable: Amf3Traits[] = [];

  constructor(private readonly reader: ByteReader) {}

  /** Reads one value; `depth` counts the containers around it (for MAX_AMF_DEPTH). */
  readValue(depth = 0): AmfValue {
    const r = this.reader;
    const marker = r.u8();
    switch (marker) {
      case AMF3_MARKER.UNDEFINED:
        return undefined;
      case AMF3_MARKER.NULL:
        return null;
      case AMF3_MARKER.FALSE:
        return false;
      case AMF3_MARKER.TRUE:
        return true;
      case AMF3_MARKER.INTEGER: {
        // §3.6: a 29-bit two's-complement value.
        const u = readU29(r);
        return u & 0x10000000 ? u - 0x20000000 : u;
      }
      case AMF3_MARKER.DOUBLE:
        return r.f64();
      case AMF3_MARKER.STRING:
        return this.readString();
      case AMF3_MARKER.XML_DOCUMENT:
      case AMF3_MARKER.XML:
        return this.readXml(marker === AMF3_MARKER.XML);
      case AMF3_MARKER.DATE:
        return this.readDate();
      case AMF3_MARKER.ARRAY:
        return this.readArray(depth);
      case AMF3_MARKER.OBJECT:
        return this.readObject(depth);
      case AMF3_MARKER.BYTE_ARRAY:
        return this.readByteArray();
      case AMF3_MARKER.VECTOR_INT:
        return this.readNumberVector('int', 4);
      case AMF3_MARKER.VECTOR_UINT:
        return this.readNumberVector('uint', 4);
      case AMF3_MARKER.VECTOR_DOUBLE:
        return this.readNumberVector('double', 8);
      case AMF3_MARKER.VECTOR_OBJECT:
        return this.readObjectVector(depth);
      case AMF3_MARKER.DICTIONARY:
        return this.readDictionary(depth);
      default:
        throw new ProtocolError(`AMF3: unknown type marker 0x${marker.toString(16).padStart(2, '0')}`, {
          marker,
          offset: r.offset - 1,
        });
    }
  }

  /** UTF-8-vr (§1.3.2): a reference (low bit 0) or an inline length; "" is never a reference. */
  readString(): string {
    const header = readU29(this.reader);
    if ((header & 1) === 0) return this.lookup(this.strings, header >>> 1, 'string');
    const length = header >>> 1;
    if (length === 0) return '';
    const s = decodeUtf8(this.reader.bytesView(length));
    this.strings.push(s);
    return s;
  }

  /** Reads a U29 header; returns the referenced object, or the inline value bits (header >>> 1). */
  private readHeader(what: string): { ref: AmfValue } | { inline: number } {
    const header = readU29(this.reader);
    if ((header & 1) === 0) return { ref: this.lookup(this.objects, header >>> 1, what) };
    return { inline: header >>> 1 };
  }

  private lookup<T>(table: readonly T[], index: number, what: string): T {
    if (index >= table.length) {
      throw new ProtocolError(`AMF3 ${what} reference ${index} is out of range (table has ${table.length})`, {
        index,
        size: table.length,
      });
    }
    return table[index];
  }

  private readXml(e4x: boolean): AmfValue {
    const h = this.readHeader(e4x ? 'XML' : 'XMLDocument');
    if ('ref' in h) return h.ref;
    const xml = decodeUtf8(this.reader.bytesView(h.inline));
    const value = e4x ? new AmfXml(xml) : new AmfXmlDocument(xml);
    this.objects.push(value);
    return value;
  }

  private readDate(): AmfValue {
    const h = this.readHeader('Date');
    if ('ref' in h) return h.ref;
    const date = new Date(this.reader.f64());
    this.objects.push(date);
    return date;
  }

  private readByteArray(): AmfValue {
    const h = this.readHeader('ByteArray');
    if ('ref' in h) return h.ref;
    // A copy: the payload may be a view into a buffer that the chunk layer reuses.
    const bytes = this.reader.bytesView(h.inline).slice();
    this.objects.push(bytes);
    return bytes;
  }

  /**
   * §3.11: the associative part (name/value pairs ended by "") then the dense part. An array
   * without an associative part is a JS array; otherwise an AmfEcmaArray. It is registered
   * before its members are read, so members may refer to it.
   */
  private readArray(depth: number): AmfValue {
    const h = this.readHeader('Array');
    if ('ref' in h) return h.ref;
    checkDepth(depth, 'AMF3 array');
    const denseCount = h.inline;
    checkDeclaredCount(denseCount, 1, this.reader.remaining, 'AMF3 array dense part');
    const firstKey = this.readString();
    if (firstKey === '') {
      const dense: AmfValue[] = [];
      this.objects.push(dense);
      this.readDense(dense, denseCount, depth);
      return dense;
    }
    const mixed = new AmfEcmaArray();
    this.objects.push(mixed);
    let count = 0;
    for (let key = firstKey; key !== ''; key = this.readString()) {
      checkElementCount(++count, 'AMF3 array associative part');
      mixed.properties[key] = this.readValue(depth + 1);
    }
    this.readDense(mixed.elements, denseCount, depth);
    return mixed;
  }

  private readDense(into: AmfValue[], count: number, depth: number): void {
    for (let i = 0; i < count; i++) into.push(this.readValue(depth + 1));
  }

  /** §3.12: object reference, traits reference or inline traits, then sealed and dynamic members. */
  private readObject(depth: number): AmfValue {
    const header = readU29(this.reader);
    if ((header & U29O_INLINE) === 0) return this.lookup(this.objects, header >>> 1, 'object');
    checkDepth(depth, 'AMF3 object');
    const traits = this.readTraits(header);
    if (traits.externalizable) {
      throw new UnsupportedError(`AMF3: externalizable object of class "${traits.className}" is not supported`, {
        className: traits.className,
      });
    }
    const properties: AmfObject = createAmfObject();
    const anonymous = traits.className === '' && traits.sealedMembers.length === 0 && traits.dynamic;
    const value = anonymous
      ? properties
      : new AmfTypedObject(traits.className, properties, traits.sealedMembers, traits.dynamic);
    this.objects.push(value);
    for (const name of traits.sealedMembers) properties[name] = this.readValue(depth + 1);
    if (traits.dynamic) {
      let count = traits.sealedMembers.length;
      for (let key = this.readString(); key !== ''; key = this.readString()) {
        checkElementCount(++count, `AMF3 object "${traits.className}"`);
        properties[key] = this.readValue(depth + 1);
      }
    }
    return value;
  }

  /** Traits from a U29O header of an inline object: a traits reference or inline traits. */
  private readTraits(header: number): Amf3Traits {
    if ((header & U29O_TRAITS_INLINE) === 0) return this.lookup(this.traitsTable, header >>> 2, 'traits');
    if (header & U29O_TRAITS_EXTERNALIZABLE) {
      const traits = { className: this.readString(), sealedMembers: [], dynamic: false, externalizable: true };
      this.traitsTable.push(traits);
      return traits;
    }
    const sealedCount = header >>> 4;
    checkDeclaredCount(sealedCount, 1, this.reader.remaining, 'AMF3 traits sealed members');
    const className = this.readString();
    const sealedMembers: string[] = [];
    for (let i = 0; i < sealedCount; i++) sealedMembers.push(this.readString());
    const traits = { className, sealedMembers, dynamic: (header & U29O_TRAITS_DYNAMIC) !== 0, externalizable: false };
    this.traitsTable.push(traits);
    return traits;
  }

  /** §3.15: count, fixed flag, then 4-byte ints/uints or 8-byte doubles. */
  private readNumberVector(kind: AmfVectorKind, size: number): AmfValue {
    const h = this.readHeader(`Vector.<${kind}>`);
    if ('ref' in h) return h.ref;
    const r = this.reader;
    checkDeclaredCount(h.inline, size, r.remaining - 1, `AMF3 Vector.<${kind}>`);
    const fixed = r.u8() !== 0;
    const items: number[] = [];
    for (let i = 0; i < h.inline; i++) items.push(kind === 'int' ? r.i32() : kind === 'uint' ? r.u32() : r.f64());
    const vector = new AmfVector(kind, items, fixed);
    this.objects.push(vector);
    return vector;
  }

  private readObjectVector(depth: number): AmfValue {
    const h = this.readHeader('Vector.<Object>');
    if ('ref' in h) return h.ref;
    checkDepth(depth, 'AMF3 Vector.<Object>');
    checkDeclaredCount(h.inline, 1, this.reader.remaining, 'AMF3 Vector.<Object>');
    const fixed = this.reader.u8() !== 0;
    const vector = new AmfVector('object', [], fixed, this.readString());
    this.objects.push(vector);
    for (let i = 0; i < h.inline; i++) vector.items.push(this.readValue(depth + 1));
    return vector;
  }

  /** §3.16: count, weak-keys flag, then key/value pairs. */
  private readDictionary(depth: number): AmfValue {
    const h = this.readHeader('Dictionary');
    if ('ref' in h) return h.ref;
    checkDepth(depth, 'AMF3 Dictionary');
    checkDeclaredCount(h.inline, 2, this.reader.remaining, 'AMF3 Dictionary');
    const dictionary = new AmfDictionary([], this.reader.u8() !== 0);
    this.objects.push(dictionary);
    for (let i = 0; i < h.inline; i++) {
      const key = this.readValue(depth + 1);
      dictionary.entries.push([key, this.readValue(depth + 1)]);
    }
    return dictionary;
  }
}

/** Decodes exactly one AMF3 value that fills `bytes`. */
export function decodeAmf3(bytes: Uint8Array): AmfValue {
  const reader = new ByteReader(bytes, 'AMF3');
  const value = new Amf3Decoder(reader).readValue();
  if (!reader.atEnd) {
    throw new ProtocolError(`AMF3: ${reader.remaining} trailing bytes after the value`, { offset: reader.offset });
  }
  return value;
}
