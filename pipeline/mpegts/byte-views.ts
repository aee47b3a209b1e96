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
