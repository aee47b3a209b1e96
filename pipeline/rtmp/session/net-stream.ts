// The lifecycle of one NetStream on a server connection (RTMP 1.0 §7.2.2): created by
// createStream, then publishing or playing, each behind a decision by the service.

export type NetStreamPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'publishPending'; readonly name: string }
  | { readonly kind: 'publishing'; readonly name: string }
  | { readonly kind: 'playPending'; readonly name: string }
  | { readonly kind: 'playing'; readonly name: string; readonly paused: boolean };

export const IDLE: NetStreamPhase = { kind: 'idle' };

/** Splits "name?query" into its parts (the query keeps its own encoding). */
export function splitQuery(value: string): { name: string; query: string } {
  const q = value.indexOf('?');
  return q < 0 ? { name: value, query: '' } : { name: value.slice(0, q), query: value.slice(q + 1) };
}
