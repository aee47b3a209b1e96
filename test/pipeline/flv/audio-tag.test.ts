// Audio tag bodies: one case table (legacy SoundFormats and E-RTMP packet types) drives decode, encode and errors.
import { describe, expect, it } from 'vitest';
import { ProtocolError, TruncatedError, UnsupportedError } from '../../../pipeline/core/errors.js';
import { decodeAudioTag, encodeAudioTag, type AudioTag } from '../../../pipeline/flv/index.js';
import { bytes, exAudioByte, legacyAudioByte, modExEntry, timestampOffsetNano, u32 } from '../../helpers/flv-builder.js';

const EX = { kind: 'audio', trackId: 0, enhanced: true } as const;
/** Legacy header fields as the first byte spells them. */
const legacy = (soundFormat: number, soundRate: number, soundSize: number, soundType: number) =>
  ({ kind: 'audio', trackId: 0, enhanced: false, soundFormat, soundRate, soundSize, soundType }) as const;
const ASC = [0x12, 0x10];
const OPUS_HEAD = bytes('OpusHead', 0x01, 0x02, 0x38, 0x01, 0x80, 0xbb, 0x00, 0x00, 0x00, 0x00, 0x00);
const FRAME = [0x21, 0x10, 0x04, 0x60];

interface Case {
  readonly name: string;
  readonly body: Uint8Array;
  readonly tags: AudioTag[];
  readonly canonical: boolean;
}

const AUDIO_CASES: Case[] = [
  // Legacy AudioTagHeader: SoundFormat UB[4] | SoundRate UB[2] | SoundSize UB[1] | SoundType UB[1].
  { name: 'legacy AAC sequence header (AudioSpecificConfig)', body: bytes(0xaf, 0x00, ASC), tags: [{ ...legacy(10, 3, 1, 1), packet: 'sequenceStart', codec: 'mp4a', config: bytes(ASC) }], canonical: true },
  { name: 'legacy AAC raw frame', body: bytes(0xaf, 0x01, FRAME), tags: [{ ...legacy(10, 3, 1, 1), packet: 'codedFrames', codec: 'mp4a', data: bytes(FRAME) }], canonical: true },
  { name: 'legacy AAC mono header bits kept as sent', body: bytes(legacyAudioByte(10, 3, 1, 0), 0x01, FRAME), tags: [{ ...legacy(10, 3, 1, 0), packet: 'codedFrames', codec: 'mp4a', data: bytes(FRAME) }], canonical: true },
  { name: 'legacy MP3', body: bytes(legacyAudioByte(2, 3, 1, 1), 0xff, 0xfb), tags: [{ ...legacy(2, 3, 1, 1), packet: 'codedFrames', codec: '.mp3', data: bytes(0xff, 0xfb) }], canonical: true },
  { name: 'legacy MP3 8 kHz (SoundFormat 14)', body: bytes(legacyAudioByte(14, 0, 1, 0), 0xff, 0xe3), tags: [{ ...legacy(14, 0, 1, 0), packet: 'codedFrames', codec: '.mp3', data: bytes(0xff, 0xe3) }], canonical: true },
  { name: 'legacy linear PCM, platform endian', body: bytes(legacyAudioByte(0, 3, 1, 1), 0x01, 0x02), tags: [{ ...legacy(0, 3, 1, 1), packet: 'codedFrames', codec: 'pcm', data: bytes(0x01, 0x02) }], canonical: true },
  { name: 'legacy linear PCM, little endian, 8-bit mono 5.5 kHz', body: bytes(legacyAudioByte(3, 0, 0, 0), 0x80), tags: [{ ...legacy(3, 0, 0, 0), packet: 'codedFrames', codec: 'pcm', data: bytes(0x80) }], canonical: true },
  { name: 'legacy ADPCM', body: bytes(legacyAudioByte(1, 1, 1, 0), 0x00), tags: [{ ...legacy(1, 1, 1, 0), packet: 'codedFrames', codec: 'adpcm', data: bytes(0x00) }], canonical: true },
  { name: 'legacy Nellymoser 16 kHz mono', body: bytes(legacyAudioByte(4, 0, 1, 0), 0x01), tags: [{ ...legacy(4, 0, 1, 0), packet: 'codedFrames', codec: 'nellymoser', data: bytes(0x01) }], canonical: true },
  { name: 'legacy Nellymoser 8 kHz mono', body: bytes(legacyAudioByte(5, 0, 1, 0), 0x01), tags: [{ ...legacy(5, 0, 1, 0), packet: 'codedFrames', codec: 'nellymoser', data: bytes(0x01) }], canonical: true },
  { name: 'legacy Nellymoser', body: bytes(legacyAudioByte(6, 2, 1, 0), 0x01), tags: [{ ...legacy(6, 2, 1, 0), packet: 'codedFrames', codec: 'nellymoser', data: bytes(0x01) }], canonical: true },
  { name: 'legacy G.711 A-law', body: bytes(legacyAudioByte(7, 0, 1, 0), 0xd5), tags: [{ ...legacy(7, 0, 1, 0), packet: 'codedFrames', codec: 'alaw', data: bytes(0xd5) }], canonical: true },
  { name: 'legacy G.711 mu-law', body: bytes(legacyAudioByte(8, 0, 1, 0), 0xff), tags: [{ ...legacy(8, 0, 1, 0), packet: 'codedFrames', codec: 'ulaw', data: bytes(0xff) }], canonical: true },
  { name: 'legacy Speex', body: bytes(legacyAudioByte(11, 1, 1, 0), 0x1e), tags: [{ ...legacy(11, 1, 1, 0), packet: 'codedFrames', codec: 'speex', data: bytes(0x1e) }], canonical: true },
  { name: 'legacy device-specific sound', body: bytes(legacyAudioByte(15, 3, 1, 1)), tags: [{ ...legacy(15, 3, 1, 1), packet: 'codedFrames', codec: 'device-specific', data: bytes() }], canonical: true },

  // ExAudioTagHeader: SoundFormat 9 | AudioPacketType UB[4], FourCC.
  { name: 'E-RTMP Opus SequenceStart (ID header)', body: bytes(exAudioByte(0), 'Opus', OPUS_HEAD), tags: [{ ...EX, packet: 'sequenceStart', codec: 'Opus', config: OPUS_HEAD }], canonical: true },
  { name: 'E-RTMP Opus CodedFrames', body: bytes(exAudioByte(1), 'Opus', 0xf8, 0xff), tags: [{ ...EX, packet: 'codedFrames', codec: 'Opus', data: bytes(0xf8, 0xff) }], canonical: true },
  { name: 'E-RTMP mp4a SequenceStart', body: bytes(0x90, 'mp4a', ASC), tags: [{ ...EX, packet: 'sequenceStart', codec: 'mp4a', config: bytes(ASC) }], canonical: true },
  { name: 'E-RTMP fLaC SequenceStart', body: bytes(0x90, 'fLaC', 'fLaC', 0x00), tags: [{ ...EX, packet: 'sequenceStart', codec: 'fLaC', config: bytes('fLaC', 0x00) }], canonical: true },
  { name: 'E-RTMP ac-3 CodedFrames', body: bytes(0x91, 'ac-3', 0x0b, 0x77), tags: [{ ...EX, packet: 'codedFrames', codec: 'ac-3', data: bytes(0x0b, 0x77) }], canonical: true },
  { name: 'E-RTMP ec-3 CodedFrames', body: bytes(0x91, 'ec-3', 0x0b, 0x77), tags: [{ ...EX, packet: 'codedFrames', codec: 'ec-3', data: bytes(0x0b, 0x77) }], canonical: true },
  { name: 'E-RTMP .mp3 CodedFrames', body: bytes(0x91, '.mp3', 0xff, 0xfb), tags: [{ ...EX, packet: 'codedFrames', codec: '.mp3', data: bytes(0xff, 0xfb) }], canonical: true },
  { name: 'E-RTMP SequenceEnd', body: bytes(exAudioByte(2), 'mp4a'), tags: [{ ...EX, packet: 'sequenceEnd', codec: 'mp4a' }], canonical: true },
  { name: 'E-RTMP MultichannelConfig, native order (mono front centre, as FFmpeg writes)', body: bytes(exAudioByte(4), 'Opus', 0x01, 0x01, u32(0x04)), tags: [{ ...EX, packet: 'multichannelConfig', codec: 'Opus', channelCount: 1, channelOrder: 'native', channelFlags: 4 }], canonical: true },
  { name: 'E-RTMP MultichannelConfig, native 5.1 mask', body: bytes(0x94, 'Opus', 0x01, 0x06, u32(0x3f)), tags: [{ ...EX, packet: 'multichannelConfig', codec: 'Opus', channelCount: 6, channelOrder: 'native', channelFlags: 0x3f }], canonical: true },
  { name: 'E-RTMP MultichannelConfig, all 32 mask bits', body: bytes(0x94, 'Opus', 0x01, 0x02, u32(0xffffffff)), tags: [{ ...EX, packet: 'multichannelConfig', codec: 'Opus', channelCount: 2, channelOrder: 'native', channelFlags: 0xffffffff }], canonical: true },
  { name: 'E-RTMP MultichannelConfig, custom mapping', body: bytes(0x94, 'Opus', 0x02, 0x03, 0x01, 0x00, 0xff), tags: [{ ...EX, packet: 'multichannelConfig', codec: 'Opus', channelCount: 3, channelOrder: 'custom', channelMapping: bytes(0x01, 0x00, 0xff) }], canonical: true },
  { name: 'E-RTMP MultichannelConfig, unspecified order', body: bytes(0x94, 'fLaC', 0x00, 0x08), tags: [{ ...EX, packet: 'multichannelConfig', codec: 'fLaC', channelCount: 8, channelOrder: 'unspecified' }], canonical: true },
  { name: 'ModEx TimestampOffsetNano before Opus CodedFrames', body: bytes(exAudioByte(7), timestampOffsetNano(20_833, 1), 'Opus', 0xf8), tags: [{ ...EX, timestampOffsetNs: 20_833, packet: 'codedFrames', codec: 'Opus', data: bytes(0xf8) }], canonical: true },
  { name: 'two ModEx entries: an unknown type skipped, then TimestampOffsetNano', body: bytes(0x97, modExEntry([1, 2], 5, 7), timestampOffsetNano(1, 0), 'mp4a', ASC), tags: [{ ...EX, timestampOffsetNs: 1, packet: 'sequenceStart', codec: 'mp4a', config: bytes(ASC) }], canonical: false },
];

describe('decodeAudioTag', () => {
  it.each(AUDIO_CASES)('$name', ({ body, tags }) => {
    expect(decodeAudioTag(body)).toEqual(tags);
  });

  it('returns no tag for an empty body (the RTMP silence message)', () => {
    expect(decodeAudioTag(bytes())).toEqual([]);
  });
});

describe('encodeAudioTag', () => {
  it.each(AUDIO_CASES)('round-trips: $name', ({ body, tags, canonical }) => {
    const encoded = encodeAudioTag(tags);
    expect(decodeAudioTag(encoded)).toEqual(tags);
    if (canonical) expect(encoded).toEqual(body);
  });
});

const ERROR_CASES: { name: string; body: Uint8Array; error: typeof TruncatedError; message: RegExp }[] = [
  { name: 'legacy SoundFormat 12 (reserved)', body: bytes(legacyAudioByte(12, 3, 1, 1), 0x00), error: UnsupportedError, message: /SoundFormat 12/ },
  { name: 'legacy SoundFormat 13 (reserved)', body: bytes(legacyAudioByte(13, 3, 1, 1), 0x00), error: UnsupportedError, message: /SoundFormat 13/ },
  { name: 'legacy AACPacketType 2', body: bytes(0xaf, 0x02), error: UnsupportedError, message: /AACPacketType 2/ },
  { name: 'legacy AAC without AACPacketType', body: bytes(0xaf), error: TruncatedError, message: /audio/ },
  { name: 'E-RTMP unknown FourCC', body: bytes(0x91, 'vorb', 0x00), error: UnsupportedError, message: /FourCC "vorb"/ },
  { name: 'E-RTMP AudioPacketType 3 (reserved)', body: bytes(exAudioByte(3), 'Opus'), error: UnsupportedError, message: /AudioPacketType 3/ },
  { name: 'E-RTMP AudioPacketType 6 (reserved)', body: bytes(exAudioByte(6), 'Opus'), error: UnsupportedError, message: /AudioPacketType 6/ },
  { name: 'E-RTMP AudioPacketType 8 (reserved)', body: bytes(exAudioByte(8), 'Opus'), error: UnsupportedError, message: /AudioPacketType 8/ },
  { name: 'E-RTMP FourCC cut short', body: bytes(0x91, 'Op'), error: TruncatedError, message: /audio/ },
  { name: 'MultichannelConfig with AudioChannelOrder 3', body: bytes(0x94, 'Opus', 0x03, 0x02), error: UnsupportedError, message: /AudioChannelOrder 3/ },
  { name: 'MultichannelConfig custom mapping cut short', body: bytes(0x94, 'Opus', 0x02, 0x03, 0x00), error: TruncatedError, message: /audio/ },
  { name: 'MultichannelConfig native flags cut short', body: bytes(0x94, 'Opus', 0x01, 0x02, 0x00, 0x00), error: TruncatedError, message: /audio/ },
  { name: 'MultichannelConfig without channel count', body: bytes(0x94, 'Opus', 0x00), error: TruncatedError, message: /audio/ },
  { name: 'ModEx TimestampOffsetNano with 1 data byte', body: bytes(0x97, modExEntry([5], 0, 1), 'Opus'), error: ProtocolError, message: /TimestampOffsetNano needs 3 bytes/ },
];

describe('decodeAudioTag errors', () => {
  it.each(ERROR_CASES)('$name', ({ body, error, message }) => {
    expect(() => decodeAudioTag(body)).toThrow(error);
    expect(() => decodeAudioTag(body)).toThrow(message);
  });
});

const ENCODE_ERRORS: { name: string; tags: AudioTag[]; error: typeof ProtocolError }[] = [
  { name: 'no tags', tags: [], error: ProtocolError },
  { name: 'enhanced pcm (no FourCC)', tags: [{ ...EX, packet: 'codedFrames', codec: 'pcm', data: bytes() }], error: UnsupportedError },
  { name: 'legacy Opus (no SoundFormat)', tags: [{ ...legacy(10, 3, 1, 1), packet: 'codedFrames', codec: 'Opus', data: bytes() }], error: ProtocolError },
  { name: 'legacy SoundFormat 9 (the ExHeader marker)', tags: [{ ...legacy(9, 3, 1, 1), packet: 'codedFrames', codec: 'Opus', data: bytes() }], error: UnsupportedError },
  { name: 'legacy MultichannelConfig', tags: [{ ...legacy(10, 3, 1, 1), packet: 'multichannelConfig', codec: 'mp4a', channelCount: 2, channelOrder: 'unspecified' }], error: UnsupportedError },
  { name: 'legacy MP3 sequence start', tags: [{ ...legacy(2, 3, 1, 1), packet: 'sequenceStart', codec: '.mp3', config: bytes() }], error: UnsupportedError },
  { name: 'legacy AAC sequence end', tags: [{ ...legacy(10, 3, 1, 1), packet: 'sequenceEnd', codec: 'mp4a' }], error: UnsupportedError },
  { name: 'legacy SoundRate 4', tags: [{ ...legacy(10, 4, 1, 1), packet: 'codedFrames', codec: 'mp4a', data: bytes() }], error: ProtocolError },
  { name: 'legacy SoundSize 2', tags: [{ ...legacy(10, 3, 2, 1), packet: 'codedFrames', codec: 'mp4a', data: bytes() }], error: ProtocolError },
  { name: 'legacy tag with a trackId', tags: [{ ...legacy(10, 3, 1, 1), trackId: 2, packet: 'codedFrames', codec: 'mp4a', data: bytes() }], error: ProtocolError },
  { name: 'legacy tag with a timestamp offset', tags: [{ ...legacy(10, 3, 1, 1), timestampOffsetNs: 1, packet: 'codedFrames', codec: 'mp4a', data: bytes() }], error: ProtocolError },
  { name: 'custom mapping shorter than the channel count', tags: [{ ...EX, packet: 'multichannelConfig', codec: 'Opus', channelCount: 3, channelOrder: 'custom', channelMapping: bytes(0, 1) }], error: ProtocolError },
  { name: 'channel count 256', tags: [{ ...EX, packet: 'multichannelConfig', codec: 'Opus', channelCount: 256, channelOrder: 'unspecified' }], error: ProtocolError },
  { name: 'channel flags beyond UI32', tags: [{ ...EX, packet: 'multichannelConfig', codec: 'Opus', channelCount: 2, channelOrder: 'native', channelFlags: 2 ** 32 }], error: ProtocolError },
];

describe('encodeAudioTag errors', () => {
  it.each(ENCODE_ERRORS)('$name', ({ tags, error }) => {
    expect(() => encodeAudioTag(tags)).toThrow(error);
  });
});
