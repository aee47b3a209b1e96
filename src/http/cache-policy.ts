// Cache-Control for origin responses, following the table in FIELD-NOTES.md ("Cache policy that
// CDNs and players expect") and RFC 9111 §5.2.2.

/** What a media file is, as far as caching goes. */
export type MediaKind = 'playlist' | 'manifest' | 'segment' | 'init';

/** Segments, parts and init segments never change once published: their names are never reused. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Misses (a segment not produced yet) and errors: a CDN must not keep them. */
export const NO_STORE = 'no-store';

/**
 * Default max-age of live playlists and manifests, in seconds. A player reloads a live playlist
 * about once per target duration (RFC 8216 §6.3.4); a cache that holds it longer than one segment
 * hides new segments, so players fall behind and back off. One second is below any sensible
 * segment duration (Apple's 6 s, our recommended 2 s GOP) yet still lets each CDN edge collapse all
 * of its viewers into at most one origin fetch per second per playlist.
 */
export const DEFAULT_PLAYLIST_MAX_AGE_SEC = 1;

export interface CachePolicyOptions {
  /** Whole seconds, ≥ 0; 0 means "no-cache" (revalidate every time, e.g. low-latency HLS). */
  readonly playlistMaxAgeSec?: number;
}

export interface CachePolicy {
  /** Cache-Control of a successful (200, 206, 304) response for a file of this kind. */
  forKind(kind: MediaKind): string;
}

export function createCachePolicy(options: CachePolicyOptions = {}): CachePolicy {
  const live = livePlaylistCacheControl(options.playlistMaxAgeSec ?? DEFAULT_PLAYLIST_MAX_AGE_SEC);
  return {
    forKind: (kind) => (kind === 'playlist' || kind === 'manifest' ? live : IMMUTABLE_CACHE_CONTROL),
  };
}

/** `max-age=N`, or `no-cache` for 0. Throws RangeError for a negative or fractional value. */
export function livePlaylistCacheControl(maxAgeSec: number): string {
  if (!Number.isSafeInteger(maxAgeSec) || maxAgeSec < 0) {
    throw new RangeError(`playlist max-age must be a whole number of seconds ≥ 0, got ${String(maxAgeSec)}`);
  }
  return maxAgeSec === 0 ? 'no-cache' : `max-age=${maxAgeSec}`;
}
