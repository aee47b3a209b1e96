// Lists of byte views (ARCHITECTURE.md: payloads travel as views, not concatenated copies).

/** The total byte length of a list of views. */
export function totalLength(views: readonly Uint8Array[]): number {
  let n = 0;
  for (const v of views) n += v.length;
  return n;
}

/** The first bytes (at most `n`) of a list of views, without touching the rest. */
export function firstBytes(views: readonly Uint8Array[], n: number): number[] {
  const bytes: number[] = [];
  for (const v of views) {
    for (let i = 0; i < v.length && bytes.length < n; i++) bytes.push(v[i]);
    if (bytes.length === n) break;
  }
  return bytes;
}

/** Copies the views one after another into `out` (bulk copies) and returns it. */
export function copyViews(out: Uint8Array, views: readonly Uint8Array[]): Uint8Array {
  let at = 0;
  for (const v of views) {
    out.set(v, at);
    at += v.length;
  }
  return out;
}
