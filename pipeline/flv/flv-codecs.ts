// Codec names of FLV tags: legacy CodecID/SoundFormat ids and E-RTMP FourCCs, both ways.
import { UnsupportedError } from '../core/errors.js';
import type { ByteReader } from '../core/byte-reader.js';
import { AUDIO_FOURCC, SOUND_FORMAT, VIDEO_CODEC_ID, VIDEO_FOURCC } from './flv-constants.js';

/** Video codecs: FourCCs for those E-RTMP defines, descriptive names for the Flash-era ones. */
export type VideoCodec = 'avc1' | 'hvc1' | 'vvc1' | 'av01' | 'vp09' | 'vp08' | 'h263' | 'screen' | 'vp6' | 'vp6a' | 'screen2';

/** Audio codecs: FourCCs for those E-RTMP defines, descriptive names for the legacy-only ones. */
export type AudioCodec =
  | 'mp4a' | '.mp3' | 'Opus' | 'fLaC' | 'ac-3' | 'ec-3'
  | 'pcm' | 'adpcm' | 'nellymoser' | 'alaw' | 'ulaw' | 'speex' | 'device-specific';

const VIDEO_CODEC_BY_ID: ReadonlyMap<number, VideoCodec> = new Map<number, VideoCodec>([
  [VIDEO_CODEC_ID.SORENSON_H263, 'h263'],
  [VIDEO_CODEC_ID.SCREEN, 'screen'],
  [VIDEO_CODEC_ID.ON2_VP6, 'vp6'],
  [VIDEO_CODEC_ID.ON2_VP6A, 'vp6a'],
  [VIDEO_CODEC_ID.SCREEN_V2, 'screen2'],
  [VIDEO_CODEC_ID.AVC, 'avc1'],
  [VIDEO_CODEC_ID.HEVC_UNOFFICIAL, 'hvc1'],
]);

const VIDEO_ID_BY_CODEC: ReadonlyMap<VideoCodec, number> = new Map([...VIDEO_CODEC_BY_ID].map(([id, c]) => [c, id]));

const VIDEO_FOURCCS: ReadonlySet<string> = new Set(Object.values(VIDEO_FOURCC));

/** Legacy SoundFormat → codec; several ids share a codec (the id stays on the legacy tag). */
const AUDIO_CODEC_BY_SOUND_FORMAT: ReadonlyMap<number, AudioCodec> = new Map<number, AudioCodec>([
  [SOUND_FORMAT.LPCM_PLATFORM_ENDIAN, 'pcm'],
  [SOUND_FORMAT.ADPCM, 'adpcm'],
  [SOUND_FORMAT.MP3, '.mp3'],
  [SOUND_FORMAT.LPCM_LITTLE_ENDIAN, 'pcm'],
  [SOUND_FORMAT.NELLYMOSER_16K_MONO, 'nellymoser'],
  [SOUND_FORMAT.NELLYMOSER_8K_MONO, 'nellymoser'],
  [SOUND_FORMAT.NELLYMOSER, 'nellymoser'],
  [SOUND_FORMAT.G711_A_LAW, 'alaw'],
  [SOUND_FORMAT.G711_MU_LAW, 'ulaw'],
  [SOUND_FORMAT.AAC, 'mp4a'],
  [SOUND_FORMAT.SPEEX, 'speex'],
  [SOUND_FORMAT.MP3_8K, '.mp3'],
  [SOUND_FORMAT.NATIVE, 'device-specific'],
]);

const AUDIO_FOURCCS: ReadonlySet<string> = new Set(Object.values(AUDIO_FOURCC));

/** A FourCC for messages: printable as is, otherwise also in hex. */
function describeFourCc(fourCc: string): string {
  const hex = [...fourCc].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return /^[\x20-\x7e]{4}$/.test(fourCc) ? `"${fourCc}" (0x${hex})` : `0x${hex}`;
}

export function videoCodecFromCodecId(codecId: number): VideoCodec {
  const codec = VIDEO_CODEC_BY_ID.get(codecId);
  if (codec === undefined) throw new UnsupportedError(`FLV video: unknown CodecID ${codecId}`, { codecId });
  return codec;
}

/** The legacy CodecID of a codec, or undefined when it exists only as a FourCC. */
export function codecIdOfVideoCodec(codec: VideoCodec): number | undefined {
  return VIDEO_ID_BY_CODEC.get(codec);
}

export function isVideoFourCc(codec: string): codec is VideoCodec {
  return VIDEO_FOURCCS.has(codec);
}

/** Reads a VideoFourCc; an unknown one is an UnsupportedError naming it. */
export function readVideoFourCc(r: ByteReader): VideoCodec {
  const fourCc = r.fourCc();
  if (!isVideoFourCc(fourCc)) throw new UnsupportedError(`E-RTMP video: unknown FourCC ${describeFourCc(fourCc)}`, { fourCc });
  return fourCc;
}

/** Codecs whose CodedFrames carry an SI24 CompositionTime (E-RTMP v2 ExVideoTagBody). */
export function hasCompositionTime(codec: VideoCodec): boolean {
  return codec === 'avc1' || codec === 'hvc1' || codec === 'vvc1';
}

export function audioCodecFromSoundFormat(soundFormat: number): AudioCodec {
  const codec = AUDIO_CODEC_BY_SOUND_FORMAT.get(soundFormat);
  if (codec === undefined) throw new UnsupportedError(`FLV audio: unknown SoundFormat ${soundFormat}`, { soundFormat });
  return codec;
}

export function isAudioFourCc(codec: string): codec is AudioCodec {
  return AUDIO_FOURCCS.has(codec);
}

/** Reads an AudioFourCc; an unknown one is an UnsupportedError naming it. */
export function readAudioFourCc(r: ByteReader): AudioCodec {
  const fourCc = r.fourCc();
  if (!isAudioFourCc(fourCc)) throw new UnsupportedError(`E-RTMP audio: unknown FourCC ${describeFourCc(fourCc)}`, { fourCc });
  return fourCc;
}
