// The test-side XML well-formedness checker rejects what an XML 1.0 parser rejects (W3C XML 1.0 §2–3), as MPDs need (ISO/IEC 23009-1 Annex B).
import { describe, expect, it } from 'vitest';
import { parseXml, XmlSyntaxError } from './xml-check.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe('parseXml', () => {
  it('parses nested elements, decodes references and normalises attribute whitespace', () => {
    const root = parseXml(`${DECL}<A x="1 &amp; 2" y='&lt;&#65;&#x42;&gt;&quot;&apos;' z="a&#10;b"><B/><C q="c&#9;d">t&amp;</C></A>\n`);
    expect(root.name).toBe('A');
    expect(root.attributes).toEqual({ x: '1 & 2', y: `<AB>"'`, z: 'a\nb' });
    expect(root.children.map((c) => c.name)).toEqual(['B', 'C']);
    expect(root.children[1].attributes.q).toBe('c\td');
    expect(root.children[1].text).toBe('t&');
    expect(parseXml(`${DECL}<A x="a\tb"/>`).attributes.x).toBe('a b');
  });

  const MALFORMED: readonly [string, string][] = [
    ['no declaration', '<A/>'],
    ['unclosed element', `${DECL}<A><B></A>`],
    ['mismatched close', `${DECL}<A></B>`],
    ['unquoted attribute', `${DECL}<A x=1/>`],
    ['duplicate attribute', `${DECL}<A x="1" x="2"/>`],
    ['bare ampersand', `${DECL}<A x="a & b"/>`],
    ['unknown entity', `${DECL}<A x="&nbsp;"/>`],
    ['less-than in attribute', `${DECL}<A x="a<b"/>`],
    ['reference to a control character', `${DECL}<A x="&#1;"/>`],
    ['raw control character', `${DECL}<A x="\u0001"/>`],
    ['attributes without space', `${DECL}<A x="1"y="2"/>`],
    ['two roots', `${DECL}<A/><B/>`],
    ['text after root', `${DECL}<A/>x`],
    ['comment', `${DECL}<A><!-- c --></A>`],
    ['bad name', `${DECL}<1A/>`],
  ];
  for (const [what, text] of MALFORMED) {
    it(`rejects ${what}`, () => {
      expect(() => parseXml(text)).toThrow(XmlSyntaxError);
    });
  }
});
