// HLS attribute lists (RFC 8216 §4.2): parsing, typed attribute values and quoted strings.
import { ProtocolError } from '../../core/errors.js';

/** The attribute value types of §4.2. */
export type AttributeType =
  | 'decimal-integer'
  | 'hexadecimal-sequence'
  | 'decimal-floating-point'
  | 'signed-decimal-floating-point'
  | 'quoted-string'
  | 'enumerated-string'
  | 'decimal-resolution';

/** One AttributeName=AttributeValue pair as written; `value` excludes the quotes. */
export interface HlsAttribute {
  readonly name: string;
  readonly value: string;
  readonly quoted: boolean;
}

export interface DecimalResolution {
  readonly width: number;
  readonly height: number;
}

export type AttributeValue = number | string | DecimalResolution;

/** §4.2: AttributeName uses only [A..Z], [0..9] and '-'. */
const ATTRIBUTE_NAME = /^[A-Z0-9-]+/;
/** §4.2: a decimal-integer has 1 to 20 digits and is at most 2^64 - 1. */
const DECIMAL_INTEGER = /^[0-9]{1,20}$/;
const MAX_DECIMAL_INTEGER = 2n ** 64n - 1n;
const HEXADECIMAL_SEQUENCE = /^0[xX][0-9A-F]+$/;
const DECIMAL_FLOAT = /^[0-9]+(?:\.[0-9]+)?$/;
const SIGNED_DECIMAL_FLOAT = /^-?[0-9]+(?:\.[0-9]+)?$/;
const DECIMAL_RESOLUTION = /^([0-9]+)x([0-9]+)$/;
/** An enumerated-string never contains quotes, commas or whitespace. */
const ENUMERATED_STRING = /^[^",\s]+$/;

function fail(message: string, line?: number): never {
  throw new ProtocolError(message, { rule: 'attribute-list', line });
}

/** Parses "NAME=value,NAME=\"quoted, with comma\"" (§4.2: comma-separated, no whitespace). */
export function parseAttributeList(text: string, line?: number): HlsAttribute[] {
  const out: HlsAttribute[] = [];
  const names = new Set<string>();
  let pos = 0;
  while (pos < text.length) {
    const name = ATTRIBUTE_NAME.exec(text.slice(pos))?.[0];
    if (name === undefined) fail(`attribute name expected at column ${pos + 1} of "${text}"`, line);
    pos += name.length;
    if (text[pos] !== '=') fail(`"=" expected after attribute ${name}`, line);
    pos += 1;
    let value: string;
    const quoted = text[pos] === '"';
    if (quoted) {
      const close = text.indexOf('"', pos + 1);
      if (close < 0) fail(`unterminated quoted-string in attribute ${name}`, line);
      value = text.slice(pos + 1, close);
      pos = close + 1;
    } else {
      const comma = text.indexOf(',', pos);
      const end = comma < 0 ? text.length : comma;
      value = text.slice(pos, end);
      if (!ENUMERATED_STRING.test(value)) fail(`attribute ${name} has an invalid unquoted value "${value}"`, line);
      pos = end;
    }
    // §4.2: an attribute list MUST NOT contain two pairs with the same AttributeName.
    if (names.has(name)) fail(`attribute ${name} appears twice`, line);
    names.add(name);
    out.push({ name, value, quoted });
    if (pos < text.length) {
      if (text[pos] !== ',') fail(`"," expected after attribute ${name}`, line);
      pos += 1;
      if (pos === text.length) fail('attribute list ends with ","', line);
    }
  }
  return out;
}

/** The value of one attribute read as the §4.2 type its tag definition gives it. */
export function readAttribute(attr: HlsAttribute, type: AttributeType, line?: number): AttributeValue {
  const bad = (): never => fail(`attribute ${attr.name} is not a valid ${type}: "${attr.value}"`, line);
  if (type === 'quoted-string') return attr.quoted ? attr.value : bad();
  if (attr.quoted) bad();
  const v = attr.value;
  switch (type) {
    case 'decimal-integer':
      if (!DECIMAL_INTEGER.test(v) || BigInt(v) > MAX_DECIMAL_INTEGER) bad();
      return Number(v); // exact up to 2^53; larger values never occur in Onramp's playlists
    case 'hexadecimal-sequence':
      return HEXADECIMAL_SEQUENCE.test(v) ? v : bad();
    case 'decimal-floating-point':
      return DECIMAL_FLOAT.test(v) ? Number(v) : bad();
    case 'signed-decimal-floating-point':
      return SIGNED_DECIMAL_FLOAT.test(v) ? Number(v) : bad();
    case 'decimal-resolution': {
      const m = DECIMAL_RESOLUTION.exec(v);
      return m ? { width: Number(m[1]), height: Number(m[2]) } : bad();
    }
    case 'enumerated-string':
      return v;
  }
}

/** §4.2: a quoted-string cannot contain CR, LF or a double quote. */
export function quoteString(value: string): string {
  if (/["\r\n]/.test(value)) {
    throw new ProtocolError(`a quoted-string cannot contain CR, LF or '"': ${JSON.stringify(value)}`);
  }
  return `"${value}"`;
}
