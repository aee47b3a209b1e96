// E-RTMP multitrack packets, audio and video: OneTrack, ManyTracks, ManyTracksManyCodecs, with and without ModEx.
import { describe, expect, it } from 'vitest';
import { LimitError, ProtocolError, TruncatedError, UnsupportedError } from '../../../pipeline/core/errors.js';
import { MAX_TRACKS } from '../../../pipeline/core/limits.js';
import { decodeAudioTag, decodeVideoTag, encodeAudioTag, encodeVideoTag, type AudioTag, type VideoTag } from '../../../pipeline/flv/index.js';
import { bytes, exAudioByte, exVideoByte, multitrackByte, si24, timestampOffsetNano, track, u24 } from '../../helpers/flv-builder.js';

const V = { kind: 'video', enhanced: true } as const;
const A = { kind: 'audio', enhanced: true } as const;
const VIDEO_MULTITRACK = 6;
const AUDIO_MULTITRACK = 5;
const [ONE_TRACK, MANY_TRACKS, MANY_TRACKS_MANY_CODECS] = [0, 1, 2];

const VIDEO_CASES: { name: string; body: Uint8Array; tags: VideoTag[]; canonical: boolean }[] = [
  {
    name: 'OneTrack hvc1 CodedFrames on track 3 (no size field)',
    body: bytes(exVideoByte(1, VIDEO_MULTITRACK), multitrackByte(ONE_TRACK, 1), 'hvc1', track({ trackId: 3, sized: false, body: [si24(-33), 0xaa] })),
    tags: [{ ...V, trackId: 3, packet: 'codedFrames', codec: 'hvc1', frameType: 'keyframe', compositionTimeMs: -33, data: bytes(0xaa) }],
    canonical: true,
  },
  {
    name: 'OneTrack on track 0 (re-encoded without multitrack)',
    body: bytes(exVideoByte(2, VIDEO_MULTITRACK), multitrackByte(ONE_TRACK, 1), 'av01', track({ trackId: 0, sized: false, body: [0x12, 0x00] })),
    tags: [{ ...V, trackId: 0, packet: 'codedFrames', codec: 'av01', frameType: 'interframe', compositionTimeMs: 0, data: bytes(0x12, 0x00) }],
    canonical: false,
  },
  {
    name: 'ManyTracks avc1 CodedFrames: one FourCC, sized tracks, composition time per track',
    body: bytes(
      exVideoByte(2, VIDEO_MULTITRACK), multitrackByte(MANY_TRACKS, 1), 'avc1',
      track({ trackId: 0, sized: true, body: [si24(40), 0x01, 0x02] }),
      track({ trackId: 1, sized: true, body: [si24(-40), 0x03] }),
    ),
    tags: [
      { ...V, trackId: 0, packet: 'codedFrames', codec: 'avc1', frameType: 'interframe', compositionTimeMs: 40, data: bytes(0x01, 0x02) },
      { ...V, trackId: 1, packet: 'codedFrames', codec: 'avc1', frameType: 'interframe', compositionTimeMs: -40, data: bytes(0x03) },
    ],
    canonical: true,
  },
  {
    name: 'ManyTracks hvc1 CodedFramesX',
    body: bytes(
      exVideoByte(1, VIDEO_MULTITRACK), multitrackByte(MANY_TRACKS, 3), 'hvc1',
      track({ trackId: 0, sized: true, body: [0x26, 0x01] }),
      track({ trackId: 2, sized: true, body: [0x26, 0x02] }),
    ),
    tags: [
      { ...V, trackId: 0, packet: 'codedFrames', codec: 'hvc1', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(0x26, 0x01) },
      { ...V, trackId: 2, packet: 'codedFrames', codec: 'hvc1', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(0x26, 0x02) },
    ],
    canonical: true,
  },
  {
    name: 'ManyTracksManyCodecs SequenceStart: av01 and hvc1, FourCC per track',
    body: bytes(
      exVideoByte(1, VIDEO_MULTITRACK), multitrackByte(MANY_TRACKS_MANY_CODECS, 0),
      track({ fourCc: 'av01', trackId: 0, sized: true, body: [0x81, 0x04] }),
      track({ fourCc: 'hvc1', trackId: 1, sized: true, body: [0x01] }),
    ),
    tags: [
      { ...V, trackId: 0, packet: 'sequenceStart', codec: 'av01', config: bytes(0x81, 0x04) },
      { ...V, trackId: 1, packet: 'sequenceStart', codec: 'hvc1', config: bytes(0x01) },
    ],
    canonical: true,
  },
  {
    name: 'ManyTracksManyCodecs CodedFrames: av01 without and avc1 with composition time',
    body: bytes(
      exVideoByte(1, VIDEO_MULTITRACK), multitrackByte(MANY_TRACKS_MANY_CODECS, 1),
      track({ fourCc: 'av01', trackId: 0, sized: true, body: [0x12] }),
      track({ fourCc: 'avc1', trackId: 1, sized: true, body: [si24(0), 0x65] }),
    ),
    tags: [
      { ...V, trackId: 0, packet: 'codedFrames', codec: 'av01', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(0x12) },
      { ...V, trackId: 1, packet: 'codedFrames', codec: 'avc1', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(0x65) },
    ],
    canonical: true,
  },
  {
    name: 'ManyTracks SequenceEnd with empty track bodies',
    body: bytes(exVideoByte(1, VIDEO_MULTITRACK), multitrackByte(MANY_TRACKS, 2), 'vp09', track({ trackId: 4, sized: true, body: [] }), track({ trackId: 5, sized: true, body: [] })),
    tags: [
      { ...V, trackId: 4, packet: 'sequenceEnd', codec: 'vp09' },
      { ...V, trackId: 5, packet: 'sequenceEnd', codec: 'vp09' },
    ],
    canonical: true,
  },
  {
    name: 'OneTrack Metadata (keyframe type, since Command would make it a command frame)',
    body: bytes(exVideoByte(1, VIDEO_MULTITRACK), multitrackByte(ONE_TRACK, 4), 'av01', track({ trackId: 1, sized: false, body: [0x02, 0x00] })),
    tags: [{ ...V, trackId: 1, packet: 'metadata', codec: 'av01', body: bytes(0x02, 0x00) }],
    canonical: true,
  },
  {
    name: 'ModEx TimestampOffsetNano, then ManyTracks: the offset applies to every track',
    body: bytes(
      exVideoByte(2, 7), timestampOffsetNano(123_456, VIDEO_MULTITRACK), multitrackByte(MANY_TRACKS, 1), 'av01',
      track({ trackId: 0, sized: true, body: [0x01] }),
      track({ trackId: 1, sized: true, body: [0x02] }),
    ),
    tags: [
      { ...V, trackId: 0, timestampOffsetNs: 123_456, packet: 'codedFrames', codec: 'av01', frameType: 'interframe', compositionTimeMs: 0, data: bytes(0x01) },
      { ...V, trackId: 1, timestampOffsetNs: 123_456, packet: 'codedFrames', codec: 'av01', frameType: 'interframe', compositionTimeMs: 0, data: bytes(0x02) },
    ],
    canonical: true,
  },
];

const AUDIO_CASES: { name: string; body: Uint8Array; tags: AudioTag[]; canonical: boolean }[] = [
  {
    name: 'OneTrack Opus CodedFrames on track 2',
    body: bytes(exAudioByte(AUDIO_MULTITRACK), multitrackByte(ONE_TRACK, 1), 'Opus', track({ trackId: 2, sized: false, body: [0xf8, 0x01] })),
    tags: [{ ...A, trackId: 2, packet: 'codedFrames', codec: 'Opus', data: bytes(0xf8, 0x01) }],
    canonical: true,
  },
  {
    name: 'ManyTracks mp4a CodedFrames (two languages)',
    body: bytes(exAudioByte(AUDIO_MULTITRACK), multitrackByte(MANY_TRACKS, 1), 'mp4a', track({ trackId: 0, sized: true, body: [0x21, 0x00] }), track({ trackId: 1, sized: true, body: [0x21] })),
    tags: [
      { ...A, trackId: 0, packet: 'codedFrames', codec: 'mp4a', data: bytes(0x21, 0x00) },
      { ...A, trackId: 1, packet: 'codedFrames', codec: 'mp4a', data: bytes(0x21) },
    ],
    canonical: true,
  },
  {
    name: 'ManyTracksManyCodecs SequenceStart: Opus and mp4a',
    body: bytes(
      exAudioByte(AUDIO_MULTITRACK), multitrackByte(MANY_TRACKS_MANY_CODECS, 0),
      track({ fourCc: 'Opus', trackId: 0, sized: true, body: ['OpusHead'] }),
      track({ fourCc: 'mp4a', trackId: 1, sized: true, body: [0x12, 0x10] }),
    ),
    tags: [
      { ...A, trackId: 0, packet: 'sequenceStart', codec: 'Opus', config: bytes('OpusHead') },
      { ...A, trackId: 1, packet: 'sequenceStart', codec: 'mp4a', config: bytes(0x12, 0x10) },
    ],
    canonical: true,
  },
  {
    name: 'ManyTracks MultichannelConfig',
    body: bytes(exAudioByte(AUDIO_MULTITRACK), multitrackByte(MANY_TRACKS, 4), 'Opus', track({ trackId: 0, sized: true, body: [0x01, 0x02, 0x00, 0x00, 0x00, 0x03] }), track({ trackId: 1, sized: true, body: [0x02, 0x01, 0x02] })),
    tags: [
      { ...A, trackId: 0, packet: 'multichannelConfig', codec: 'Opus', channelCount: 2, channelOrder: 'native', channelFlags: 3 },
      { ...A, trackId: 1, packet: 'multichannelConfig', codec: 'Opus', channelCount: 1, channelOrder: 'custom', channelMapping: bytes(0x02) },
    ],
    canonical: true,
  },
  {
    name: 'ModEx TimestampOffsetNano, then OneTrack',
    body: bytes(exAudioByte(7), timestampOffsetNano(5, AUDIO_MULTITRACK), multitrackByte(ONE_TRACK, 2), 'fLaC', track({ trackId: 9, sized: false, body: [] })),
    tags: [{ ...A, trackId: 9, timestampOffsetNs: 5, packet: 'sequenceEnd', codec: 'fLaC' }],
    canonical: true,
  },
];

describe('multitrack video', () => {
  it.each(VIDEO_CASES)('decodes and re-encodes: $name', ({ body, tags, canonical }) => {
    expect(decodeVideoTag(body)).toEqual(tags);
    const encoded = encodeVideoTag(tags);
    expect(decodeVideoTag(encoded)).toEqual(tags);
    if (canonical) expect(encoded).toEqual(body);
  });
});

describe('multitrack audio', () => {
  it.each(AUDIO_CASES)('decodes and re-encodes: $name', ({ body, tags, canonical }) => {
    expect(decodeAudioTag(body)).toEqual(tags);
    const encoded = encodeAudioTag(tags);
    expect(decodeAudioTag(encoded)).toEqual(tags);
    if (canonical) expect(encoded).toEqual(body);
  });
});

const tinyTracks = (n: number) => Array.from({ length: n }, (_, i) => track({ trackId: i & 0xff, sized: true, body: [] }));

const DECODE_ERRORS: { name: string; decode: (b: Uint8Array) => unknown; body: Uint8Array; error: typeof ProtocolError; message: RegExp }[] = [
  { name: 'video track size beyond the body', decode: decodeVideoTag, body: bytes(0x96, multitrackByte(MANY_TRACKS, 1), 'av01', 0x00, u24(10), 0x01), error: ProtocolError, message: /track 0 size 10 exceeds the 1 bytes left/ },
  { name: 'audio track size beyond the body', decode: decodeAudioTag, body: bytes(0x95, multitrackByte(MANY_TRACKS, 1), 'Opus', 0x01, u24(2)), error: ProtocolError, message: /track 1 size 2 exceeds/ },
  { name: 'ManyTracks without any track', decode: decodeVideoTag, body: bytes(0x96, multitrackByte(MANY_TRACKS, 1), 'av01'), error: ProtocolError, message: /without tracks/ },
  { name: 'AvMultitrackType 3', decode: decodeVideoTag, body: bytes(0x96, multitrackByte(3, 1), 'av01', 0x00), error: UnsupportedError, message: /AvMultitrackType 3/ },
  { name: 'audio AvMultitrackType 15', decode: decodeAudioTag, body: bytes(0x95, multitrackByte(15, 1), 'Opus', 0x00), error: UnsupportedError, message: /AvMultitrackType 15/ },
  { name: 'Multitrack inside a multitrack packet', decode: decodeVideoTag, body: bytes(0x96, multitrackByte(ONE_TRACK, 6), 'av01', 0x00), error: ProtocolError, message: /VideoPacketType 6 inside a multitrack/ },
  { name: 'ModEx inside an audio multitrack packet', decode: decodeAudioTag, body: bytes(0x95, multitrackByte(ONE_TRACK, 7), 'Opus', 0x00), error: ProtocolError, message: /AudioPacketType 7 inside a multitrack/ },
  { name: 'unknown FourCC of one track among many codecs', decode: decodeVideoTag, body: bytes(0x96, multitrackByte(MANY_TRACKS_MANY_CODECS, 1), track({ fourCc: 'av01', trackId: 0, sized: true, body: [] }), track({ fourCc: 'xvid', trackId: 1, sized: true, body: [] })), error: UnsupportedError, message: /"xvid"/ },
  { name: 'track body too short for its composition time', decode: decodeVideoTag, body: bytes(0x96, multitrackByte(MANY_TRACKS, 1), 'avc1', track({ trackId: 0, sized: true, body: [0x00] }), 0x00), error: TruncatedError, message: /video/ },
  { name: 'track id missing', decode: decodeAudioTag, body: bytes(0x95, multitrackByte(ONE_TRACK, 1), 'Opus'), error: TruncatedError, message: /audio/ },
  { name: `more than MAX_TRACKS (${MAX_TRACKS}) tracks`, decode: decodeVideoTag, body: bytes(0x96, multitrackByte(MANY_TRACKS, 2), 'av01', ...tinyTracks(MAX_TRACKS + 1)), error: LimitError, message: /more than 256 tracks/ },
];

describe('multitrack decode errors', () => {
  it.each(DECODE_ERRORS)('$name', ({ decode, body, error, message }) => {
    expect(() => decode(body)).toThrow(error);
    expect(() => decode(body)).toThrow(message);
  });

  it(`accepts exactly MAX_TRACKS (${MAX_TRACKS}) tracks`, () => {
    expect(decodeVideoTag(bytes(0x96, multitrackByte(MANY_TRACKS, 2), 'av01', ...tinyTracks(MAX_TRACKS)))).toHaveLength(MAX_TRACKS);
  });
});

const frames = (trackId: number, frameType: 'keyframe' | 'interframe', codec: 'av01' | 'avc1' = 'av01'): VideoTag =>
  ({ ...V, trackId, packet: 'codedFrames', codec, frameType, compositionTimeMs: 0, data: bytes(1) });

describe('multitrack encode errors', () => {
  it.each([
    { name: 'tracks with different packet types', tags: [frames(0, 'keyframe'), { ...V, trackId: 1, packet: 'sequenceEnd', codec: 'av01' } as VideoTag] },
    { name: 'tracks with different frame types', tags: [frames(0, 'keyframe'), frames(1, 'interframe')] },
    { name: 'tracks with different timestamp offsets', tags: [frames(0, 'keyframe'), { ...frames(1, 'keyframe'), timestampOffsetNs: 1 }] },
    { name: 'a legacy tag among tracks', tags: [frames(0, 'keyframe'), { ...frames(1, 'keyframe', 'avc1'), enhanced: false }] },
    { name: 'a trackId beyond UI8', tags: [frames(256, 'keyframe')] },
    { name: 'a command frame on a track', tags: [{ ...V, trackId: 1, packet: 'command', codec: null, command: 0 } as VideoTag] },
  ])('refuses $name', ({ tags }) => {
    expect(() => encodeVideoTag(tags)).toThrow(ProtocolError);
  });

  it(`refuses more than MAX_TRACKS tracks`, () => {
    expect(() => encodeVideoTag(Array.from({ length: MAX_TRACKS + 1 }, (_, i) => frames(i & 0xff, 'keyframe')))).toThrow(LimitError);
  });

  it('refuses audio tracks with different packet types', () => {
    const a: AudioTag = { ...A, trackId: 0, packet: 'codedFrames', codec: 'Opus', data: bytes() };
    expect(() => encodeAudioTag([a, { ...A, trackId: 1, packet: 'sequenceEnd', codec: 'Opus' }])).toThrow(ProtocolError);
  });
});
