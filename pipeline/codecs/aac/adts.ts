// ADTS frame header: writing one before each raw AAC frame for MPEG-TS, and reading one back (ISO/IEC 13818-7 §6.2, ISO/IEC 14496-3 §1.A.2.2).
import { BitReader } from '../../core/bit-reader.js';
import { LimitError, ProtocolError, UnsupportedError } from '../../core/errors.js';
import type { AacConfig } from '../../ingest/media-types.js';
import { samplingFrequencyIndex, samplingFrequencyOf } from './sampling-frequency.js';

export const ADTS_SYNCWORD = 0xfff;
/** adts_fixed_header + adts_variable_header without CRC; 2 more bytes when protection_absent is 0. */
export const ADTS_HEADER_SIZE = 7;
const ADTS_CRC_SIZE = 2;
/** aac_frame_length is 13 bits and counts the header too. */
export const MAX_ADTS_FRAME_LENGTH = 0x1fff;
/** adts_buffer_fullness 0x7FF signals a variable-rate stream. */
const BUFFER_FULLNESS_VBR = 0x7ff;
/** profile_ObjectType is 2 bits: object types 1..4 (Main, LC, SSR, LTP). */
const MAX_ADTS_OBJECT_TYPE = 4;
/** channel_configuration is 3 bits; 0 means a PCE in the raw data defines the channels. */
const MAX_ADTS_CHANNEL_CONFIG = 7;

export interface AdtsHeader {
  /** ID: 0 for MPEG-4, 1 for MPEG-2. */
  readonly mpegVersion: 2 | 4;
  readonly protectionAbsent: boolean;
  /** profile_ObjectType + 1: the MPEG-4 audio object type. */
  readonly objectType: number;
  readonly samplingFrequencyIndex: number;
  readonly sampleRate: number;
  readonly channelConfig: number;
  /** aac_frame_length: header, optional CRC and raw data. */
  readonly frameLength: number;
  readonly headerLength: number;
  readonly bufferFullness: number;
  readonly rawDataBlocks: number;
}

/** A 7-byte ADTS header (MPEG-4 ID, no CRC, one raw data block) for a raw frame of `rawFrameLength` bytes. */
export function adtsHeader(config: AacConfig, rawFrameLength: number): Uint8Array {
  const objectType = config.adtsObjectType;
  if (!Number.isInteger(objectType) || objectType < 1 || objectType > MAX_ADTS_OBJECT_TYPE) {
    throw new UnsupportedError(`ADTS: audio object type ${objectType} cannot be carried (profile_ObjectType holds types 1..4)`, { objectType });
  }
  const frequencyIndex = samplingFrequencyIndex(config.coreSampleRate);
  if (frequencyIndex === undefined) {
    throw new UnsupportedError(`ADTS: sample rate ${config.coreSampleRate} Hz has no sampling_frequency_index`, { sampleRate: config.coreSampleRate });
  }
  const channels = config.channelConfig;
  if (channels === 0) {
    throw new UnsupportedError('ADTS: channel configuration 0 (channels defined by a program config element) is not supported in MPEG-TS output', { channelConfig: 0 });
  }
  if (!Number.isInteger(channels) || channels < 0 || channels > MAX_ADTS_CHANNEL_CONFIG) {
    throw new UnsupportedError(`ADTS: channel configuration ${channels} does not fit channel_configuration (1..7)`, { channelConfig: channels });
  }
  if (!Number.isInteger(rawFrameLength) || rawFrameLength < 0) {
    throw new ProtocolError(`ADTS: raw frame length ${rawFrameLength} is not a byte count`, { rawFrameLength });
  }
  const frameLength = rawFrameLength + ADTS_HEADER_SIZE;
  if (frameLength > MAX_ADTS_FRAME_LENGTH) {
    throw new LimitError(`ADTS: frame of ${frameLength} bytes exceeds the 13-bit aac_frame_length (${MAX_ADTS_FRAME_LENGTH})`, { frameLength });
  }
  const profile = objectType - 1;
  return Uint8Array.of(
    0xff, // syncword (12 bits) …
    0xf1, // … ID 0 (MPEG-4), layer 00, protection_absent 1
    (profile << 6) | (frequencyIndex << 2) | (channels >> 2), // profile, sampling_frequency_index, private_bit 0, channel_configuration MSB
    ((channels & 0x03) << 6) | (frameLength >> 11), // channel_configuration, original_copy, home, copyright bits 0, aac_frame_length (2 MSBs)
    (frameLength >> 3) & 0xff,
    ((frameLength & 0x07) << 5) | (BUFFER_FULLNESS_VBR >> 6),
    (BUFFER_FULLNESS_VBR & 0x3f) << 2, // adts_buffer_fullness, number_of_raw_data_blocks_in_frame 0 (one block)
  );
}

/** Reads an ADTS header at the start of `bytes`. */
export function parseAdtsHeader(bytes: Uint8Array): AdtsHeader {
  const r = new BitReader(bytes, 'ADTS header');
  const sync = r.bits(12);
  if (sync !== ADTS_SYNCWORD) throw new ProtocolError(`ADTS header: syncword 0x${sync.toString(16)}, expected 0xfff`, { sync });
  const mpegVersion = r.bit() === 1 ? 2 : 4;
  const layer = r.bits(2);
  if (layer !== 0) throw new ProtocolError(`ADTS header: layer ${layer}, expected 0`, { layer });
  const protectionAbsent = r.bool();
  const objectType = r.bits(2) + 1;
  const frequencyIndex = r.bits(4);
  const sampleRate = samplingFrequencyOf(frequencyIndex, 'ADTS header');
  r.skipBits(1); // private_bit
  const channelConfig = r.bits(3);
  r.skipBits(4); // original_copy, home, copyright_identification_bit, copyright_identification_start
  const frameLength = r.bits(13);
  const bufferFullness = r.bits(11);
  const rawDataBlocks = r.bits(2) + 1;
  const headerLength = ADTS_HEADER_SIZE + (protectionAbsent ? 0 : ADTS_CRC_SIZE);
  if (frameLength < headerLength) {
    throw new ProtocolError(`ADTS header: aac_frame_length ${frameLength} is shorter than the ${headerLength}-byte header`, { frameLength });
  }
  return { mpegVersion, protectionAbsent, objectType, samplingFrequencyIndex: frequencyIndex, sampleRate, channelConfig, frameLength, headerLength, bufferFullness, rawDataBlocks };
}
