// MPEG audio frame header: version, layer, bitrate, rate, channels and frame size (ISO/IEC 11172-3 §2.4.1.3, ISO/IEC 13818-3 §2.4.1.3; MPEG-2.5 extension).
import { BitReader } from '../../core/bit-reader.js';
import { ProtocolError, UnsupportedError } from '../../core/errors.js';

const WHAT = 'MPEG audio frame header';
export const MP3_HEADER_SIZE = 4;
/** 11 set bits: the 12-bit syncword less the bit that MPEG-2.5 reuses as a version bit. */
const FRAME_SYNC = 0x7ff;
/** version ID bits: 00 MPEG-2.5, 01 reserved, 10 MPEG-2 (LSF), 11 MPEG-1. */
const VERSION_BY_ID: readonly (1 | 2 | 2.5 | undefined)[] = [2.5, undefined, 2, 1];
/** layer bits: 00 reserved, 01 Layer III, 10 Layer II, 11 Layer I. */
const LAYER_BY_ID: readonly (1 | 2 | 3 | undefined)[] = [undefined, 3, 2, 1];
/** bitrate_index 0 is free format; 15 is forbidden. */
const FREE_FORMAT_BITRATE_INDEX = 0;
const FORBIDDEN_BITRATE_INDEX = 15;
const RESERVED_SAMPLE_RATE_INDEX = 3;
const MODE_SINGLE_CHANNEL = 3;

/** Bitrates in kbit/s for bitrate_index 1..14 (11172-3 Table 2.4.2.3; 13818-3 Table 2.4.2.3 for the lower sampling frequencies). */
const BITRATES_MPEG1: Record<1 | 2 | 3, readonly number[]> = {
  1: [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  2: [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  3: [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
};
const BITRATES_LSF: Record<1 | 2 | 3, readonly number[]> = {
  1: [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  2: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  3: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
/** Sampling frequencies by sampling_frequency index; MPEG-2 halves and MPEG-2.5 quarters the MPEG-1 rates. */
const SAMPLE_RATES: Record<1 | 2 | 2.5, readonly number[]> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  2.5: [11025, 12000, 8000],
};
/** Layer I frames hold 384 samples in slots of 4 bytes; Layer II 1152; Layer III 1152, or 576 at the lower rates. */
const LAYER_1_SAMPLES = 384;
const LAYER_1_SLOT_BYTES = 4;
const LAYER_2_3_SAMPLES = 1152;
const LAYER_3_LSF_SAMPLES = 576;

export interface Mp3FrameHeader {
  readonly version: 1 | 2 | 2.5;
  readonly layer: 1 | 2 | 3;
  readonly bitrateKbps: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly samplesPerFrame: number;
  /** The whole frame in bytes, header and padding included. */
  readonly frameLength: number;
  readonly padding: boolean;
  /** protection_bit 0: a 16-bit CRC follows the header. */
  readonly crcProtected: boolean;
}

export function parseMp3FrameHeader(bytes: Uint8Array): Mp3FrameHeader {
  const r = new BitReader(bytes.subarray(0, MP3_HEADER_SIZE), WHAT);
  const sync = r.bits(11);
  if (sync !== FRAME_SYNC) throw new ProtocolError(`${WHAT}: no frame sync (0x${sync.toString(16)})`, { sync });
  const versionId = r.bits(2);
  const version = VERSION_BY_ID[versionId];
  if (version === undefined) throw new ProtocolError(`${WHAT}: version ID 01 is reserved`, { versionId });
  const layerId = r.bits(2);
  const layer = LAYER_BY_ID[layerId];
  if (layer === undefined) throw new ProtocolError(`${WHAT}: layer 00 is reserved`, { layerId });
  const crcProtected = r.bit() === 0;
  const bitrateIndex = r.bits(4);
  if (bitrateIndex === FREE_FORMAT_BITRATE_INDEX) {
    throw new UnsupportedError(`${WHAT}: free-format bitrate (bitrate_index 0) is not supported`, { version, layer });
  }
  if (bitrateIndex === FORBIDDEN_BITRATE_INDEX) throw new ProtocolError(`${WHAT}: bitrate_index 15 is forbidden`, { bitrateIndex });
  const sampleRateIndex = r.bits(2);
  if (sampleRateIndex === RESERVED_SAMPLE_RATE_INDEX) throw new ProtocolError(`${WHAT}: sampling_frequency 11 is reserved`, { sampleRateIndex });
  const padding = r.bool();
  r.skipBits(1); // private_bit
  const mode = r.bits(2);
  const bitrateKbps = (version === 1 ? BITRATES_MPEG1 : BITRATES_LSF)[layer][bitrateIndex - 1];
  const sampleRate = SAMPLE_RATES[version][sampleRateIndex];
  const samplesPerFrame = layer === 1 ? LAYER_1_SAMPLES : layer === 3 && version !== 1 ? LAYER_3_LSF_SAMPLES : LAYER_2_3_SAMPLES;
  // Bytes per frame = samples × bitrate / (8 × rate), floored, plus one padding slot (§2.4.3.1);
  // samples / 8 × 1000 bits per kbit is samples × 125, which keeps the arithmetic in integers.
  const frameLength =
    layer === 1
      ? (Math.floor((samplesPerFrame * bitrateKbps * 125) / (sampleRate * LAYER_1_SLOT_BYTES)) + (padding ? 1 : 0)) * LAYER_1_SLOT_BYTES
      : Math.floor((samplesPerFrame * bitrateKbps * 125) / sampleRate) + (padding ? 1 : 0);
  return { version, layer, bitrateKbps, sampleRate, channels: mode === MODE_SINGLE_CHANNEL ? 1 : 2, samplesPerFrame, frameLength, padding, crcProtected };
}
