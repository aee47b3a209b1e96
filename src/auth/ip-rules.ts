// IP allow/deny lists (auth.publish.allow/deny, auth.play.allow/deny): IPv4 and IPv6 addresses
// and CIDR ranges (RFC 4632, RFC 4291 §2.3). Every address is compared in its IPv6 form, IPv4 as
// IPv4-mapped (RFC 4291 §2.5.5.2), so "127.0.0.1" and "::ffff:127.0.0.1" (what a dual-stack
// socket reports) are the same client and an IPv4 rule matches both.
import { isIP } from 'node:net';

/** 16 bytes; IPv4 addresses as ::ffff:a.b.c.d. */
type Address16 = Uint8Array;

interface Range {
  readonly base: Address16;
  readonly prefixBits: number;
}

export type IpVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: 'ip denied' | 'ip not allowed' };

export class IpRuleError extends Error {
  constructor(readonly rule: string) {
    super(`not an IP address or CIDR range: ${JSON.stringify(rule.slice(0, 64))}`);
    this.name = 'IpRuleError';
  }
}

const ALLOWED: IpVerdict = { ok: true };

export class IpRules {
  private readonly allow: readonly Range[];
  private readonly deny: readonly Range[];

  /** Throws IpRuleError for a rule that is not an address or range (config validation prevents it). */
  constructor(allow: readonly string[], deny: readonly string[]) {
    this.allow = allow.map(parseRange);
    this.deny = deny.map(parseRange);
  }

  /** True when the lists restrict nobody (both empty). */
  get open(): boolean {
    return this.allow.length === 0 && this.deny.length === 0;
  }

  /** Deny wins; an empty allow list allows any address. An unparsable address is refused when any rule exists. */
  check(ip: string): IpVerdict {
    if (this.open) return ALLOWED;
    const address = parseAddress(ip);
    if (address === undefined) return { ok: false, reason: this.deny.length > 0 ? 'ip denied' : 'ip not allowed' };
    if (this.deny.some((r) => inRange(address, r))) return { ok: false, reason: 'ip denied' };
    if (this.allow.length > 0 && !this.allow.some((r) => inRange(address, r))) return { ok: false, reason: 'ip not allowed' };
    return ALLOWED;
  }
}

/**
 * The address as logs and per-IP counters should show it: IPv4-mapped IPv6 as plain IPv4, a zone
 * id dropped, anything unparsable unchanged.
 */
export function normalizeIp(ip: string): string {
  const address = parseAddress(ip);
  if (address === undefined) return ip;
  if (isMappedV4(address)) return `${address[12]}.${address[13]}.${address[14]}.${address[15]}`;
  return stripZone(ip).toLowerCase();
}

/** 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104 and "localhost". */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const address = parseAddress(host.replace(/^\[(.*)\]$/, '$1'));
  if (address === undefined) return false;
  if (isMappedV4(address)) return address[12] === 127;
  return address.every((b, i) => b === (i === 15 ? 1 : 0));
}

function parseRange(rule: string): Range {
  const slash = rule.indexOf('/');
  const text = slash < 0 ? rule : rule.slice(0, slash);
  const bitsText = slash < 0 ? undefined : rule.slice(slash + 1);
  const family = isIP(stripZone(text));
  const base = parseAddress(text);
  if (base === undefined || family === 0) throw new IpRuleError(rule);
  const max = family === 4 ? 32 : 128;
  let bits = max;
  if (bitsText !== undefined) {
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) throw new IpRuleError(rule);
    bits = Number(bitsText);
  }
  return { base, prefixBits: family === 4 ? 96 + bits : bits };
}

function inRange(address: Address16, range: Range): boolean {
  const full = range.prefixBits >> 3;
  for (let i = 0; i < full; i++) if (address[i] !== range.base[i]) return false;
  const rest = range.prefixBits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[full] & mask) === (range.base[full] & mask);
}

function isMappedV4(a: Address16): boolean {
  for (let i = 0; i < 10; i++) if (a[i] !== 0) return false;
  return a[10] === 0xff && a[11] === 0xff;
}

function stripZone(ip: string): string {
  const pct = ip.indexOf('%');
  return pct < 0 ? ip : ip.slice(0, pct);
}

/** Any textual IPv4 or IPv6 address as 16 bytes, or undefined. Never throws. */
export function parseAddress(text: string): Address16 | undefined {
  const ip = stripZone(text);
  const family = isIP(ip);
  if (family === 4) return mapV4(ip);
  if (family !== 6) return undefined;
  return parseV6(ip);
}

function mapV4(ip: string): Address16 {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  ip.split('.').forEach((part, i) => (out[12 + i] = Number(part)));
  return out;
}

/** An address that isIP() accepted as IPv6 (so the syntax is known to be valid). */
function parseV6(ip: string): Address16 {
  let head = ip;
  let tailV4: number[] = [];
  const lastColon = ip.lastIndexOf(':');
  if (ip.slice(lastColon + 1).includes('.')) {
    tailV4 = ip.slice(lastColon + 1).split('.').map(Number);
    head = `${ip.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const groups = (s: string | undefined): number[] => (s === undefined || s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const l = groups(left);
  const r = groups(right);
  const words = right === undefined ? l : [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  if (tailV4.length === 4) out.set(tailV4, 12);
  return out;
}
