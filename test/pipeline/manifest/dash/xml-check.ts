// A minimal XML 1.0 well-formedness checker and parser for MPDs (ISO/IEC 23009-1 Annex B; W3C XML 1.0 §2.1–2.4, §3.1, §4.1).
// Elements, attributes and references only: no DTD, comments, CDATA or processing instructions
// other than the XML declaration, which is what Onramp writes. Any violation throws XmlSyntaxError.

export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
  readonly text: string;
}

export class XmlSyntaxError extends Error {}

const NAME = /[A-Za-z_:][A-Za-z0-9._:-]*/y;
const SPACE = /[ \t\r\n]*/y;
const DECLARATION = /<\?xml version="1\.0"(?: encoding="UTF-8")?(?: standalone="(?:yes|no)")?\?>/y;
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    const line = this.text.slice(0, this.pos).split('\n').length;
    throw new XmlSyntaxError(`${message} at line ${line} (offset ${this.pos})`);
  }

  match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  expect(literal: string): void {
    if (!this.text.startsWith(literal, this.pos)) this.fail(`expected "${literal}"`);
    this.pos += literal.length;
  }

  name(): string {
    return this.match(NAME) ?? this.fail('expected a name');
  }

  space(): boolean {
    return (this.match(SPACE) ?? '').length > 0;
  }
}

/** Decodes references in text or an attribute value; a bare & or < is an error. */
function decode(c: Cursor, raw: string, start: number, inAttribute: boolean): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '<') c.fail('"<" inside text or an attribute value');
    if (inAttribute && (ch === '\t' || ch === '\n' || ch === '\r')) {
      out += ' '; // attribute-value normalisation, §3.3.3
      continue;
    }
    if (ch !== '&') {
      out += ch;
      continue;
    }
    const semi = raw.indexOf(';', i);
    const ref = semi < 0 ? '' : raw.slice(i + 1, semi);
    let value: string | undefined = NAMED_ENTITIES[ref];
    const num = /^#(?:([0-9]+)|x([0-9A-Fa-f]+))$/.exec(ref);
    if (num) {
      const code = num[1] !== undefined ? Number(num[1]) : parseInt(num[2], 16);
      value = code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
      if (value !== undefined && NOT_XML_CHAR.test(value)) value = undefined;
    }
    if (value === undefined) {
      c.pos = start + i;
      c.fail(`bad reference "&${ref.slice(0, 12)}"`);
    }
    out += value;
    i = semi;
  }
  return out;
}

function attribute(c: Cursor, attrs: Record<string, string>): void {
  const name = c.name();
  c.space();
  c.expect('=');
  c.space();
  const quote = c.text[c.pos];
  if (quote !== '"' && quote !== "'") c.fail(`attribute ${name} is not quoted`);
  const close = c.text.indexOf(quote, c.pos + 1);
  if (close < 0) c.fail(`attribute ${name} is not closed`);
  if (Object.hasOwn(attrs, name)) c.fail(`attribute ${name} appears twice`);
  attrs[name] = decode(c, c.text.slice(c.pos + 1, close), c.pos + 1, true);
  c.pos = close + 1;
}

function element(c: Cursor): XmlNode {
  c.expect('<');
  const name = c.name();
  const attributes: Record<string, string> = {};
  for (;;) {
    const spaced = c.space();
    if (c.text.startsWith('/>', c.pos)) {
      c.pos += 2;
      return { name, attributes, children: [], text: '' };
    }
    if (c.text[c.pos] === '>') break;
    if (!spaced) c.fail(`expected whitespace before an attribute of ${name}`);
    attribute(c, attributes);
  }
  c.pos += 1;
  const children: XmlNode[] = [];
  let text = '';
  for (;;) {
    const lt = c.text.indexOf('<', c.pos);
    if (lt < 0) c.fail(`element ${name} is not closed`);
    const raw = c.text.slice(c.pos, lt);
    if (raw.includes(']]>')) c.fail('"]]>" in text');
    text += decode(c, raw, c.pos, false);
    c.pos = lt;
    if (c.text.startsWith('</', c.pos)) break;
    if (/^<[!?]/.test(c.text.slice(c.pos, c.pos + 2))) c.fail('comments, CDATA and processing instructions are not expected');
    children.push(element(c));
  }
  c.pos += 2;
  const closing = c.name();
  if (closing !== name) c.fail(`</${closing}> closes <${name}>`);
  c.space();
  c.expect('>');
  return { name, attributes, children, text };
}

/** Parses a whole document: XML declaration, one root element, nothing but whitespace after it. */
export function parseXml(text: string): XmlNode {
  const c = new Cursor(text);
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) {
    c.pos = bad.index;
    c.fail('character not allowed in XML');
  }
  if (c.match(DECLARATION) === undefined) c.fail('missing or malformed XML declaration');
  c.space();
  const root = element(c);
  c.space();
  if (c.pos !== text.length) c.fail('content after the root element');
  return root;
}
