import { describe, expect, it } from 'vitest';
import {
  LimitError,
  ProtocolError,
  TruncatedError,
  UnsupportedError,
  type PipelineError,
} from '../../../../pipeline/core/errors.js';
import { MAX_AMF_DEPTH, MAX_AMF_ELEMENTS } from '../../../../pipeline/core/limits.js';
import {
  AMF_UNSUPPORTED,
  AmfEcmaArray,
  AmfTypedObject,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
  createAmfObject,
  decodeAmf0,
  decodeAmf0Values,
  encodeAmf0,
  encodeAmf0Values,
  type AmfObject,
  type AmfValue,
} from '../../../../pipeline/rtmp/amf/index.js';
import { ascii, fromHex, obj, toHex, type AmfCase } from './amf-arbitraries.js';

/** Canonical encodings: encode(value) gives hex, and decode(hex) gives value. */
const CASES: readonly AmfCase[] = [
  { name: 'number 1.0 (§2.2)', value: 1, hex: '00 3f f0 00 00 00 00 00 00' },
  { name: 'number 0', value: 0, hex: '00 00 00 00 00 00 00 00 00' },
  { name: 'number -0', value: -0, hex: '00 80 00 00 00 00 00 00 00' },
  { name: 'number -1.5', value: -1.5, hex: '00 bf f8 00 00 00 00 00 00' },
  { name: 'number NaN', value: NaN, hex: '00 7f f8 00 00 00 00 00 00' },
  { name: 'number Infinity', value: Infinity, hex: '00 7f f0 00 00 00 00 00 00' },
  { name: 'boolean true (§2.3)', value: true, hex: '01 01' },
  { name: 'boolean false', value: false, hex: '01 00' },
  { name: 'empty string (§2.4)', value: '', hex: '02 00 00' },
  { name: 'string "live"', value: 'live', hex: `02 00 04 ${ascii('live')}` },
  { name: 'string with a 2-byte UTF-8 char', value: 'é', hex: '02 00 02 c3 a9' },
  { name: 'string with a 4-byte UTF-8 char', value: '😀', hex: '02 00 04 f0 9f 98 80' },
  { name: 'string keeps a leading BOM', value: '\ufeffa', hex: '02 00 04 ef bb bf 61' },
  { name: 'empty object (§2.5)', value: obj({}), hex: '03 00 00 09' },
  { name: 'object {a: 1}', value: obj({ a: 1 }), hex: '03 00 01 61 00 3f f0 00 00 00 00 00 00 00 00 09' },
  { name: 'object with a property named ""', value: obj({ '': null }), hex: '03 00 00 05 00 00 09' },
  {
    name: 'nested object {o: {n: null}}',
    value: obj({ o: obj({ n: null }) }),
    hex: '03 00 01 6f 03 00 01 6e 05 00 00 09 00 00 09',
  },
  { name: 'null (§2.7)', value: null, hex: '05' },
  { name: 'undefined (§2.8)', value: undefined, hex: '06' },
  {
    name: 'ECMA array {duration: 0} (§2.10)',
    value: new AmfEcmaArray(obj({ duration: 0 })),
    hex: `08 00 00 00 01 00 08 ${ascii('duration')} 00 00 00 00 00 00 00 00 00 00 00 09`,
  },
  { name: 'empty ECMA array', value: new AmfEcmaArray(), hex: '08 00 00 00 00 00 00 09' },
  { name: 'empty strict array (§2.12)', value: [], hex: '0a 00 00 00 00' },
  {
    name: 'strict array [1, "a", null]',
    value: [1, 'a', null],
    hex: '0a 00 00 00 03 00 3f f0 00 00 00 00 00 00 02 00 01 61 05',
  },
  { name: 'date 1000 ms (§2.13)', value: new Date(1000), hex: '0b 40 8f 40 00 00 00 00 00 00 00' },
  { name: 'date epoch', value: new Date(0), hex: '0b 00 00 00 00 00 00 00 00 00 00' },
  { name: 'unsupported (§2.15)', value: AMF_UNSUPPORTED, hex: '0d' },
  { name: 'XML document (§2.17)', value: new AmfXmlDocument('<a/>'), hex: `0f 00 00 00 04 ${ascii('<a/>')}` },
  {
    name: 'typed object Foo {x: true} (§2.18)',
    value: new AmfTypedObject('Foo', obj({ x: true })),
    hex: `10 00 03 ${ascii('Foo')} 00 01 78 01 01 00 00 09`,
  },
  { name: 'ByteArray via avmplus switch (§3.1)', value: Uint8Array.of(1, 2), hex: '11 0c 05 01 02' },
  { name: 'E4X XML via avmplus switch', value: new AmfXml('<a/>'), hex: `11 0b 09 ${ascii('<a/>')}` },
  { name: 'Vector.<int> via avmplus switch', value: new AmfVector('int', [-1]), hex: '11 0d 03 00 ff ff ff ff' },
];

/** Valid input that is not what the encoder writes; decode(hex) gives value. */
const DECODE_ONLY: readonly AmfCase[] = [
  { name: 'non-zero boolean byte is true', value: true, hex: '01 02' },
  { name: 'date time zone is ignored', value: new Date(0), hex: '0b 00 00 00 00 00 00 00 00 01 e0' },
  {
    name: 'ECMA array whose count hint is wrong',
    value: new AmfEcmaArray(obj({ a: null, b: null })),
    hex: '08 00 00 00 07 00 01 61 05 00 01 62 05 00 00 09',
  },
  { name: 'long string (§2.14) that is short', value: 'ab', hex: '0c 00 00 00 02 61 62' },
  { name: 'avmplus integer', value: 5, hex: '11 04 05' },
  { name: 'avmplus anonymous object', value: obj({ a: 1 }), hex: '11 0a 0b 01 03 61 04 01 01' },
  { name: 'invalid UTF-8 becomes U+FFFD', value: '\ufffd', hex: '02 00 01 ff' },
  {
    name: 'duplicate key: the last wins',
    value: obj({ a: 2 }),
    hex: '03 00 01 61 00 3f f0 00 00 00 00 00 00 00 01 61 00 40 00 00 00 00 00 00 00 00 00 09',
  },
];

describe('AMF0 case table', () => {
  it.each(CASES)('$name: encodes to the spec bytes', ({ name, value, hex }) => {
    expect(toHex(encodeAmf0(value)), `encoding ${name}`).toBe(toHex(fromHex(hex)));
  });

  it.each([...CASES, ...DECODE_ONLY])('$name: decodes from the spec bytes', ({ name, value, hex }) => {
    expect(decodeAmf0(fromHex(hex)), `decoding ${name}`).toStrictEqual(value);
  });
});

describe('AMF0 long strings (§2.14)', () => {
  it('writes a string of 65535 UTF-8 bytes as string-type and one of 65536 as long-string', () => {
    const short = encodeAmf0('a'.repeat(0xffff));
    expect(toHex(short.subarray(0, 3)), 'string-type header').toBe('02 ff ff');
    const long = encodeAmf0('a'.repeat(0x10000));
    expect(toHex(long.subarray(0, 5)), 'long-string header').toBe('0c 00 01 00 00');
    expect(decodeAmf0(long)).toBe('a'.repeat(0x10000));
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    const s = 'é'.repeat(40000); // 80000 UTF-8 bytes in 40000 UTF-16 units
    expect(encodeAmf0(s)[0], 'marker').toBe(0x0c);
    expect(decodeAmf0(encodeAmf0(s))).toBe(s);
  });
});

describe('AMF0 references (§2.9)', () => {
  it('resolves a reference to the same object instance', () => {
    // strict array [obj, ref 1]: the array itself is reference 0, the object reference 1
    const v = decodeAmf0(fromHex('0a 00 00 00 02 03 00 01 61 05 00 00 09 07 00 01')) as AmfValue[];
    expect(v[0]).toStrictEqual(obj({ a: null }));
    expect(v[1], 'the reference is the same instance').toBe(v[0]);
  });

  it('resolves a reference to an enclosing object (a cycle)', () => {
    const v = decodeAmf0(fromHex('03 00 04 73 65 6c 66 07 00 00 00 00 09')) as AmfObject;
    expect(v.self, 'self refers to the object').toBe(v);
  });

  it('numbers typed objects and ECMA arrays in the same table, across values of one body', () => {
    const values = decodeAmf0Values(fromHex(`10 00 01 54 00 00 09 08 00 00 00 00 00 00 09 07 00 00 07 00 01`));
    expect(values[2], 'reference 0 is the typed object').toBe(values[0]);
    expect(values[3], 'reference 1 is the ECMA array').toBe(values[1]);
  });

  it('rejects an index past the table with a ProtocolError', () => {
    expect(() => decodeAmf0(fromHex('0a 00 00 00 01 07 00 01'))).toThrow(ProtocolError);
    expect(() => decodeAmf0(fromHex('07 00 00'))).toThrow(/reference 0 is out of range/);
  });
});

describe('AMF0 prototype safety', () => {
  it('keeps "__proto__" and "constructor" as own keys of a null-prototype object', () => {
    const bytes = fromHex(`03 00 09 ${ascii('__proto__')} 03 00 01 78 01 01 00 00 09 00 0b ${ascii('constructor')} 05 00 00 09`);
    const v = decodeAmf0(bytes) as AmfObject;
    expect(Object.getPrototypeOf(v), 'decoded object prototype').toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect(v['__proto__']).toStrictEqual(obj({ x: true }));
    expect(({} as Record<string, unknown>).x, 'Object.prototype was not polluted').toBeUndefined();
    expect(toHex(encodeAmf0(v)), 'round trip').toBe(toHex(bytes));
  });

  it('gives ECMA arrays and typed objects null-prototype properties too', () => {
    const ecma = decodeAmf0(fromHex(`08 00 00 00 01 00 09 ${ascii('__proto__')} 05 00 00 09`)) as AmfEcmaArray;
    expect(Object.getPrototypeOf(ecma.properties)).toBeNull();
    expect(Object.keys(ecma.properties)).toEqual(['__proto__']);
  });
});

interface ErrorCase {
  readonly name: string;
  readonly hex: string;
  readonly error: new (...args: never[]) => PipelineError;
  readonly message: RegExp;
}

const nested = (levels: number): string => '0a 00 00 00 01 '.repeat(levels) + '05';

const ERROR_CASES: readonly ErrorCase[] = [
  { name: 'empty input', hex: '', error: TruncatedError, message: /AMF0/ },
  { name: 'truncated number', hex: '00 3f f0', error: TruncatedError, message: /needs 8 more bytes/ },
  { name: 'string longer than the input', hex: '02 00 05 61', error: TruncatedError, message: /needs 5/ },
  { name: 'long string claiming 4 GiB', hex: '0c ff ff ff ff 61', error: TruncatedError, message: /needs 4294967295/ },
  { name: 'XML document claiming 4 GiB', hex: '0f ff ff ff ff', error: TruncatedError, message: /AMF0/ },
  { name: 'object without its end marker', hex: '03 00 01 61 05', error: TruncatedError, message: /AMF0/ },
  { name: 'movieclip (reserved)', hex: '04', error: UnsupportedError, message: /movieclip \(0x04\) is reserved/ },
  { name: 'recordset (reserved)', hex: '0e', error: UnsupportedError, message: /recordset \(0x0e\) is reserved/ },
  { name: 'unknown marker 0x12', hex: '12', error: ProtocolError, message: /unknown type marker 0x12/ },
  { name: 'object-end outside an object', hex: '09', error: ProtocolError, message: /object-end marker outside/ },
  { name: 'trailing bytes', hex: '05 05', error: ProtocolError, message: /1 trailing bytes/ },
  {
    name: 'strict array over MAX_AMF_ELEMENTS',
    hex: '0a 00 01 00 01',
    error: LimitError,
    message: /MAX_AMF_ELEMENTS/,
  },
  { name: 'strict array claiming 2^32-1 elements', hex: '0a ff ff ff ff 05', error: LimitError, message: /MAX_AMF_ELEMENTS/ },
  { name: 'strict array longer than the input', hex: '0a 00 00 03 e8 05 05', error: TruncatedError, message: /declares 1000/ },
  { name: `${MAX_AMF_DEPTH + 1} nested arrays`, hex: nested(MAX_AMF_DEPTH + 1), error: LimitError, message: /MAX_AMF_DEPTH/ },
  { name: 'avmplus externalizable object', hex: `11 0a 07 07 ${ascii('Foo')}`, error: UnsupportedError, message: /"Foo"/ },
];

describe('AMF0 decoding errors', () => {
  it.each(ERROR_CASES)('$name: throws $error.name', ({ hex, error, message }) => {
    expect(() => decodeAmf0(fromHex(hex))).toThrow(error);
    expect(() => decodeAmf0(fromHex(hex))).toThrow(message);
  });

  it(`accepts exactly ${MAX_AMF_DEPTH} nested containers`, () => {
    expect(() => decodeAmf0(fromHex(nested(MAX_AMF_DEPTH)))).not.toThrow();
  });

  it(`accepts an object of exactly MAX_AMF_ELEMENTS (${MAX_AMF_ELEMENTS}) properties and no more`, () => {
    const props = (n: number) => createAmfObject(Array.from({ length: n }, (_, i) => [`k${i}`, null] as const));
    const atLimit = encodeAmf0(props(MAX_AMF_ELEMENTS));
    expect(() => decodeAmf0(atLimit)).not.toThrow();
    // one more property, "z": null, spliced in before the end marker
    const over = new Uint8Array([...atLimit.subarray(0, -3), 0x00, 0x01, 0x7a, 0x05, 0x00, 0x00, 0x09]);
    expect(() => decodeAmf0(over)).toThrow(LimitError);
  });
});

describe('AMF0 encoding errors', () => {
  it('fails a cyclic value at MAX_AMF_DEPTH instead of overflowing the stack', () => {
    const cyclic = createAmfObject();
    cyclic.self = cyclic;
    expect(() => encodeAmf0(cyclic)).toThrow(LimitError);
  });

  it('rejects a property name over 65535 UTF-8 bytes', () => {
    expect(() => encodeAmf0(obj({ ['k'.repeat(0x10000)]: 1 }))).toThrow(/exceed the AMF0 maximum of 65535/);
  });

  it('rejects a value outside the model (a function) with UnsupportedError', () => {
    const bad = { f: () => 1 } as unknown as AmfValue;
    expect(() => encodeAmf0(bad)).toThrow(UnsupportedError);
  });

  it('writes an ECMA array dense part as keys "0".."n-1" (AMF0 has no dense part)', () => {
    const bytes = encodeAmf0(new AmfEcmaArray(obj({ a: null }), [true]));
    expect(toHex(bytes)).toBe('08 00 00 00 02 00 01 30 01 01 00 01 61 05 00 00 09');
  });

  it('writes a sparse array hole as undefined', () => {
    expect(toHex(encodeAmf0([, 1] as AmfValue[]))).toBe('0a 00 00 00 02 06 00 3f f0 00 00 00 00 00 00');
  });

  it('shares AMF3 reference tables across avmplus values of one body', () => {
    const bytes = Uint8Array.of(7);
    const out = encodeAmf0Values([bytes, bytes]);
    expect(toHex(out), 'second ByteArray is an AMF3 object reference').toBe('11 0c 03 07 11 0c 00');
    const back = decodeAmf0Values(out);
    expect(back[1], 'decoded as the same instance').toBe(back[0]);
  });
});
