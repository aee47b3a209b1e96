// XML 1.0 text of an MPD: escaped attributes and indented elements (ISO/IEC 23009-1 §5.3.1.1, Annex B schema).
import { ProtocolError } from '../../core/errors.js';

/** Characters XML 1.0 allows in a document (XML 1.0 §2.2 Char); lone surrogates fail too. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const INDENT = '  ';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** An attribute; `undefined` values are left out, numbers must be integers (format others first). */
export type XmlAttribute = readonly [name: string, value: string | number | undefined];

export interface XmlElement {
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
}

export function xmlElement(name: string, attributes: readonly XmlAttribute[], children: readonly XmlElement[] = []): XmlElement {
  return { name, attributes, children };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Escapes a value for a double-quoted attribute. Tabs and line breaks become character references
 * so that attribute-value normalisation (XML 1.0 §3.3.3) cannot turn them into spaces. Throws
 * ProtocolError for characters no XML 1.0 document may contain (controls, lone surrogates).
 */
export function escapeXmlAttribute(value: string): string {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw new ProtocolError(`character U+${code.toString(16).toUpperCase().padStart(4, '0')} cannot appear in XML`, { value });
  }
  return value.replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

function attributeText([name, value]: XmlAttribute): string {
  if (value === undefined) return '';
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new ProtocolError(`attribute ${name} must be an integer, got ${value}`);
  }
  return ` ${name}="${escapeXmlAttribute(String(value))}"`;
}

function render(e: XmlElement, depth: number, out: string[]): void {
  const pad = INDENT.repeat(depth);
  const open = `${pad}<${e.name}${e.attributes.map(attributeText).join('')}`;
  if (e.children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  out.push(`${open}>`);
  for (const child of e.children) render(child, depth + 1, out);
  out.push(`${pad}</${e.name}>`);
}

/** The whole document: declaration, elements indented by two spaces, LF line ends, final LF. */
export function renderXmlDocument(root: XmlElement): string {
  const out = [XML_DECLARATION];
  render(root, 0, out);
  return `${out.join('\n')}\n`;
}
