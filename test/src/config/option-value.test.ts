// The option kinds added for recording and access control: stream selectors, key maps, CIDR lists.
import { describe, expect, it } from 'vitest';
import { parseOptionValue } from '../../../src/config/option-value.js';

const fromFile = (value: unknown) => ({ value, source: 'file', baseDir: '/', fromText: false });
const fromText = (value: string) => ({ value, source: 'env', baseDir: '/', fromText: true });

describe('option values', () => {
  it('stream selectors: *, apps and app/name; nothing that could climb a path', () => {
    expect(parseOptionValue({ type: 'streams' }, fromText('live, studio/main,*'))).toEqual({ ok: true, value: ['live', 'studio/main', '*'] });
    for (const bad of ['live/../x', 'a/b/c', '', 'vod']) {
      expect(parseOptionValue({ type: 'streams' }, fromFile([bad])).ok, bad).toBe(false);
    }
  });

  it('key maps: keys of 8+ stream-name characters mapped to name or app/name', () => {
    expect(parseOptionValue({ type: 'keyMap' }, fromFile({ sk_4f9a2c7e1b: 'live/show', 'other-key-1': 'show2' }))).toEqual({ ok: true, value: { sk_4f9a2c7e1b: 'live/show', 'other-key-1': 'show2' } });
    for (const bad of [{ short: 'live/x' }, { 'has?query=1': 'live/x' }, { 'has/slash1': 'live/x' }, { goodkey123: 'a/b/c' }, { goodkey123: 42 }, ['x']]) {
      const r = parseOptionValue({ type: 'keyMap' }, fromFile(bad));
      expect(r.ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('CIDR lists: IPv4 and IPv6 addresses and ranges', () => {
    expect(parseOptionValue({ type: 'cidrs' }, fromText('10.0.0.0/8, 127.0.0.1, 2001:db8::/32'))).toEqual({ ok: true, value: ['10.0.0.0/8', '127.0.0.1', '2001:db8::/32'] });
    for (const bad of ['10.0.0.0/33', 'example.com', '1.2.3.4/8/9', '::1/129']) {
      expect(parseOptionValue({ type: 'cidrs' }, fromFile([bad])).ok, bad).toBe(false);
    }
  });
});
