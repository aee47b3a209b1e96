// Checks one setting against its option's kind and turns it into a typed value: text from the
// environment and flags is parsed, values from the file or code must already have the JSON type.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { checkStreamName } from '../streams/stream-names.js';
import { describe, type Setting } from './config-layer.js';
import type { OptionKind, OptionValue } from './config-options.js';

export type ParseResult = { readonly ok: true; readonly value: OptionValue } | { readonly ok: false; readonly message: string };

const ok = (value: OptionValue): ParseResult => ({ ok: true, value });
const fail = (message: string): ParseResult => ({ ok: false, message });

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function parseOptionValue(kind: OptionKind, setting: Setting): ParseResult {
  const { value, fromText } = setting;
  const got = `, got ${describe(value)}`;
  switch (kind.type) {
    case 'port':
      return integer(value, fromText, 0, 65535, got);
    case 'integer':
      return integer(value, fromText, kind.min, kind.max, got);
    case 'boolean': {
      if (typeof value === 'boolean') return ok(value);
      const text = fromText && typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (text === 'true' || text === '1') return ok(true);
      if (text === 'false' || text === '0') return ok(false);
      return fail(`must be ${fromText ? 'true or false' : 'a boolean (true or false)'}${got}`);
    }
    case 'enum': {
      const text = typeof value === 'string' ? (fromText ? value.trim().toLowerCase() : value) : undefined;
      if (text !== undefined && kind.values.includes(text)) return ok(text);
      return fail(`must be one of ${kind.values.join(', ')}${got}`);
    }
    case 'host': {
      if (typeof value !== 'string' || value.trim() === '') return fail(`must be an IP address or host name${got}`);
      const host = value.trim();
      const valid = isIP(host) !== 0 || (!/^[\d.]+$/.test(host) && HOST_NAME.test(host));
      return valid ? ok(host) : fail(`must be an IP address or host name${got}`);
    }
    case 'directory':
      if (kind.nullable === true && (value === null || (fromText && value === ''))) return ok(null);
      if (typeof value !== 'string' || value.trim() === '') return fail(`must be a non-empty path${got}`);
      return ok(resolve(setting.baseDir, value));
    case 'file':
      if (value === null || (fromText && value === '')) return ok(null);
      if (typeof value !== 'string' || value.trim() === '') return fail(`must be a non-empty path or null${got}`);
      return ok(resolve(setting.baseDir, value));
    case 'url':
      return url(value, fromText, kind.protocols, got);
    case 'origins':
      return origins(value, fromText, got);
    case 'secret':
      if (value === null || (fromText && value === '')) return ok(null);
      if (typeof value !== 'string' || value.length < 16) return fail(`must be a string of at least 16 characters or null${typeof value === 'string' ? `, got ${value.length} characters` : got}`);
      return ok(value);
    case 'streams':
      return streamSelectors(value, fromText, got);
    case 'keyMap':
      return keyMap(value, got);
    case 'cidrs':
      return cidrs(value, fromText, got);
    case 'name': {
      const problem = typeof value === 'string' ? checkStreamName('app', value) : 'must be a string';
      return problem === undefined ? ok(value as string) : fail(`${problem}${got}`);
    }
  }
}

function integer(value: unknown, fromText: boolean, min: number, max: number, got: string): ParseResult {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (fromText && typeof value === 'string' && /^\s*\d+\s*$/.test(value)) n = Number(value);
  if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
    return fail(`must be an integer ${min}-${max}${got}`);
  }
  return ok(n);
}

function url(value: unknown, fromText: boolean, protocols: readonly string[], got: string): ParseResult {
  if (value === null || (fromText && value === '')) return ok(null);
  const wanted = `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
  if (typeof value !== 'string') return fail(`must be ${wanted} or null${got}`);
  const parsed = URL.canParse(value.trim()) ? new URL(value.trim()) : undefined;
  if (parsed === undefined || !protocols.includes(parsed.protocol)) return fail(`must be ${wanted}${redactedGot(value)}`);
  return ok(value.trim());
}

/** Shows a URL without its password, which must not end up in logs. */
function redactedGot(value: string): string {
  return `, got ${describe(value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@'))}`;
}

function origins(value: unknown, fromText: boolean, got: string): ParseResult {
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (fromText && typeof value === 'string') list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  else return fail(`must be ${fromText ? 'a comma-separated list' : 'an array'} of origins${got}`);
  for (const origin of list) {
    if (origin === '*') continue;
    const valid = typeof origin === 'string' && URL.canParse(origin) && new URL(origin).origin === origin;
    if (!valid) return fail(`must list '*' or origins like "https://player.example" (scheme, host, optional port; no path), got ${describe(origin)}`);
  }
  return ok(list as string[]);
}

/** '*', 'app' or 'app/name', each part a valid name. */
function streamSelectors(value: unknown, fromText: boolean, got: string): ParseResult {
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (fromText && typeof value === 'string') list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  else return fail(`must be ${fromText ? 'a comma-separated list' : 'an array'} of '*', 'app' or 'app/name'${got}`);
  for (const item of list) {
    const parts = typeof item === 'string' ? item.split('/') : [];
    const valid = item === '*' || ((parts.length === 1 || parts.length === 2) && parts.every((p, i) => checkStreamName(i === 0 ? 'app' : 'stream', p) === undefined));
    if (!valid) return fail(`must list '*', app names ('live') or streams ('live/mystream'), got ${describe(item)}`);
  }
  return ok(list as string[]);
}

/** { "<secret key>": "app/name" | "name" }: keys are stream names a publisher sends. */
function keyMap(value: unknown, got: string): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`must be an object of "<stream key>": "<app>/<name>"${got}`);
  const out: Record<string, string> = {};
  for (const [key, target] of Object.entries(value)) {
    if (key.length < 8) return fail(`has a stream key of ${key.length} characters; use at least 8 (keys are secrets)`);
    // A key is sent as the publish name, so it uses the stream-name alphabet ('?' would start a query).
    if (checkStreamName('stream', key) !== undefined) return fail("has a stream key with characters other than letters, digits, '_', '-' and '.'");
    if (typeof target !== 'string') return fail(`maps a key to ${describe(target)}; use "<app>/<name>" or "<name>"`);
    const parts = target.split('/');
    const valid = (parts.length === 1 && checkStreamName('stream', parts[0]) === undefined)
      || (parts.length === 2 && checkStreamName('app', parts[0]) === undefined && checkStreamName('stream', parts[1]) === undefined);
    if (!valid) return fail(`maps a key to ${describe(target)}, which is not "<app>/<name>" or "<name>"`);
    out[key] = target;
  }
  return ok(out);
}

/** IPv4/IPv6 addresses and CIDR ranges such as 10.0.0.0/8 or 2001:db8::/32. */
function cidrs(value: unknown, fromText: boolean, got: string): ParseResult {
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (fromText && typeof value === 'string') list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  else return fail(`must be ${fromText ? 'a comma-separated list' : 'an array'} of IP addresses or CIDR ranges${got}`);
  for (const item of list) {
    const [address, bits, extra] = typeof item === 'string' ? item.split('/') : [];
    const family = typeof address === 'string' ? isIP(address) : 0;
    const max = family === 4 ? 32 : 128;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !bitsOk || extra !== undefined) return fail(`must list IP addresses or CIDR ranges like 10.0.0.0/8, got ${describe(item)}`);
  }
  return ok(list as string[]);
}
