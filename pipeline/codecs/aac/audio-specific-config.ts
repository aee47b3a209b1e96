// AudioSpecificConfig → object type, rates, channels, frame length and SBR/PS signalling (ISO/IEC 14496-3 §1.6.2.1, §1.6.5, §4.4.1).
import { BitReader } from '../../core/bit-reader.js';
import { ProtocolError, UnsupportedError } from '../../core/errors.js';
import type { AacConfig } from '../../ingest/media-types.js';
import { AUDIO_OBJECT_TYPE, ER_OBJECT_TYPES, GA_OBJECT_TYPES, readAudioObjectType } from './audio-object-type.js';
import { readProgramConfigElement } from './program-config-element.js';
import { readSamplingFrequency } from './sampling-frequency.js';

const WHAT = 'AudioSpecificConfig';
/** Core object types with 1024/960-sample frames that this parser accepts (the AAC family; not LD/ELD, not TwinVQ). */
const AAC_CORE_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 6, 17, 19, 20, 22]);
/** Sync words of the backward-compatible extension signalling that may follow the core config (§1.6.5). */
/** ER AAC types whose GASpecificConfig extension carries the three resilience flags (Table 4.1). */
const ER_AAC_RESILIENCE_TYPES: ReadonlySet<number> = new Set([
  AUDIO_OBJECT_TYPE.ER_AAC_LC,
  AUDIO_OBJECT_TYPE.ER_AAC_LTP,
  AUDIO_OBJECT_TYPE.ER_AAC_SCALABLE,
  AUDIO_OBJECT_TYPE.ER_AAC_LD,
]);
const SYNC_EXTENSION_SBR = 0x2b7;
const SYNC_EXTENSION_PS = 0x548;
const SYNC_EXTENSION_BITS = 11;
/** bits_to_decode() thresholds for looking for the two sync extensions. */
const MIN_BITS_FOR_SBR_SYNC = 16;
const MIN_BITS_FOR_PS_SYNC = 12;
/** Channels by channelConfiguration (Table 1.19 and its amendments); 0 means a PCE defines them, others are reserved. */
const CHANNELS_BY_CONFIGURATION: readonly (number | undefined)[] = [0, 1, 2, 3, 4, 5, 6, 8, undefined, undefined, undefined, 7, 8, 24, 8];
/** frameLengthFlag: 0 → 1024 samples per frame, 1 → 960 (§4.5.1.1). */
const FRAME_LENGTH_DEFAULT = 1024;
const FRAME_LENGTH_SHORT = 960;

export interface AudioSpecificConfigInfo {
  /** The object type signalled first: 5 or 29 for explicit HE-AAC/HE-AACv2, else the core type. */
  readonly audioObjectType: number;
  /** The object type of the core (AAC) decoder, e.g. 2 for HE-AAC. */
  readonly coreObjectType: number;
  /** The core decoder's sampling frequency. */
  readonly samplingFrequency: number;
  readonly channelConfiguration: number;
  /** Output channels: from the configuration or the PCE; 2 with parametric stereo. */
  readonly channels: number;
  /** Core samples per frame. */
  readonly frameLengthSamples: 1024 | 960;
  /** Output samples per frame at outputSampleRate: twice the core length with (non-downsampled) SBR. */
  readonly outputFrameLengthSamples: number;
  readonly sbr: boolean;
  readonly ps: boolean;
  readonly outputSampleRate: number;
  /** RFC 6381: "mp4a.40.29" with PS, "mp4a.40.5" with SBR, else "mp4a.40.<core type>". */
  readonly codecString: string;
}

export function parseAudioSpecificConfig(asc: Uint8Array): AudioSpecificConfigInfo {
  const r = new BitReader(asc, WHAT);
  const bitsConsumed = () => asc.length * 8 - r.bitsLeft;
  const audioObjectType = readAudioObjectType(r);
  const samplingFrequency = readSamplingFrequency(r, WHAT);
  const channelConfiguration = r.bits(4);
  let coreObjectType = audioObjectType;
  let sbr = false;
  let ps = false;
  let extensionFrequency = samplingFrequency;
  // Explicit hierarchical signalling (§1.6.5): AOT 5 (SBR) or 29 (SBR + PS), the output
  // (extension) sampling frequency, then the core object type.
  const explicit = audioObjectType === AUDIO_OBJECT_TYPE.SBR || audioObjectType === AUDIO_OBJECT_TYPE.PS;
  if (explicit) {
    sbr = true;
    ps = audioObjectType === AUDIO_OBJECT_TYPE.PS;
    extensionFrequency = readSamplingFrequency(r, `${WHAT} extension`);
    coreObjectType = readAudioObjectType(r);
    if (coreObjectType === AUDIO_OBJECT_TYPE.ER_BSAC) r.skipBits(4); // extensionChannelConfiguration
  }
  if (!AAC_CORE_TYPES.has(coreObjectType)) {
    throw new UnsupportedError(`${WHAT}: audio object type ${coreObjectType} is not an AAC type this packager handles`, { audioObjectType: coreObjectType });
  }
  const channels = channelsOf(channelConfiguration);
  const ga = readGaSpecificConfig(r, coreObjectType, channelConfiguration, bitsConsumed);
  if (ER_OBJECT_TYPES.has(coreObjectType)) {
    const epConfig = r.bits(2);
    if (epConfig >= 2) throw new UnsupportedError(`${WHAT}: epConfig ${epConfig} (error protection) is not supported`, { epConfig });
  }
  // Explicit backward-compatible signalling (§1.6.5; "implicit" in FFmpeg/hls.js terms): a
  // core-only config may be followed by a sync extension announcing SBR (and then PS), which
  // decoders without SBR ignore. Truly implicit SBR (announced nowhere, found only in the raw
  // frames' fill elements) cannot be seen here: such a stream reads as plain LC.
  if (!explicit && r.bitsLeft >= MIN_BITS_FOR_SBR_SYNC && r.bits(SYNC_EXTENSION_BITS) === SYNC_EXTENSION_SBR) {
    const extensionObjectType = readAudioObjectType(r);
    if (extensionObjectType === AUDIO_OBJECT_TYPE.SBR || extensionObjectType === AUDIO_OBJECT_TYPE.ER_BSAC) {
      sbr = r.bool(); // sbrPresentFlag
      if (sbr) extensionFrequency = readSamplingFrequency(r, `${WHAT} extension`);
      if (extensionObjectType === AUDIO_OBJECT_TYPE.ER_BSAC) r.skipBits(4); // extensionChannelConfiguration
      else if (sbr && r.bitsLeft >= MIN_BITS_FOR_PS_SYNC && r.bits(SYNC_EXTENSION_BITS) === SYNC_EXTENSION_PS) ps = r.bool();
    }
  }
  const outputSampleRate = sbr ? extensionFrequency : samplingFrequency;
  return {
    audioObjectType,
    coreObjectType,
    samplingFrequency,
    channelConfiguration,
    channels: ps ? 2 : (ga.pceChannels ?? channels),
    frameLengthSamples: ga.frameLengthSamples,
    outputFrameLengthSamples: outputFrameLength(ga.frameLengthSamples, samplingFrequency, outputSampleRate),
    sbr,
    ps,
    outputSampleRate,
    codecString: `mp4a.40.${ps ? AUDIO_OBJECT_TYPE.PS : sbr ? AUDIO_OBJECT_TYPE.SBR : coreObjectType}`,
  };
}

/** The AacConfig of media-types.ts: ADTS carries the core object type and the core rate. */
export function aacConfigFromAsc(asc: Uint8Array): AacConfig {
  const info = parseAudioSpecificConfig(asc);
  return {
    codec: 'mp4a',
    asc,
    adtsObjectType: info.coreObjectType,
    coreSampleRate: info.samplingFrequency,
    channelConfig: info.channelConfiguration,
  };
}

interface GaSpecificConfig {
  readonly frameLengthSamples: 1024 | 960;
  readonly pceChannels?: number;
}

/** GASpecificConfig (§4.4.1, Table 4.1). */
function readGaSpecificConfig(r: BitReader, objectType: number, channelConfiguration: number, bitsConsumed: () => number): GaSpecificConfig {
  if (!GA_OBJECT_TYPES.has(objectType)) throw new UnsupportedError(`${WHAT}: no GASpecificConfig for object type ${objectType}`, { objectType });
  const frameLengthSamples = r.bool() ? FRAME_LENGTH_SHORT : FRAME_LENGTH_DEFAULT;
  if (r.bool()) r.skipBits(14); // dependsOnCoreCoder → coreCoderDelay
  const extensionFlag = r.bool();
  const pceChannels = channelConfiguration === 0 ? readProgramConfigElement(r, bitsConsumed) : undefined;
  if (objectType === AUDIO_OBJECT_TYPE.AAC_SCALABLE || objectType === AUDIO_OBJECT_TYPE.ER_AAC_SCALABLE) r.skipBits(3); // layerNr
  if (extensionFlag) {
    if (objectType === AUDIO_OBJECT_TYPE.ER_BSAC) r.skipBits(5 + 11); // numOfSubFrame, layer_length
    // aacSectionDataResilienceFlag, aacScalefactorDataResilienceFlag, aacSpectralDataResilienceFlag
    if (ER_AAC_RESILIENCE_TYPES.has(objectType)) r.skipBits(3);
    r.skipBits(1); // extensionFlag3
  }
  return pceChannels === undefined ? { frameLengthSamples } : { frameLengthSamples, pceChannels };
}

function channelsOf(channelConfiguration: number): number {
  const channels = CHANNELS_BY_CONFIGURATION[channelConfiguration];
  if (channels === undefined) {
    throw new ProtocolError(`${WHAT}: channelConfiguration ${channelConfiguration} is reserved`, { channelConfiguration });
  }
  return channels;
}

/** SBR doubles the output rate, or keeps it in downsampled mode (SBR tool, §4.6.18); other ratios are invalid. */
function outputFrameLength(frameLength: number, coreRate: number, outputRate: number): number {
  if (outputRate === coreRate) return frameLength;
  if (outputRate === 2 * coreRate) return 2 * frameLength;
  throw new ProtocolError(`${WHAT}: SBR output rate ${outputRate} Hz is neither once nor twice the core rate ${coreRate} Hz`, { coreRate, outputRate });
}
