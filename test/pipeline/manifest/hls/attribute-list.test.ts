// HLS attribute lists: syntax and typed values (RFC 8216 §4.2).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import {
  parseAttributeList,
  quoteString,
  readAttribute,
  type AttributeType,
  type HlsAttribute,
} from '../../../../pipeline/manifest/hls/index.js';

const attr = (value: string, quoted = false): HlsAttribute => ({ name: 'X', value, quoted });

describe('parseAttributeList', () => {
  it('splits on commas outside quoted-strings and keeps quoting', () => {
    expect(parseAttributeList('METHOD=AES-128,URI="key.bin?a=1,b=2",IV=0x0A0B')).toEqual([
      { name: 'METHOD', value: 'AES-128', quoted: false },
      { name: 'URI', value: 'key.bin?a=1,b=2', quoted: true },
      { name: 'IV', value: '0x0A0B', quoted: false },
    ]);
    expect(parseAttributeList('')).toEqual([]);
    expect(parseAttributeList('URI=""')).toEqual([{ name: 'URI', value: '', quoted: true }]);
  });

  it.each([
    ['a duplicate name', 'A=1,A=2'],
    ['a lowercase name', 'uri="x"'],
    ['a space after a comma', 'A=1, B=2'],
    ['a trailing comma', 'A=1,'],
    ['an empty unquoted value', 'A=,B=1'],
    ['a missing "="', 'A'],
    ['an unterminated quote', 'A="abc'],
    ['text after a quoted-string', 'A="x"y'],
    ['a quote inside an unquoted value', 'A=a"b'],
  ])('rejects %s with rule attribute-list', (_name, text) => {
    try {
      parseAttributeList(text, 7);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).context).toMatchObject({ rule: 'attribute-list', line: 7 });
    }
  });
});

describe('readAttribute', () => {
  it.each<[AttributeType, HlsAttribute, unknown]>([
    ['decimal-integer', attr('0'), 0],
    ['decimal-integer', attr('18446744073709551615'), 18446744073709551615],
    ['hexadecimal-sequence', attr('0x1F'), '0x1F'],
    ['hexadecimal-sequence', attr('0X00'), '0X00'],
    ['decimal-floating-point', attr('2.002'), 2.002],
    ['decimal-floating-point', attr('6'), 6],
    ['signed-decimal-floating-point', attr('-1.5'), -1.5],
    ['quoted-string', attr('a,b', true), 'a,b'],
    ['enumerated-string', attr('YES'), 'YES'],
    ['decimal-resolution', attr('1920x1080'), { width: 1920, height: 1080 }],
  ])('reads a %s', (type, a, expected) => {
    expect(readAttribute(a, type)).toEqual(expected);
  });

  it.each<[AttributeType, HlsAttribute]>([
    ['decimal-integer', attr('18446744073709551616')],
    ['decimal-integer', attr('-1')],
    ['decimal-integer', attr('1.0')],
    ['decimal-integer', attr('1', true)],
    ['hexadecimal-sequence', attr('1F')],
    ['hexadecimal-sequence', attr('0xZZ')],
    ['decimal-floating-point', attr('-1.5')],
    ['decimal-floating-point', attr('.5')],
    ['decimal-floating-point', attr('1e3')],
    ['signed-decimal-floating-point', attr('+1')],
    ['quoted-string', attr('abc')],
    ['enumerated-string', attr('YES', true)],
    ['decimal-resolution', attr('1920X1080')],
    ['decimal-resolution', attr('1920x')],
  ])('rejects a %s written %j', (type, a) => {
    expect(() => readAttribute(a, type)).toThrow(ProtocolError);
  });
});

describe('quoteString', () => {
  it('quotes, and refuses what a quoted-string cannot hold', () => {
    expect(quoteString('init.mp4')).toBe('"init.mp4"');
    for (const bad of ['a"b', 'a\nb', 'a\rb']) expect(() => quoteString(bad)).toThrow(ProtocolError);
  });
});
