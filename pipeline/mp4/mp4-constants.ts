// Fixed numbers of the progressive (moov-first) MP4 that a recording is exported as (ISO/IEC 14496-12).

/**
 * ftyp (§4.3): 'isom' as the major brand, as ffmpeg writes for MP4; 'iso4' because the file uses
 * ctts version 1 (signed composition offsets, §8.6.1.3), and 'mp41' because the AAC sample
 * entries carry an esds (ISO/IEC 14496-14).
 */
export const MP4_MAJOR_BRAND = 'isom';
export const MP4_MINOR_VERSION = 0x200;
export const MP4_COMPATIBLE_BRANDS: readonly string[] = ['isom', 'iso4', 'mp41'];

/** mvhd timescale (§8.2.2) and so the unit of tkhd durations and edit-list segment durations: ms. */
export const MP4_MOVIE_TIMESCALE = 1000;

/** elst media_time of an empty edit (§8.6.6.3): nothing of the track is shown for its duration. */
export const ELST_EMPTY_MEDIA_TIME = -1;

export const MAX_U32 = 0xffff_ffff;
export const TWO_POW_32 = 2 ** 32;
