// Small helpers of the config module: JSON error positions, name suggestions, the version.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../../src/config/closest-name.js';
import { locateJsonError } from '../../../src/config/json-error-position.js';
import { ONRAMP_VERSION } from '../../../src/config/version.js';

describe('locateJsonError', () => {
  const cases: [text: string, offset: number, line: number, column: number, reason: RegExp][] = [
    ['', 0, 1, 1, /expected a value \(the file ends here\)/],
    ['{"a": }', 6, 1, 7, /expected a value, found "}"/],
    ['{"a": 1,}', 8, 1, 9, /trailing commas/],
    ['{"a": [1, 2,]}', 12, 1, 13, /trailing commas/],
    ['{"a": 1', 7, 1, 8, /expected ',' or '}' \(the file ends here\)/],
    ['{\n  "a":\n  1 x}', 13, 3, 5, /expected ',' or '}', found "x"/],
    ['{a: 1}', 1, 1, 2, /double-quoted property name/],
    ["{'a': 1}", 1, 1, 2, /double-quoted property name/],
    ['{"a" 1}', 5, 1, 6, /expected ':'/],
    ['[1, 2] x', 7, 1, 8, /unexpected text after the JSON value/],
    ['"a\u0001"', 2, 1, 3, /control character/],
    ['"\\x"', 2, 1, 3, /invalid escape/],
    ['"abc', 4, 1, 5, /unterminated string/],
    ['{"a": -}', 6, 1, 7, /expected a value/],
    ['{"a": tru}', 6, 1, 7, /expected a value/],
    ['{"a": 01}', 7, 1, 8, /expected ',' or '}'/],
  ];
  for (const [text, offset, line, column, reason] of cases) {
    it(`locates the error in ${JSON.stringify(text)}`, () => {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      const at = locateJsonError(text);
      expect(at).toMatchObject({ offset, line, column });
      expect(at?.reason).toMatch(reason);
    });
  }

  it('finds nothing wrong in valid JSON', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"\\u00e9\\n"', ' {"a": [true, false, null, {"b": "c"}]} ']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(locateJsonError(text)).toBeUndefined();
    }
  });
});

describe('closestName', () => {
  it('suggests near names only', () => {
    expect(closestName('rtmp.prot', ['rtmp.port', 'http.port'])).toBe('rtmp.port');
    expect(closestName('--LOG-LEVEL', ['--log-level'])).toBe('--log-level');
    expect(closestName('zzz', ['rtmp.port'])).toBeUndefined();
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('ONRAMP_VERSION', () => {
  it('matches package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(ONRAMP_VERSION).toBe(pkg.version);
  });
});
