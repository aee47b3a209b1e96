import { describe, expect, it } from 'vitest';
import {
  LimitError,
  ProtocolError,
  TruncatedError,
  UnsupportedError,
  type PipelineError,
} from '../../../../pipeline/core/errors.js';
import { MAX_AMF_DEPTH } from '../../../../pipeline/core/limits.js';
import {
  AMF_UNSUPPORTED,
  AmfDictionary,
  AmfEcmaArray,
  AmfTypedObject,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
  createAmfObject,
  decodeAmf3,
  encodeAmf3,
  type AmfObject,
  type AmfValue,
} from '../../../../pipeline/rtmp/amf/index.js';
import { ascii, fromHex, obj, toHex, type AmfCase } from './amf-arbitraries.js';

const CASES: readonly AmfCase[] = [
  { name: 'undefined (§3.2)', value: undefined, hex: '00' },
  { name: 'null (§3.3)', value: null, hex: '01' },
  { name: 'false (§3.4)', value: false, hex: '02' },
  { name: 'true (§3.5)', value: true, hex: '03' },
  // integer (§3.6), U29 boundaries (§1.3.1)
  { name: 'integer 0', value: 0, hex: '04 00' },
  { name: 'integer 127 (1-byte U29 max)', value: 127, hex: '04 7f' },
  { name: 'integer 128 (2-byte U29)', value: 128, hex: '04 81 00' },
  { name: 'integer 16383 (2-byte U29 max)', value: 16383, hex: '04 ff 7f' },
  { name: 'integer 16384 (3-byte U29)', value: 16384, hex: '04 81 80 00' },
  { name: 'integer 2097151 (3-byte U29 max)', value: 2097151, hex: '04 ff ff 7f' },
  { name: 'integer 2097152 (4-byte U29)', value: 2097152, hex: '04 80 c0 80 00' },
  { name: 'integer 2^28-1 (largest)', value: 0x0fffffff, hex: '04 bf ff ff ff' },
  { name: 'integer -1', value: -1, hex: '04 ff ff ff ff' },
  { name: 'integer -2^28 (smallest)', value: -0x10000000, hex: '04 c0 80 80 00' },
  // double (§3.7)
  { name: 'double 2^28 (past integer range)', value: 2 ** 28, hex: '05 41 b0 00 00 00 00 00 00' },
  { name: 'double -2^28-1', value: -(2 ** 28) - 1, hex: '05 c1 b0 00 00 01 00 00 00' },
  { name: 'double 1.5', value: 1.5, hex: '05 3f f8 00 00 00 00 00 00' },
  { name: 'double -0 (not an integer)', value: -0, hex: '05 80 00 00 00 00 00 00 00' },
  { name: 'double NaN', value: NaN, hex: '05 7f f8 00 00 00 00 00 00' },
  // string (§3.8)
  { name: 'empty string', value: '', hex: '06 01' },
  { name: 'string "abc"', value: 'abc', hex: `06 07 ${ascii('abc')}` },
  { name: 'string "é"', value: 'é', hex: '06 05 c3 a9' },
  { name: 'repeated string by reference', value: ['ab', 'ab'], hex: '09 05 01 06 05 61 62 06 00' },
  { name: 'empty strings are never references', value: ['', ''], hex: '09 05 01 06 01 06 01' },
  // XMLDocument (§3.9), Date (§3.10), XML (§3.13), ByteArray (§3.14)
  { name: 'XMLDocument', value: new AmfXmlDocument('<a/>'), hex: `07 09 ${ascii('<a/>')}` },
  { name: 'date 1000 ms', value: new Date(1000), hex: '08 01 40 8f 40 00 00 00 00 00' },
  { name: 'XML', value: new AmfXml('<a/>'), hex: `0b 09 ${ascii('<a/>')}` },
  { name: 'ByteArray', value: Uint8Array.of(1, 2, 3), hex: '0c 07 01 02 03' },
  // Array (§3.11)
  { name: 'empty array', value: [], hex: '09 01 01' },
  { name: 'dense array [1, true]', value: [1, true], hex: '09 05 01 04 01 03' },
  { name: 'associative + dense array', value: new AmfEcmaArray(obj({ a: 1 }), [true]), hex: '09 03 03 61 04 01 01 03' },
  { name: 'associative-only array', value: new AmfEcmaArray(obj({ a: null })), hex: '09 01 03 61 01 01' },
  // Object (§3.12)
  { name: 'anonymous object {a: 1}', value: obj({ a: 1 }), hex: '0a 0b 01 03 61 04 01 01' },
  { name: 'empty anonymous object', value: obj({}), hex: '0a 0b 01 01' },
  {
    name: 'sealed typed object Foo {x: 1}',
    value: new AmfTypedObject('Foo', obj({ x: 1 }), ['x'], false),
    hex: `0a 13 07 ${ascii('Foo')} 03 78 04 01`,
  },
  {
    name: 'typed object with sealed x and dynamic y',
    value: new AmfTypedObject('Foo', obj({ x: 1, y: 2 }), ['x'], true),
    hex: `0a 1b 07 ${ascii('Foo')} 03 78 04 01 03 79 04 02 01`,
  },
  {
    name: 'second object with the same traits by traits reference',
    value: [obj({ a: 1 }), obj({ a: 2 })],
    hex: '09 05 01 0a 0b 01 03 61 04 01 01 0a 01 00 04 02 01',
  },
  // Vector (§3.15), Dictionary (§3.16)
  { name: 'Vector.<int>', value: new AmfVector('int', [1, -1]), hex: '0d 05 00 00 00 00 01 ff ff ff ff' },
  { name: 'Vector.<uint> fixed', value: new AmfVector('uint', [0xffffffff], true), hex: '0e 03 01 ff ff ff ff' },
  { name: 'Vector.<Number>', value: new AmfVector('double', [1.5]), hex: '0f 03 00 3f f8 00 00 00 00 00 00' },
  {
    name: 'Vector.<String> (object vector)',
    value: new AmfVector('object', ['a'], false, 'String'),
    hex: `10 03 00 0d ${ascii('String')} 06 03 61`,
  },
  {
    name: 'Dictionary {"k": 1}',
    value: new AmfDictionary([['k', 1]]),
    hex: '11 03 00 06 03 6b 04 01',
  },
  {
    name: 'Dictionary with an object key, weak keys',
    value: new AmfDictionary([[obj({}), null]], true),
    hex: '11 03 01 0a 0b 01 01 01',
  },
];

describe('AMF3 case table', () => {
  it.each(CASES)('$name: encodes to the spec bytes', ({ name, value, hex }) => {
    expect(toHex(encodeAmf3(value)), `encoding ${name}`).toBe(toHex(fromHex(hex)));
  });

  it.each(CASES)('$name: decodes from the spec bytes', ({ name, value, hex }) => {
    expect(decodeAmf3(fromHex(hex)), `decoding ${name}`).toStrictEqual(value);
  });
});

describe('AMF3 references', () => {
  it('writes a repeated object as an object reference and decodes the same instance', () => {
    const shared = obj({ a: 1 });
    const bytes = encodeAmf3([shared, shared]);
    // the array is object 0, the shared object is object 1
    expect(toHex(bytes)).toBe('09 05 01 0a 0b 01 03 61 04 01 01 0a 02');
    const back = decodeAmf3(bytes) as AmfValue[];
    expect(back[1], 'second element is the first instance').toBe(back[0]);
  });

  it('round-trips a cyclic object', () => {
    const cyclic = createAmfObject();
    cyclic.self = cyclic;
    const bytes = encodeAmf3(cyclic);
    expect(toHex(bytes)).toBe(`0a 0b 01 09 ${ascii('self')} 0a 00 01`);
    const back = decodeAmf3(bytes) as AmfObject;
    expect(back.self, 'self refers to the decoded object').toBe(back);
  });

  it('shares one object table across dates, arrays, byte arrays and objects', () => {
    const date = new Date(5);
    const bytes = Uint8Array.of(9);
    const back = decodeAmf3(encodeAmf3([date, bytes, date, bytes])) as AmfValue[];
    expect(back[2]).toBe(back[0]);
    expect(back[3]).toBe(back[1]);
    expect(back[0]).toStrictEqual(date);
  });

  it('decodes string references used as dynamic keys and class names', () => {
    // [ {a: "a"}, T{} sealed none, not dynamic, class "T", then class name "T" again by reference ]
    const hex = '09 07 01 0a 0b 01 03 61 06 00 01 0a 03 03 54 0a 03 02';
    const back = decodeAmf3(fromHex(hex)) as AmfValue[];
    expect(back[0]).toStrictEqual(obj({ a: 'a' }));
    expect(back[1]).toStrictEqual(new AmfTypedObject('T', obj({}), [], false));
    expect(back[2]).toStrictEqual(new AmfTypedObject('T', obj({}), [], false));
    expect(back[2], 'two objects, not a reference').not.toBe(back[1]);
  });

  it('keeps "__proto__" as an own key of a null-prototype object', () => {
    const v = decodeAmf3(fromHex(`0a 0b 01 13 ${ascii('__proto__')} 04 01 01`)) as AmfObject;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });
});

interface ErrorCase {
  readonly name: string;
  readonly hex: string;
  readonly error: new (...args: never[]) => PipelineError;
  readonly message: RegExp;
}

const nestedArrays = (levels: number): string => '09 03 01 '.repeat(levels) + '01';

const ERROR_CASES: readonly ErrorCase[] = [
  { name: 'empty input', hex: '', error: TruncatedError, message: /AMF3/ },
  { name: 'truncated U29', hex: '04 80', error: TruncatedError, message: /AMF3/ },
  { name: 'unknown marker 0x12', hex: '12', error: ProtocolError, message: /unknown type marker 0x12/ },
  { name: 'string reference past the table', hex: '06 00', error: ProtocolError, message: /string reference 0 is out of range/ },
  { name: 'object reference past the table', hex: '0a 02', error: ProtocolError, message: /object reference 1 is out of range/ },
  { name: 'traits reference past the table', hex: '0a 01', error: ProtocolError, message: /traits reference 0 is out of range/ },
  { name: 'date reference past the table', hex: '08 00', error: ProtocolError, message: /Date reference 0/ },
  {
    name: 'externalizable object',
    hex: `0a 07 43 ${ascii('flex.messaging.io.ArrayCollection')}`,
    error: UnsupportedError,
    message: /externalizable object of class "flex\.messaging\.io\.ArrayCollection"/,
  },
  { name: 'array declaring 2^28-1 elements', hex: '09 ff ff ff ff 01', error: LimitError, message: /MAX_AMF_ELEMENTS/ },
  { name: 'array longer than the input', hex: '09 81 01 01 01', error: TruncatedError, message: /declares 64/ },
  { name: 'ByteArray longer than the input', hex: '0c bf ff ff ff 00', error: TruncatedError, message: /needs 134217727/ },
  { name: 'Vector.<int> longer than the input', hex: '0d 05 00 00 00 00 01', error: TruncatedError, message: /declares 2/ },
  { name: 'Vector.<Number> over the element limit', hex: '0f 88 80 03 00', error: LimitError, message: /MAX_AMF_ELEMENTS/ },
  { name: 'Dictionary longer than the input', hex: '11 05 00 01 01', error: TruncatedError, message: /declares 2/ },
  { name: 'traits with too many sealed members', hex: '0a c0 80 13', error: LimitError, message: /sealed members/ },
  { name: `${MAX_AMF_DEPTH + 1} nested arrays`, hex: nestedArrays(MAX_AMF_DEPTH + 1), error: LimitError, message: /MAX_AMF_DEPTH/ },
  { name: 'trailing bytes', hex: '01 01', error: ProtocolError, message: /1 trailing bytes/ },
];

describe('AMF3 decoding errors', () => {
  it.each(ERROR_CASES)('$name: throws $error.name', ({ hex, error, message }) => {
    expect(() => decodeAmf3(fromHex(hex))).toThrow(error);
    expect(() => decodeAmf3(fromHex(hex))).toThrow(message);
  });

  it(`accepts exactly ${MAX_AMF_DEPTH} nested arrays`, () => {
    expect(() => decodeAmf3(fromHex(nestedArrays(MAX_AMF_DEPTH)))).not.toThrow();
  });
});

describe('AMF3 encoding choices and errors', () => {
  it('writes an AMF0 unsupported value as undefined (AMF3 has no such type)', () => {
    expect(toHex(encodeAmf3(AMF_UNSUPPORTED))).toBe('00');
  });

  it('rejects an empty dynamic property name, which would end the member list', () => {
    expect(() => encodeAmf3(obj({ '': 1 }))).toThrow(UnsupportedError);
    expect(() => encodeAmf3(new AmfEcmaArray(obj({ '': 1 })))).toThrow(/empty property name/);
  });

  it('accepts an empty sealed member name (sealed names are counted, not terminated)', () => {
    const v = new AmfTypedObject('T', obj({ '': 1 }), [''], false);
    expect(decodeAmf3(encodeAmf3(v))).toStrictEqual(v);
  });

  it('marks a typed object dynamic when it has keys outside its sealed members', () => {
    const bytes = encodeAmf3(new AmfTypedObject('T', obj({ x: 1 }), [], false));
    expect(toHex(bytes)).toBe('0a 0b 03 54 03 78 04 01 01');
  });

  it('rejects a non-number in a numeric vector', () => {
    expect(() => encodeAmf3(new AmfVector('int', ['1']))).toThrow(/item is a string, not a number/);
  });

  it('fails past MAX_AMF_DEPTH when encoding', () => {
    let deep: AmfValue = null;
    for (let i = 0; i <= MAX_AMF_DEPTH; i++) deep = [deep];
    expect(() => encodeAmf3(deep)).toThrow(LimitError);
  });
});
