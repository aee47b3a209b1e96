// AudioTag: the typed content of one FLV/RTMP audio tag body (legacy AudioTagHeader or E-RTMP ExAudioTagHeader).
import type { AudioCodec } from './flv-codecs.js';

interface AudioTagBase {
  /** Discriminates AudioTag from VideoTag where both travel together. */
  readonly kind: 'audio';
  readonly codec: AudioCodec;
  /** Multitrack audioTrackId; 0 for a tag that is not multitrack. */
  readonly trackId: number;
  /** E-RTMP ModEx TimestampOffsetNano: nanoseconds to add to the tag's millisecond timestamp. */
  readonly timestampOffsetNs?: number;
}

/** SequenceStart / legacy AAC sequence header: AudioSpecificConfig, Opus ID header, FLAC STREAMINFO… */
export interface AudioSequenceStart extends AudioTagBase {
  readonly packet: 'sequenceStart';
  readonly config: Uint8Array;
}

/** CodedFrames / legacy AAC raw / any other legacy sound data. */
export interface AudioCodedFrames extends AudioTagBase {
  readonly packet: 'codedFrames';
  readonly data: Uint8Array;
}

export interface AudioSequenceEnd extends AudioTagBase {
  readonly packet: 'sequenceEnd';
}

/** The speaker layout of a MultichannelConfig, by AudioChannelOrder. */
export type AudioChannelLayout =
  | { readonly channelOrder: 'unspecified' }
  /** AudioChannelMask bits of the channels present, in native order. */
  | { readonly channelOrder: 'native'; readonly channelFlags: number }
  /** One AudioChannel id per channel, in bitstream order. */
  | { readonly channelOrder: 'custom'; readonly channelMapping: Uint8Array };

/** MultichannelConfig: channel count and layout for codecs that do not describe their own. */
export type AudioMultichannelConfig = AudioTagBase & { readonly packet: 'multichannelConfig'; readonly channelCount: number } & AudioChannelLayout;

/** The header form: extended, or legacy with the SoundFormat id and the rate/size/type bits. */
export type AudioHeaderForm =
  | { readonly enhanced: true }
  | {
      readonly enhanced: false;
      /** Legacy SoundFormat id (several map to one codec: MP3 and MP3 8 kHz, the PCM and Nellymoser variants). */
      readonly soundFormat: number;
      /** SoundRate UB[2]: 0 = 5.5 kHz, 1 = 11 kHz, 2 = 22 kHz, 3 = 44 kHz. */
      readonly soundRate: number;
      /** SoundSize UB[1]: 0 = 8-bit, 1 = 16-bit samples. */
      readonly soundSize: number;
      /** SoundType UB[1]: 0 = mono, 1 = stereo. */
      readonly soundType: number;
    };

export type AudioPacket = AudioSequenceStart | AudioCodedFrames | AudioSequenceEnd | AudioMultichannelConfig;

export type AudioTag = AudioPacket & AudioHeaderForm;
