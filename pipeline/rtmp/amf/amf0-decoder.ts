// AMF0 decoder (Adobe AMF0 spec §2), switching to AMF3 on the avmplus-object marker (§3.1).
import { ByteReader } from '../../core/byte-reader.js';
import { ProtocolError, UnsupportedError } from '../../core/errors.js';
import { checkDeclaredCount, checkDepth, checkElementCount } from './amf-limits.js';
import { AMF_UNSUPPORTED, AmfEcmaArray, AmfTypedObject, AmfXmlDocument, createAmfObject } from './amf-types.js';
import { decodeUtf8 } from './amf-utf8.js';
import type { AmfObject, AmfValue } from './amf-value.js';
import { AMF0_MARKER } from './amf0-markers.js';
import { Amf3Decoder } from './amf3-decoder.js';

/**
 * Reads AMF0 values from a reader. Use one decoder per message body: the reference table
 * (§2.9) and the AMF3 tables behind any avmplus switch are scoped to it.
 */
export class Amf0Decoder {
  /** Complex objects (object, typed object, ECMA array, strict array) in order of appearance. */
  private readonly references: AmfValue[] = [];
  private amf3: Amf3Decoder | undefined;

  constructor(private readonly reader: ByteReader) {}

  get atEnd(): boolean {
    return this.reader.atEnd;
  }

  /** Reads every value left, as one body; their count is bounded like an array's. */
  readRemaining(what = 'AMF0 value sequence'): AmfValue[] {
    const values: AmfValue[] = [];
    while (!this.reader.atEnd) {
      checkElementCount(values.length + 1, what);
      values.push(this.readValue());
    }
    return values;
  }

  /** Reads one value; `depth` counts the containers around it (for MAX_AMF_DEPTH). */
  readValue(depth = 0): AmfValue {
    const r = this.reader;
    const marker = r.u8();
    switch (marker) {
      case AMF0_MARKER.NUMBER:
        return r.f64();
      case AMF0_MARKER.BOOLEAN:
        return r.u8() !== 0;
      case AMF0_MARKER.STRING:
        return decodeUtf8(r.bytesView(r.u16()));
      case AMF0_MARKER.LONG_STRING:
        return decodeUtf8(r.bytesView(r.u32()));
      case AMF0_MARKER.NULL:
        return null;
      case AMF0_MARKER.UNDEFINED:
        return undefined;
      case AMF0_MARKER.UNSUPPORTED:
        return AMF_UNSUPPORTED;
      case AMF0_MARKER.DATE: {
        // §2.13: milliseconds since the epoch, then a reserved time zone (S16) that is ignored.
        const ms = r.f64();
        r.skip(2);
        return new Date(ms);
      }
      case AMF0_MARKER.XML_DOCUMENT:
        return new AmfXmlDocument(decodeUtf8(r.bytesView(r.u32())));
      case AMF0_MARKER.OBJECT:
        {
        const object = createAmfObject();
        return this.readProperties(object, object, depth, 'AMF0 object');
      }
      case AMF0_MARKER.TYPED_OBJECT: {
        const className = decodeUtf8(r.bytesView(r.u16()));
        const typed = new AmfTypedObject(className);
        return this.readProperties(typed, typed.properties, depth, `AMF0 typed object "${className}"`);
      }
      case AMF0_MARKER.ECMA_ARRAY: {
        // §2.10: the associative count is only a hint (encoders get it wrong); the end marker rules.
        r.skip(4);
        const array = new AmfEcmaArray();
        return this.readProperties(array, array.properties, depth, 'AMF0 ECMA array');
      }
      case AMF0_MARKER.STRICT_ARRAY:
        return this.readStrictArray(depth);
      case AMF0_MARKER.REFERENCE:
        return this.readReference();
      case AMF0_MARKER.AVMPLUS_OBJECT:
        this.amf3 ??= new Amf3Decoder(r);
        return this.amf3.readValue(depth);
      case AMF0_MARKER.OBJECT_END:
        throw new ProtocolError('AMF0: object-end marker outside an object', { offset: r.offset - 1 });
      case AMF0_MARKER.MOVIECLIP:
      case AMF0_MARKER.RECORDSET:
        throw new UnsupportedError(
          `AMF0: ${marker === AMF0_MARKER.MOVIECLIP ? 'movieclip' : 'recordset'} (0x0${marker.toString(16)}) is reserved and not supported`,
          { marker, offset: r.offset - 1 },
        );
      default:
        throw new ProtocolError(`AMF0: unknown type marker 0x${marker.toString(16).padStart(2, '0')}`, {
          marker,
          offset: r.offset - 1,
        });
    }
  }

  /**
   * §2.5: name/value pairs until an empty name followed by object-end. An empty name followed
   * by any other marker is a property named "". The container is registered for references
   * before its members are read, so members may refer to it.
   */
  private readProperties(container: AmfValue, into: AmfObject, depth: number, what: string): AmfValue {
    checkDepth(depth, what);
    this.references.push(container);
    const r = this.reader;
    for (let count = 1; ; count++) {
      const name = decodeUtf8(r.bytesView(r.u16()));
      if (name === '' && r.peekU8() === AMF0_MARKER.OBJECT_END) {
        r.skip(1);
        return container;
      }
      checkElementCount(count, what);
      into[name] = this.readValue(depth + 1);
    }
  }

  private readStrictArray(depth: number): AmfValue[] {
    checkDepth(depth, 'AMF0 strict array');
    const count = this.reader.u32();
    checkDeclaredCount(count, 1, this.reader.remaining, 'AMF0 strict array');
    const array: AmfValue[] = [];
    this.references.push(array);
    for (let i = 0; i < count; i++) array.push(this.readValue(depth + 1));
    return array;
  }

  /** §2.9: a 0-based U16 index into the complex objects read so far in this body. */
  private readReference(): AmfValue {
    const index = this.reader.u16();
    if (index >= this.references.length) {
      throw new ProtocolError(`AMF0 reference ${index} is out of range (table has ${this.references.length})`, {
        index,
        size: this.references.length,
      });
    }
    return this.references[index];
  }
}

/** Decodes exactly one AMF0 value that fills `bytes`. */
export function decodeAmf0(bytes: Uint8Array): AmfValue {
  const reader = new ByteReader(bytes, 'AMF0');
  const value = new Amf0Decoder(reader).readValue();
  if (!reader.atEnd) {
    throw new ProtocolError(`AMF0: ${reader.remaining} trailing bytes after the value`, { offset: reader.offset });
  }
  return value;
}

/** Decodes the AMF0 values that fill `bytes` (one body: references span all of them). */
export function decodeAmf0Values(bytes: Uint8Array): AmfValue[] {
  return new Amf0Decoder(new ByteReader(bytes, 'AMF0')).readRemaining();
}
