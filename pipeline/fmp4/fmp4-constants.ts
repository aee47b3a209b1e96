// Fixed numbers of the fMP4/CMAF boxes Onramp writes (ISO/IEC 14496-12, ISO/IEC 23000-19).

/**
 * ftyp of every init segment (§4.3). 'iso6' as the major brand: every ISOBMFF reader knows it,
 * and it is the first brand that covers tfdt and default-base-is-moof (§8.8.7.1 needs 'iso5'
 * or later). 'cmfc' is the CMAF structural brand (23000-19 §7.2) that a CMAF header lists
 * among its compatible brands; 'mp41' because esds follows ISO/IEC 14496-14. ffmpeg reads it
 * (interop tests; its own dash muxer writes 'iso5' with 'iso6' compatible), hls.js and dash.js
 * do not look at brands, and Safari asks for none in particular (not tested here).
 */
export const FTYP_MAJOR_BRAND = 'iso6';
export const FTYP_MINOR_VERSION = 0;
export const FTYP_COMPATIBLE_BRANDS: readonly string[] = ['iso6', 'cmfc', 'mp41'];

/**
 * styp (§8.16.2) for a segment that starts with one: 'msdh' is the DASH media segment brand
 * (ISO/IEC 23009-1 §6.3.4.2) and 'cmfs' the CMAF segment brand (23000-19 §7.2). Not 'msix':
 * that brand promises a sidx, which Onramp does not write.
 */
export const STYP_MAJOR_BRAND = 'msdh';
export const STYP_MINOR_VERSION = 0;
export const STYP_COMPATIBLE_BRANDS: readonly string[] = ['msdh', 'cmfs'];

/** mvhd timescale (§8.2.2): nothing in an fMP4 init segment is timed on it. */
export const MOVIE_TIMESCALE = 1000;

/** tkhd flags (§8.3.2.3): track_enabled | track_in_movie | track_in_preview, the default for media tracks. */
export const TKHD_FLAGS = 0x000007;
/** tkhd/mvhd volume 1.0 in 8.8 fixed point, for audio tracks; video tracks have 0. */
export const FULL_VOLUME = 0x0100;
/** The unity matrix of mvhd and tkhd in 16.16 / 2.30 fixed point (§8.2.2.3). */
export const UNITY_MATRIX: readonly number[] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];
/** mdhd language 'und' packed as three 5-bit letters − 0x60 (§8.4.2.3). */
export const LANGUAGE_UND = (('u'.charCodeAt(0) - 0x60) << 10) | (('n'.charCodeAt(0) - 0x60) << 5) | ('d'.charCodeAt(0) - 0x60);

/** dref entry flag: the media data is in the same file (§8.7.2.3). */
export const DREF_SELF_CONTAINED = 0x000001;
/** vmhd is a FullBox with flags 1 (§12.1.2.2). */
export const VMHD_FLAGS = 0x000001;

/** tfhd flag default-base-is-moof (§8.8.7.1): data offsets count from the first byte of the moof. */
export const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;

/** trun flags (§8.8.8.1). */
export const TRUN_DATA_OFFSET_PRESENT = 0x000001;
export const TRUN_SAMPLE_DURATION_PRESENT = 0x000100;
export const TRUN_SAMPLE_SIZE_PRESENT = 0x000200;
export const TRUN_SAMPLE_FLAGS_PRESENT = 0x000400;
export const TRUN_SAMPLE_COMPOSITION_TIME_OFFSETS_PRESENT = 0x000800;
export const TRUN_FLAGS =
  TRUN_DATA_OFFSET_PRESENT |
  TRUN_SAMPLE_DURATION_PRESENT |
  TRUN_SAMPLE_SIZE_PRESENT |
  TRUN_SAMPLE_FLAGS_PRESENT |
  TRUN_SAMPLE_COMPOSITION_TIME_OFFSETS_PRESENT;

/**
 * sample_flags (§8.8.3.1): reserved(4) is_leading(2) sample_depends_on(2)
 * sample_is_depended_on(2) sample_has_redundancy(2) padding(3) sample_is_non_sync_sample(1)
 * degradation_priority(16). A sync sample depends on no other (depends_on = 2); any other
 * sample depends on others (depends_on = 1) and is a non-sync sample.
 */
export const SAMPLE_FLAGS_SYNC = 2 << 24;
export const SAMPLE_FLAGS_NON_SYNC = (1 << 24) | (1 << 16);
