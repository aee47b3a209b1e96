// fast-check arbitraries for the AMF value model, and hex helpers shared by the AMF tests.
import fc from 'fast-check';
import {
  AMF3_INT_MAX,
  AMF3_INT_MIN,
  AMF_UNSUPPORTED,
  AmfDictionary,
  AmfEcmaArray,
  AmfTypedObject,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
  createAmfObject,
  type AmfObject,
  type AmfValue,
} from '../../../../pipeline/rtmp/amf/index.js';
import { isPipelineError } from '../../../../pipeline/core/errors.js';

/** "00 3f f0" → bytes; spaces and newlines are ignored. */
/** An anonymous AMF object from a plain literal, for case tables. */
export const obj = (o: Record<string, AmfValue>): AmfObject => createAmfObject(Object.entries(o));

/** One row of an AMF case table: encode(value) gives hex, and decode(hex) gives value. */
export interface AmfCase {
  readonly name: string;
  readonly value: AmfValue;
  /** The bytes, written by hand from the spec. */
  readonly hex: string;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex fixture: ${hex}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** bytes → "00 3f f0" */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The hex of an ASCII string's bytes, for readable fixtures: ascii('app') = '61 70 70'. */
export function ascii(s: string): string {
  return toHex(Uint8Array.from(s, (c) => c.charCodeAt(0)));
}

/** Runs `decode` and fails with the input's hex if it throws anything but a PipelineError. */
export function expectOnlyPipelineErrors(decode: () => unknown, input: Uint8Array): void {
  try {
    decode();
  } catch (err) {
    if (!isPipelineError(err)) {
      throw new Error(`input ${toHex(input)} raised a non-pipeline error: ${String(err)}`, { cause: err });
    }
  }
}

/**
 * A value as plain nested arrays, for deep comparison: class instances are tagged with their
 * class, objects with their prototype and keys sorted. (Comparing the values themselves trips
 * over an own key named "constructor", which deep-equality helpers take for the type.)
 */
export function shape(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return ['Date', value.getTime()];
  if (value instanceof Uint8Array) return ['Uint8Array', Array.from(value)];
  if (Array.isArray(value)) return ['Array', value.map(shape)];
  const proto: unknown = Object.getPrototypeOf(value);
  const kind = proto === null ? 'null-prototype object' : proto === Object.prototype ? 'object' : value.constructor.name;
  const keys = Object.keys(value).sort();
  return [kind, keys.map((k) => [k, shape((value as Record<string, unknown>)[k])])];
}

const text = fc.string({ unit: 'binary', maxLength: 12 });
const key = fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '0'));
const nonEmptyKey = key.filter((k) => k !== '');
const date = fc.date({ noInvalidDate: true });
const number = fc.oneof(
  fc.double(),
  fc.integer({ min: AMF3_INT_MIN, max: AMF3_INT_MAX }),
  fc.constantFrom(0, -0, 2 ** 28, -(2 ** 28) - 1, AMF3_INT_MIN, AMF3_INT_MAX, Number.MAX_SAFE_INTEGER),
);

function entries(keys: fc.Arbitrary<string>, value: fc.Arbitrary<AmfValue>, minLength = 0) {
  return fc.uniqueArray(fc.tuple(keys, value), { selector: (e) => e[0], minLength, maxLength: 4 });
}

function objectOf(keys: fc.Arbitrary<string>, value: fc.Arbitrary<AmfValue>, minLength = 0) {
  return entries(keys, value, minLength).map((e) => createAmfObject(e));
}

/** Values found only in AMF3: ByteArray, E4X XML, numeric vectors. */
const amf3OnlyLeaf: fc.Arbitrary<AmfValue> = fc.oneof(
  fc.uint8Array({ maxLength: 8 }),
  text.map((s) => new AmfXml(s)),
  fc.tuple(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 4 }), fc.boolean()).map(
    ([items, fixed]) => new AmfVector('int', items, fixed),
  ),
  fc.tuple(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 4 }), fc.boolean()).map(
    ([items, fixed]) => new AmfVector('uint', items, fixed),
  ),
  fc.tuple(fc.array(fc.double(), { maxLength: 4 }), fc.boolean()).map(([items, fixed]) => new AmfVector('double', items, fixed)),
);

/**
 * Any AMF3 value that round-trips through AMF3: dynamic member and associative keys are
 * non-empty (the empty name ends those lists), ECMA arrays have at least one named key (else
 * they are plain arrays), typed objects have a class name, and there is no AMF0 "unsupported".
 */
export const amf3Value: fc.Arbitrary<AmfValue> = fc.letrec<{ value: AmfValue }>((tie) => {
  const value = tie('value');
  return {
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom<AmfValue>(undefined, null, true, false),
      number,
      text,
      date,
      text.map((s) => new AmfXmlDocument(s)),
      amf3OnlyLeaf,
      fc.array(value, { maxLength: 4 }),
      objectOf(nonEmptyKey, value),
      fc.tuple(objectOf(nonEmptyKey, value, 1), fc.array(value, { maxLength: 3 })).map(([p, e]) => new AmfEcmaArray(p, e)),
      fc
        .record({
          className: text.filter((s) => s !== ''),
          members: fc.uniqueArray(fc.tuple(nonEmptyKey, value, fc.boolean()), { selector: (e) => e[0], maxLength: 4 }),
          dynamic: fc.boolean(),
        })
        .map(({ className, members, dynamic }) => {
          const properties = createAmfObject(members.map(([k, v]) => [k, v] as const));
          const sealed = members.filter((m) => m[2]).map((m) => m[0]);
          return new AmfTypedObject(className, properties, sealed, dynamic || sealed.length < members.length);
        }),
      fc.tuple(fc.array(value, { maxLength: 3 }), fc.boolean(), text).map(([items, fixed, t]) => new AmfVector('object', items, fixed, t)),
      fc.tuple(fc.array(fc.tuple(value, value), { maxLength: 3 }), fc.boolean()).map(([e, weak]) => new AmfDictionary(e, weak)),
    ),
  };
}).value;

/**
 * Any value that round-trips through AMF0: typed objects have the default (AMF0) traits, ECMA
 * arrays have no dense part; AMF3-only values (sent behind the avmplus marker) hold AMF3 values.
 */
export const amf0Value: fc.Arbitrary<AmfValue> = fc.letrec<{ value: AmfValue }>((tie) => {
  const value = tie('value');
  return {
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom<AmfValue>(undefined, null, true, false, AMF_UNSUPPORTED),
      fc.double(),
      text,
      date,
      text.map((s) => new AmfXmlDocument(s)),
      amf3OnlyLeaf,
      fc.array(value, { maxLength: 4 }),
      objectOf(key, value),
      objectOf(key, value).map((p) => new AmfEcmaArray(p)),
      fc.tuple(text, objectOf(key, value)).map(([c, p]) => new AmfTypedObject(c, p)),
      fc.array(amf3Value, { maxLength: 2 }).map((items) => new AmfVector('object', items)),
      fc.array(fc.tuple(amf3Value, amf3Value), { maxLength: 2 }).map((e) => new AmfDictionary(e)),
    ),
  };
}).value;
