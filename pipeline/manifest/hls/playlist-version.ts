// EXT-X-VERSION a media playlist needs for the features it uses (RFC 8216 §7; draft-pantos-hls-rfc8216bis §8).

/** §7: floating-point EXTINF durations need version 3 or higher. Onramp always writes them. */
export const VERSION_FLOAT_EXTINF = 3;
/** §7: EXT-X-MAP in a media playlist without EXT-X-I-FRAMES-ONLY needs version 6 or higher. */
export const VERSION_MAP = 6;
/** rfc8216bis §8: a playlist containing EXT-X-SKIP (a Playlist Delta Update) needs version 9. */
export const VERSION_SKIP = 9;
/** rfc8216bis §8: an EXT-X-SKIP that also replaces EXT-X-DATERANGE tags (RECENTLY-REMOVED-DATERANGES,
 *  an `_HLS_skip=v2` update) needs version 10. */
export const VERSION_SKIP_DATERANGES = 10;

/**
 * The features of a media playlist that raise the protocol version. The low-latency tags
 * (EXT-X-PART, EXT-X-PART-INF, EXT-X-SERVER-CONTROL, EXT-X-PRELOAD-HINT, EXT-X-RENDITION-REPORT)
 * raise nothing: rfc8216bis §8 names only EXT-X-SKIP among them.
 */
export interface VersionFeatures {
  /** Any EXT-X-MAP (the playlist's or a segment's). */
  readonly map?: unknown;
  /** EXT-X-SKIP:SKIPPED-SEGMENTS, present in a delta update (0 included). */
  readonly skippedSegments?: number;
  /** The EXT-X-SKIP carries RECENTLY-REMOVED-DATERANGES. */
  readonly skipsDateRanges?: boolean;
}

/** The lowest EXT-X-VERSION that covers the features (clients reject lower ones, §6.3.1). */
export function minimumMediaPlaylistVersion(p: VersionFeatures): number {
  if (p.skippedSegments !== undefined && p.skipsDateRanges === true) return VERSION_SKIP_DATERANGES;
  if (p.skippedSegments !== undefined) return VERSION_SKIP;
  return p.map === undefined ? VERSION_FLOAT_EXTINF : VERSION_MAP;
}
