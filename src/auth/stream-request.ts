// What a publisher or player asked for: the connect app and the stream name, each possibly with a
// query string ("live?token=…", "mystream?expires=…&sig=…"; OBS users put credentials in either).
// Parsing never throws. Queries hold credentials: they are passed to checks, never logged.

/** Query parameters, first value of each name; a prototype-free object, safe to index by any name. */
export type QueryParams = Readonly<Record<string, string>>;

/** Longest query string parsed; anything longer is cut (credentials are far shorter). */
export const MAX_QUERY_CHARS = 4096;

export interface StreamRequest {
  readonly action: 'publish' | 'play';
  /** The connect app, without its query. */
  readonly app: string;
  /** The publish or play name, without its query (for a key-map publish this is the secret key). */
  readonly name: string;
  /** The connect app's (or tcUrl's) parameters overlaid with the name's (the name's win). */
  readonly params: QueryParams;
  /** The client's address, normalised (IPv4-mapped IPv6 as IPv4). */
  readonly ip: string;
  readonly sessionId: string;
}

/** Splits "name?query" at the first '?'. */
export function splitNameQuery(value: string): { readonly name: string; readonly query: string } {
  const q = value.indexOf('?');
  return q < 0 ? { name: value, query: '' } : { name: value.slice(0, q), query: value.slice(q + 1) };
}

/** Parses "a=1&b=2" (form-urlencoded, malformed escapes kept as written); the first of repeated names wins. */
export function parseQuery(query: string): QueryParams {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const text = query.startsWith('?') ? query.slice(1) : query;
  for (const [key, value] of new URLSearchParams(text.slice(0, MAX_QUERY_CHARS))) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}

/** The connect parameters overlaid with the name's parameters. */
export function mergeParams(connect: QueryParams, name: QueryParams): QueryParams {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const source of [connect, name]) for (const key of Object.keys(source)) out[key] = source[key];
  return out;
}

/** A parameter's value, or undefined (also for names such as "__proto__" that were not sent). */
export function param(params: QueryParams, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
}
