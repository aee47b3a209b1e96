// IP allow/deny lists: IPv4, IPv6, CIDR ranges, IPv4-mapped IPv6 as a dual-stack socket reports
// it, deny over allow; checked against Node's own BlockList for random addresses and prefixes.
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpRuleError, IpRules, isLoopbackHost, normalizeIp, parseAddress } from '../../../src/auth/ip-rules.js';

describe('IpRules', () => {
  const cases: Array<{ allow: string[]; deny: string[]; ip: string; ok: boolean; why: string }> = [
    { allow: [], deny: [], ip: '203.0.113.9', ok: true, why: 'no rules: anyone' },
    { allow: ['10.0.0.0/8'], deny: [], ip: '10.200.1.1', ok: true, why: 'inside an IPv4 range' },
    { allow: ['10.0.0.0/8'], deny: [], ip: '11.0.0.1', ok: false, why: 'outside the allow list' },
    { allow: ['10.0.0.0/8'], deny: [], ip: '::ffff:10.1.2.3', ok: true, why: 'IPv4-mapped IPv6 matches an IPv4 rule' },
    { allow: ['::ffff:10.0.0.0/104'], deny: [], ip: '10.9.9.9', ok: true, why: 'an IPv4-mapped rule matches plain IPv4' },
    { allow: ['127.0.0.1'], deny: [], ip: '::ffff:127.0.0.1', ok: true, why: 'a single address without a prefix' },
    { allow: ['127.0.0.1'], deny: [], ip: '127.0.0.2', ok: false, why: 'a single address is a /32' },
    { allow: [], deny: ['192.168.1.0/24'], ip: '192.168.1.77', ok: false, why: 'in the deny list' },
    { allow: ['192.168.0.0/16'], deny: ['192.168.1.0/24'], ip: '192.168.1.5', ok: false, why: 'deny wins over allow' },
    { allow: ['192.168.0.0/16'], deny: ['192.168.1.0/24'], ip: '192.168.2.5', ok: true, why: 'allowed, not denied' },
    { allow: ['2001:db8::/32'], deny: [], ip: '2001:db8:ffff::1', ok: true, why: 'inside an IPv6 range' },
    { allow: ['2001:db8::/32'], deny: [], ip: '2001:db9::1', ok: false, why: 'outside an IPv6 range' },
    { allow: ['::1'], deny: [], ip: '::1', ok: true, why: 'IPv6 loopback' },
    { allow: ['::1'], deny: [], ip: '127.0.0.1', ok: false, why: 'IPv4 loopback is not ::1' },
    { allow: ['fe80::/10'], deny: [], ip: 'fe80::1%eth0', ok: true, why: 'a zone id is ignored' },
    { allow: ['0.0.0.0/0'], deny: [], ip: '::ffff:1.2.3.4', ok: true, why: '/0 of IPv4 covers every IPv4 address' },
    { allow: ['0.0.0.0/0'], deny: [], ip: '2001:db8::1', ok: false, why: '/0 of IPv4 does not cover IPv6' },
    { allow: ['10.0.0.0/8'], deny: [], ip: 'not an ip', ok: false, why: 'an unparsable address is refused when rules exist' },
    { allow: ['10.0.0.0/9'], deny: [], ip: '10.127.255.255', ok: true, why: 'a prefix that is not a multiple of 8 (inside)' },
    { allow: ['10.0.0.0/9'], deny: [], ip: '10.128.0.0', ok: false, why: 'a prefix that is not a multiple of 8 (outside)' },
  ];
  it.each(cases)('$why: $ip', ({ allow, deny, ip, ok }) => {
    expect(new IpRules(allow, deny).check(ip).ok).toBe(ok);
  });

  it('says which list refused', () => {
    expect(new IpRules([], ['1.2.3.4']).check('1.2.3.4')).toEqual({ ok: false, reason: 'ip denied' });
    expect(new IpRules(['1.2.3.4'], []).check('1.2.3.5')).toEqual({ ok: false, reason: 'ip not allowed' });
  });

  it('throws a typed error for a rule that is not an address or range', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '1.2.3.4/x', '::/129', '']) {
      expect(() => new IpRules([bad], []), bad).toThrow(IpRuleError);
    }
  });

  it('agrees with node:net BlockList for random IPv4 and IPv6 ranges', () => {
    // The address shares a random number of leading bytes with the range, so both outcomes occur.
    const bytes = (n: number) => fc.array(fc.nat(255), { minLength: n, maxLength: n });
    const v4 = (b: number[]) => b.join('.');
    const v6 = (b: number[]) => Array.from({ length: 8 }, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16)).join(':');
    const family = fc.constantFrom(4 as const, 6 as const);
    let inside = 0;
    fc.assert(
      fc.property(family.chain((f) => fc.tuple(fc.constant(f), bytes(f === 4 ? 4 : 16), bytes(f === 4 ? 4 : 16), fc.nat(f === 4 ? 4 : 16), fc.nat(f === 4 ? 32 : 128))), ([f, base, other, shared, bits]) => {
        const ipBytes = [...base.slice(0, shared), ...other.slice(shared)];
        const [baseText, ipText] = f === 4 ? [v4(base), v4(ipBytes)] : [v6(base), v6(ipBytes)];
        const list = new BlockList();
        list.addSubnet(baseText, bits, f === 4 ? 'ipv4' : 'ipv6');
        const expected = list.check(ipText, f === 4 ? 'ipv4' : 'ipv6');
        if (expected) inside++;
        expect(new IpRules([`${baseText}/${bits}`], []).check(ipText).ok).toBe(expected);
      }),
      { numRuns: 1000 },
    );
    expect(inside).toBeGreaterThan(100);
  });

  it('never throws on random input', () => {
    const rules = new IpRules(['10.0.0.0/8', '2001:db8::/32'], ['10.1.0.0/16']);
    fc.assert(
      fc.property(fc.string(), (s) => {
        rules.check(s);
        normalizeIp(s);
        parseAddress(s);
        isLoopbackHost(s);
      }),
    );
  });
});

describe('normalizeIp and isLoopbackHost', () => {
  it('shows IPv4-mapped IPv6 as IPv4 and keeps other addresses', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('::FFFF:7f00:1')).toBe('127.0.0.1');
    expect(normalizeIp('10.0.0.1')).toBe('10.0.0.1');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('unknown')).toBe('unknown');
  });

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '']) expect(isLoopbackHost(h), h).toBe(false);
  });
});
