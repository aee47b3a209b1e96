// The type boxes: ftyp at the start of an init segment (ISO/IEC 14496-12 §4.3) and styp at the
// start of a media segment (§8.16.2); both are major_brand, minor_version, compatible_brands.
import { BoxWriter } from './box-writer.js';
import {
  FTYP_COMPATIBLE_BRANDS,
  FTYP_MAJOR_BRAND,
  FTYP_MINOR_VERSION,
  STYP_COMPATIBLE_BRANDS,
  STYP_MAJOR_BRAND,
  STYP_MINOR_VERSION,
} from './fmp4-constants.js';

export function writeFtyp(w: BoxWriter): void {
  writeTypeBox(w, 'ftyp', FTYP_MAJOR_BRAND, FTYP_MINOR_VERSION, FTYP_COMPATIBLE_BRANDS);
}

/**
 * A segment type box. Optional everywhere Onramp's fragments go: CMAF chunks and fragments need
 * none (23000-19 §7.3.3), DASH media segments may carry one (23009-1 §6.3.4.2) and HLS ignores
 * it. If a packager uses it, it belongs once at the start of a segment, before the segment's
 * first moof, never before each chunk; with LL-HLS parts the first part then carries it, so
 * that the segment stays the concatenation of its parts.
 */
export function encodeStyp(): Uint8Array {
  const w = new BoxWriter(8 + 8 + 4 * STYP_COMPATIBLE_BRANDS.length);
  writeTypeBox(w, 'styp', STYP_MAJOR_BRAND, STYP_MINOR_VERSION, STYP_COMPATIBLE_BRANDS);
  return w.finish();
}

function writeTypeBox(w: BoxWriter, type: string, major: string, minor: number, compatible: readonly string[]): void {
  w.box(type, () => {
    w.fourCc(major).u32(minor);
    for (const brand of compatible) w.fourCc(brand);
  });
}
