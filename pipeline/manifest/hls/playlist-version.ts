// EXT-X-VERSION a media playlist needs for the features it uses (RFC 8216 §7, §4.3.1.2).

/** §7: floating-point EXTINF durations need version 3 or higher. Onramp always writes them. */
export const VERSION_FLOAT_EXTINF = 3;
/** §7: EXT-X-MAP in a media playlist without EXT-X-I-FRAMES-ONLY needs version 6 or higher. */
export const VERSION_MAP = 6;

/** The features of a media playlist that raise the protocol version. */
export interface VersionFeatures {
  readonly map?: unknown;
}

/** The lowest EXT-X-VERSION that covers the features (clients reject lower ones, §6.3.1). */
export function minimumMediaPlaylistVersion(p: VersionFeatures): number {
  return p.map === undefined ? VERSION_FLOAT_EXTINF : VERSION_MAP;
}
