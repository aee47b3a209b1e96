// AMF types without a plain JS equivalent (AMF0 spec §2.10-2.18, AMF3 spec §3.9-3.16).
import type { AmfObject, AmfValue } from './amf-value.js';

/** A fresh anonymous object with a null prototype, so a key such as "__proto__" stays a key. */
export function createAmfObject(entries: Iterable<readonly [string, AmfValue]> = []): AmfObject {
  const obj = Object.create(null) as AmfObject;
  for (const [key, value] of entries) obj[key] = value;
  return obj;
}

/**
 * An associative array: AMF0 ecma-array (§2.10) or an AMF3 array with an associative part
 * (§3.11). onMetaData arrives as one, and re-encodes as one.
 * `elements` is the AMF3 dense part; AMF0 has none (the AMF0 encoder writes it as keys "0".."n-1").
 */
export class AmfEcmaArray {
  constructor(
    readonly properties: AmfObject = createAmfObject(),
    readonly elements: AmfValue[] = [],
  ) {}
}

/**
 * An instance of a named class: AMF0 typed-object (§2.18) or an AMF3 object (§3.12) with a class
 * name or sealed members. `sealedMembers` and `dynamic` are the AMF3 traits; the default
 * (no sealed members, dynamic) is what AMF0, which has no traits, decodes to.
 */
export class AmfTypedObject {
  constructor(
    readonly className: string,
    readonly properties: AmfObject = createAmfObject(),
    /** Names written in the traits, in order, before any dynamic member (AMF3 only). */
    readonly sealedMembers: readonly string[] = [],
    /** Whether members outside sealedMembers may follow (AMF3 only). */
    readonly dynamic = true,
  ) {}
}

/** A flash.xml.XMLDocument: AMF0 xml-document (§2.17), AMF3 XMLDocument (§3.9). */
export class AmfXmlDocument {
  constructor(readonly xml: string) {}
}

/** An E4X XML value: AMF3 XML (§3.13). AMF0 has no such type; its encoder switches to AMF3. */
export class AmfXml {
  constructor(readonly xml: string) {}
}

export type AmfVectorKind = 'int' | 'uint' | 'double' | 'object';

/**
 * An AMF3 Vector (§3.15). Items are numbers for the int, uint and double kinds, any value for
 * the object kind; `objectTypeName` is the element class name of an object vector.
 */
export class AmfVector {
  constructor(
    readonly kind: AmfVectorKind,
    readonly items: AmfValue[],
    readonly fixed = false,
    readonly objectTypeName = '',
  ) {}
}

/** An AMF3 Dictionary (§3.16): keys may be any value, so entries are pairs, in wire order. */
export class AmfDictionary {
  constructor(
    readonly entries: [AmfValue, AmfValue][] = [],
    readonly weakKeys = false,
  ) {}
}

/** AMF0 unsupported-marker (§2.15): the sender had a value it could not serialise. */
export class AmfUnsupported {
  readonly unsupported = true;
}

/** The one AmfUnsupported value decoders return. */
export const AMF_UNSUPPORTED: AmfUnsupported = Object.freeze(new AmfUnsupported());

/**
 * The properties of a value that carries named properties (an anonymous object, an ECMA array
 * or a typed object), e.g. onMetaData sent either as an object or as an ECMA array.
 */
export function amfPropertiesOf(value: AmfValue): AmfObject | undefined {
  if (value instanceof AmfEcmaArray || value instanceof AmfTypedObject) return value.properties;
  return isAmfObject(value) ? value : undefined;
}

/** True for an anonymous object (null or Object prototype), false for every other value. */
export function isAmfObject(value: AmfValue): value is AmfObject {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** A short name of a value's AMF kind, for error messages. */
export function describeAmfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return 'object';
  return (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
}
