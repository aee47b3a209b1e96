// AVCDecoderConfigurationRecord ("avcC") and the avc1 codecs string (ISO/IEC 14496-15 §5.3.3.1; RFC 6381 §3.3).
import { ByteReader } from '../../core/byte-reader.js';
import { ProtocolError } from '../../core/errors.js';
import { isNalLengthSize, NAL_TYPE, nalType, type NalLengthSize } from './nal-units.js';

const CONFIGURATION_VERSION = 1;
/** lengthSizeMinusOne is the low two bits of the fifth byte; numOfSequenceParameterSets the low five of the sixth. */
const LENGTH_SIZE_MINUS_ONE_MASK = 0x03;
const NUM_SPS_MASK = 0x1f;
/** Profiles after whose PPS list the record carries chroma_format, bit depths and SPS extensions (§5.3.3.1.1). */
const PROFILES_WITH_EXTENSION: ReadonlySet<number> = new Set([100, 110, 122, 144]);
/** The extension's fixed part: chroma_format, bit_depth_luma_minus8, bit_depth_chroma_minus8, numOfSequenceParameterSetExt. */
const EXTENSION_FIXED_SIZE = 4;
const WHAT = 'AVCDecoderConfigurationRecord';

export interface AvcDecoderConfig {
  readonly profileIdc: number;
  readonly profileCompatibility: number;
  readonly levelIdc: number;
  readonly nalLengthSize: NalLengthSize;
  /** SPS and PPS NAL units as views into the record. */
  readonly sps: Uint8Array[];
  readonly pps: Uint8Array[];
  /** The High-profile extension, when the record carries it. */
  readonly chromaFormat?: number;
  readonly bitDepthLuma?: number;
  readonly bitDepthChroma?: number;
  readonly spsExt?: Uint8Array[];
}

/**
 * Parses an avcC. At least one SPS and one PPS are required: FLV/RTMP and MPEG-TS packaging
 * (avc1 semantics) take the parameter sets from here. For High profiles the extension after the
 * PPS list is read when present; many encoders leave it out, and fewer than its four fixed
 * bytes are treated as absent.
 */
export function parseAvcDecoderConfig(avcC: Uint8Array): AvcDecoderConfig {
  const r = new ByteReader(avcC, WHAT);
  const version = r.u8();
  if (version !== CONFIGURATION_VERSION) {
    throw new ProtocolError(`${WHAT}: configurationVersion ${version}, expected ${CONFIGURATION_VERSION}`, { version });
  }
  const profileIdc = r.u8();
  const profileCompatibility = r.u8();
  const levelIdc = r.u8();
  const nalLengthSize = (r.u8() & LENGTH_SIZE_MINUS_ONE_MASK) + 1;
  if (!isNalLengthSize(nalLengthSize)) {
    throw new ProtocolError(`${WHAT}: lengthSizeMinusOne 2 (3-byte NAL lengths) is not allowed`, { nalLengthSize });
  }
  const sps = readParameterSets(r, r.u8() & NUM_SPS_MASK, NAL_TYPE.SPS, 'SPS');
  const pps = readParameterSets(r, r.u8(), NAL_TYPE.PPS, 'PPS');
  if (sps.length === 0 || pps.length === 0) {
    throw new ProtocolError(`${WHAT}: has ${sps.length} SPS and ${pps.length} PPS; at least one of each is needed`, {
      sps: sps.length,
      pps: pps.length,
    });
  }
  const config = { profileIdc, profileCompatibility, levelIdc, nalLengthSize, sps, pps };
  if (!PROFILES_WITH_EXTENSION.has(profileIdc) || r.remaining < EXTENSION_FIXED_SIZE) return config;
  const chromaFormat = r.u8() & 0x03;
  const bitDepthLuma = (r.u8() & 0x07) + 8;
  const bitDepthChroma = (r.u8() & 0x07) + 8;
  const spsExt = readParameterSets(r, r.u8(), NAL_TYPE.SPS_EXTENSION, 'SPS extension');
  return { ...config, chromaFormat, bitDepthLuma, bitDepthChroma, spsExt };
}

function readParameterSets(r: ByteReader, count: number, expectedType: number, name: string): Uint8Array[] {
  const sets: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const nal = r.bytesView(r.u16());
    const type = nalType(nal);
    if (type !== expectedType) {
      throw new ProtocolError(`${WHAT}: ${name} ${i} has NAL unit type ${type}, expected ${expectedType}`, { index: i, nalType: type });
    }
    sets.push(nal);
  }
  return sets;
}

/** "avc1.PPCCLL": profile_idc, the constraint flags byte and level_idc in lowercase hex (RFC 6381 §3.3). */
export function avcCodecString(profileIdc: number, compat: number, levelIdc: number): string {
  return `avc1.${hexByte(profileIdc, 'profile_idc')}${hexByte(compat, 'profile compatibility')}${hexByte(levelIdc, 'level_idc')}`;
}

function hexByte(v: number, field: string): string {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ProtocolError(`avc1 codecs string: ${field} ${v} is not a byte`, { field, value: v });
  return v.toString(16).padStart(2, '0');
}
