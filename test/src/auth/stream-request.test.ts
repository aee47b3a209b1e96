// Publish and play names with a query ("key?x=1"), query parsing, the connect/name overlay and
// credential redaction in logged URLs; parsing never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/auth/redact-url.js';
import { MAX_QUERY_CHARS, mergeParams, param, parseQuery, splitNameQuery } from '../../../src/auth/stream-request.js';

describe('splitNameQuery', () => {
  it.each([
    ['mystream', 'mystream', ''],
    ['mystream?expires=1&sig=ab', 'mystream', 'expires=1&sig=ab'],
    ['mystream?', 'mystream', ''],
    ['?token=1', '', 'token=1'],
    ['a?b?c', 'a', 'b?c'],
  ])('%s', (input, name, query) => {
    expect(splitNameQuery(input)).toEqual({ name, query });
  });
});

describe('parseQuery', () => {
  it('decodes form-urlencoded parameters and keeps the first of repeated names', () => {
    expect({ ...parseQuery('a=1&b=x%20y&a=2&c') }).toEqual({ a: '1', b: 'x y', c: '' });
    expect({ ...parseQuery('?token=1.ab') }).toEqual({ token: '1.ab' });
    expect({ ...parseQuery('') }).toEqual({});
  });

  it('keeps malformed escapes as written and is safe for names like __proto__', () => {
    const p = parseQuery('x=%zz&__proto__=1&constructor=2');
    expect(param(p, 'x')).toBe('%zz');
    expect(param(p, '__proto__')).toBe('1');
    expect(param(p, 'constructor')).toBe('2');
    expect(param(parseQuery(''), 'toString')).toBeUndefined();
    expect(Object.getPrototypeOf(p)).toBeNull();
  });

  it('cuts very long queries', () => {
    const p = parseQuery(`a=${'x'.repeat(MAX_QUERY_CHARS * 2)}`);
    expect(param(p, 'a')?.length).toBe(MAX_QUERY_CHARS - 2);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), fc.string(), (a, b) => {
        const { name, query } = splitNameQuery(a);
        expect(name.includes('?')).toBe(false);
        mergeParams(parseQuery(query), parseQuery(b));
      }),
    );
  });
});

describe('mergeParams', () => {
  it("overlays the connect app's parameters with the name's", () => {
    const merged = mergeParams(parseQuery('token=app&x=1'), parseQuery('token=name'));
    expect({ ...merged }).toEqual({ token: 'name', x: '1' });
  });
});

describe('redactUrl', () => {
  it('hides credential values in a logged URL and keeps the rest', () => {
    expect(redactUrl('/live/cam/index.m3u8?token=1.ab&_HLS_msn=3')).toBe('/live/cam/index.m3u8?token=***&_HLS_msn=3');
    expect(redactUrl('/x?a=1&SIG=ff&expires=9')).toBe('/x?a=1&SIG=***&expires=9');
    expect(redactUrl('/x/token=abc')).toBe('/x/token=abc');
    expect(redactUrl('/x?mytoken=1')).toBe('/x?mytoken=1');
  });
});
