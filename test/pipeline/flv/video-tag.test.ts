// Video tag bodies: one case table (legacy and E-RTMP, every packet type) drives decode, encode and errors.
import { describe, expect, it } from 'vitest';
import { ProtocolError, TruncatedError, UnsupportedError } from '../../../pipeline/core/errors.js';
import { decodeVideoTag, encodeVideoTag, type VideoTag } from '../../../pipeline/flv/index.js';
import { bytes, exVideoByte, legacyVideoByte, modExEntry, si24, timestampOffsetNano, u24 } from '../../helpers/flv-builder.js';

const LEGACY = { kind: 'video', trackId: 0, enhanced: false } as const;
const EX = { kind: 'video', trackId: 0, enhanced: true } as const;
const AVCC = [0x01, 0x64, 0x00, 0x1f, 0xff, 0xe1];
const NALUS = [0x00, 0x00, 0x00, 0x02, 0x65, 0x88];
const OBUS = [0x12, 0x00, 0x0a, 0x0b];

interface Case {
  readonly name: string;
  readonly body: Uint8Array;
  readonly tags: VideoTag[];
  /** encode(tags) gives back exactly `body` (false where the wire has a second valid spelling). */
  readonly canonical: boolean;
}

const VIDEO_CASES: Case[] = [
  // Legacy VideoTagHeader: FrameType UB[4] | CodecID UB[4], AVCPacketType, SI24 CompositionTime.
  { name: 'legacy AVC sequence header', body: bytes(0x17, 0x00, u24(0), AVCC), tags: [{ ...LEGACY, packet: 'sequenceStart', codec: 'avc1', config: bytes(AVCC) }], canonical: true },
  { name: 'legacy AVC keyframe NALUs', body: bytes(0x17, 0x01, si24(0), NALUS), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(NALUS) }], canonical: true },
  { name: 'legacy AVC inter frame, composition time −33 ms (FF FF DF)', body: bytes(0x27, 0x01, 0xff, 0xff, 0xdf, NALUS), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'interframe', compositionTimeMs: -33, data: bytes(NALUS) }], canonical: true },
  { name: 'legacy AVC composition time +66 ms', body: bytes(0x27, 0x01, si24(66), NALUS), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'interframe', compositionTimeMs: 66, data: bytes(NALUS) }], canonical: true },
  { name: 'legacy AVC composition time SI24 minimum', body: bytes(0x27, 0x01, 0x80, 0x00, 0x00), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'interframe', compositionTimeMs: -0x800000, data: bytes() }], canonical: true },
  { name: 'legacy AVC composition time SI24 maximum', body: bytes(0x27, 0x01, 0x7f, 0xff, 0xff), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'interframe', compositionTimeMs: 0x7fffff, data: bytes() }], canonical: true },
  { name: 'legacy AVC disposable frame', body: bytes(0x37, 0x01, si24(0), NALUS), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'disposable', compositionTimeMs: 0, data: bytes(NALUS) }], canonical: true },
  { name: 'legacy AVC generated keyframe', body: bytes(0x47, 0x01, si24(0), NALUS), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'generated', compositionTimeMs: 0, data: bytes(NALUS) }], canonical: true },
  { name: 'legacy AVC end of sequence', body: bytes(0x17, 0x02, u24(0)), tags: [{ ...LEGACY, packet: 'sequenceEnd', codec: 'avc1' }], canonical: true },
  { name: 'legacy AVC end of sequence without composition time', body: bytes(0x17, 0x02), tags: [{ ...LEGACY, packet: 'sequenceEnd', codec: 'avc1' }], canonical: false },
  { name: 'legacy HEVC on unofficial CodecID 12: sequence header', body: bytes(0x1c, 0x00, u24(0), 0x01, 0x02), tags: [{ ...LEGACY, packet: 'sequenceStart', codec: 'hvc1', config: bytes(0x01, 0x02) }], canonical: true },
  { name: 'legacy HEVC on CodecID 12: frames with composition time', body: bytes(0x2c, 0x01, si24(-40), NALUS), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'hvc1', frameType: 'interframe', compositionTimeMs: -40, data: bytes(NALUS) }], canonical: true },
  { name: 'legacy Sorenson H.263 keyframe', body: bytes(legacyVideoByte(1, 2), 0x00, 0x00, 0x84), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'h263', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(0x00, 0x00, 0x84) }], canonical: true },
  { name: 'legacy H.263 disposable inter frame', body: bytes(legacyVideoByte(3, 2), 0x01), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'h263', frameType: 'disposable', compositionTimeMs: 0, data: bytes(0x01) }], canonical: true },
  { name: 'legacy screen video', body: bytes(legacyVideoByte(1, 3), 0x10), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'screen', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(0x10) }], canonical: true },
  { name: 'legacy On2 VP6 (adjustment byte stays in data)', body: bytes(legacyVideoByte(2, 4), 0x00, 0x46), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'vp6', frameType: 'interframe', compositionTimeMs: 0, data: bytes(0x00, 0x46) }], canonical: true },
  { name: 'legacy On2 VP6 with alpha', body: bytes(legacyVideoByte(1, 5), u24(1), 0x46), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'vp6a', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(u24(1), 0x46) }], canonical: true },
  { name: 'legacy screen video v2', body: bytes(legacyVideoByte(1, 6)), tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'screen2', frameType: 'keyframe', compositionTimeMs: 0, data: bytes() }], canonical: true },
  { name: 'legacy AVC command frame (start seek)', body: bytes(0x57, 0x00), tags: [{ ...LEGACY, packet: 'command', codec: 'avc1', command: 0 }], canonical: true },
  { name: 'legacy H.263 command frame (end seek)', body: bytes(0x52, 0x01), tags: [{ ...LEGACY, packet: 'command', codec: 'h263', command: 1 }], canonical: true },

  // ExVideoTagHeader: IsExVideoHeader | FrameType UB[3] | VideoPacketType UB[4], FourCC.
  { name: 'E-RTMP av01 SequenceStart', body: bytes(exVideoByte(1, 0), 'av01', 0x81, 0x04, 0x0c), tags: [{ ...EX, packet: 'sequenceStart', codec: 'av01', config: bytes(0x81, 0x04, 0x0c) }], canonical: true },
  { name: 'E-RTMP av01 SequenceStart with an empty record (FFmpeg writes one first)', body: bytes(0x90, 'av01'), tags: [{ ...EX, packet: 'sequenceStart', codec: 'av01', config: bytes() }], canonical: true },
  { name: 'E-RTMP hvc1 SequenceStart', body: bytes(0x90, 'hvc1', 0x01), tags: [{ ...EX, packet: 'sequenceStart', codec: 'hvc1', config: bytes(0x01) }], canonical: true },
  { name: 'E-RTMP av01 CodedFrames keyframe (no composition time)', body: bytes(exVideoByte(1, 1), 'av01', OBUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'av01', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(OBUS) }], canonical: true },
  { name: 'E-RTMP vp09 CodedFrames inter frame', body: bytes(exVideoByte(2, 1), 'vp09', 0x86), tags: [{ ...EX, packet: 'codedFrames', codec: 'vp09', frameType: 'interframe', compositionTimeMs: 0, data: bytes(0x86) }], canonical: true },
  { name: 'E-RTMP vp08 CodedFrames', body: bytes(exVideoByte(1, 1), 'vp08', 0x10), tags: [{ ...EX, packet: 'codedFrames', codec: 'vp08', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(0x10) }], canonical: true },
  { name: 'E-RTMP hvc1 CodedFrames, composition time −33 ms', body: bytes(exVideoByte(2, 1), 'hvc1', 0xff, 0xff, 0xdf, NALUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'hvc1', frameType: 'interframe', compositionTimeMs: -33, data: bytes(NALUS) }], canonical: true },
  { name: 'E-RTMP avc1 CodedFrames with composition time', body: bytes(exVideoByte(1, 1), 'avc1', si24(80), NALUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'avc1', frameType: 'keyframe', compositionTimeMs: 80, data: bytes(NALUS) }], canonical: true },
  { name: 'E-RTMP vvc1 CodedFrames with composition time', body: bytes(exVideoByte(2, 1), 'vvc1', si24(-1), NALUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'vvc1', frameType: 'interframe', compositionTimeMs: -1, data: bytes(NALUS) }], canonical: true },
  { name: 'E-RTMP hvc1 CodedFramesX (composition time implied 0)', body: bytes(exVideoByte(1, 3), 'hvc1', NALUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'hvc1', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(NALUS) }], canonical: true },
  { name: 'E-RTMP avc1 CodedFrames with a zero composition time (re-encoded as CodedFramesX)', body: bytes(exVideoByte(2, 1), 'avc1', si24(0), NALUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'avc1', frameType: 'interframe', compositionTimeMs: 0, data: bytes(NALUS) }], canonical: false },
  { name: 'E-RTMP av01 CodedFramesX', body: bytes(exVideoByte(2, 3), 'av01', OBUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'av01', frameType: 'interframe', compositionTimeMs: 0, data: bytes(OBUS) }], canonical: false },
  { name: 'E-RTMP generated keyframe', body: bytes(exVideoByte(4, 1), 'av01', OBUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'av01', frameType: 'generated', compositionTimeMs: 0, data: bytes(OBUS) }], canonical: true },
  { name: 'E-RTMP disposable frame', body: bytes(exVideoByte(3, 3), 'avc1', NALUS), tags: [{ ...EX, packet: 'codedFrames', codec: 'avc1', frameType: 'disposable', compositionTimeMs: 0, data: bytes(NALUS) }], canonical: true },
  { name: 'E-RTMP vp09 SequenceEnd', body: bytes(exVideoByte(1, 2), 'vp09'), tags: [{ ...EX, packet: 'sequenceEnd', codec: 'vp09' }], canonical: true },
  { name: 'E-RTMP Metadata with frame type Command (as FFmpeg writes it)', body: bytes(exVideoByte(5, 4), 'av01', 0x02, 0x00, 0x09, 'colorInfo'), tags: [{ ...EX, packet: 'metadata', codec: 'av01', body: bytes(0x02, 0x00, 0x09, 'colorInfo') }], canonical: true },
  { name: 'E-RTMP Metadata with frame type keyframe (frame type ignored)', body: bytes(exVideoByte(1, 4), 'hvc1', 0x05), tags: [{ ...EX, packet: 'metadata', codec: 'hvc1', body: bytes(0x05) }], canonical: false },
  { name: 'E-RTMP MPEG2TSSequenceStart', body: bytes(exVideoByte(1, 5), 'av01', 0x80, 0x04), tags: [{ ...EX, packet: 'mpeg2TsSequenceStart', codec: 'av01', descriptor: bytes(0x80, 0x04) }], canonical: true },
  { name: 'E-RTMP command frame: a VideoCommand byte, no FourCC', body: bytes(exVideoByte(5, 1), 0x01), tags: [{ ...EX, packet: 'command', codec: null, command: 1 }], canonical: true },

  // ModEx: size, data, ModExType | next VideoPacketType, until the packet type is not ModEx.
  { name: 'ModEx TimestampOffsetNano before avc1 CodedFrames', body: bytes(exVideoByte(1, 7), timestampOffsetNano(500_000, 1), 'avc1', si24(-33), NALUS), tags: [{ ...EX, timestampOffsetNs: 500_000, packet: 'codedFrames', codec: 'avc1', frameType: 'keyframe', compositionTimeMs: -33, data: bytes(NALUS) }], canonical: true },
  { name: 'ModEx TimestampOffsetNano before SequenceStart', body: bytes(exVideoByte(1, 7), timestampOffsetNano(999_999, 0), 'av01', 0x81), tags: [{ ...EX, timestampOffsetNs: 999_999, packet: 'sequenceStart', codec: 'av01', config: bytes(0x81) }], canonical: true },
  { name: 'ModEx TimestampOffsetNano with more than 3 data bytes', body: bytes(exVideoByte(2, 7), modExEntry([0x00, 0x01, 0x00, 0xaa], 0, 3), 'hvc1', NALUS), tags: [{ ...EX, timestampOffsetNs: 256, packet: 'codedFrames', codec: 'hvc1', frameType: 'interframe', compositionTimeMs: 0, data: bytes(NALUS) }], canonical: false },
  { name: 'ModEx of an unknown type with a UI16 size (300 bytes) is skipped', body: bytes(exVideoByte(1, 7), modExEntry(new Array<number>(300).fill(7), 9, 7), timestampOffsetNano(42, 1), 'av01', OBUS), tags: [{ ...EX, timestampOffsetNs: 42, packet: 'codedFrames', codec: 'av01', frameType: 'keyframe', compositionTimeMs: 0, data: bytes(OBUS) }], canonical: false },
  { name: 'ModEx of exactly 256 bytes uses the UI16 size', body: bytes(exVideoByte(1, 7), 0xff, 0x00, 0xff, new Array<number>(256).fill(1), 0x92, 'av01'), tags: [{ ...EX, packet: 'sequenceEnd', codec: 'av01' }], canonical: false },
  { name: 'ModEx before a command frame', body: bytes(exVideoByte(5, 7), timestampOffsetNano(7, 1), 0x00), tags: [{ ...EX, timestampOffsetNs: 7, packet: 'command', codec: null, command: 0 }], canonical: true },
];

describe('decodeVideoTag', () => {
  it.each(VIDEO_CASES)('$name', ({ body, tags }) => {
    expect(decodeVideoTag(body)).toEqual(tags);
  });

  it('returns views into the body, not copies', () => {
    const body = bytes(0x17, 0x01, si24(0), NALUS);
    const [tag] = decodeVideoTag(body);
    expect(tag.packet === 'codedFrames' && tag.data.buffer).toBe(body.buffer);
  });
});

describe('encodeVideoTag', () => {
  it.each(VIDEO_CASES)('round-trips: $name', ({ body, tags, canonical }) => {
    const encoded = encodeVideoTag(tags);
    expect(decodeVideoTag(encoded)).toEqual(tags);
    if (canonical) expect(encoded).toEqual(body);
  });

  it('accepts a single tag as well as a list', () => {
    const tag: VideoTag = { ...LEGACY, packet: 'sequenceEnd', codec: 'avc1' };
    expect(encodeVideoTag(tag)).toEqual(encodeVideoTag([tag]));
  });
});

const ERROR_CASES: { name: string; body: Uint8Array; error: typeof TruncatedError; message: RegExp }[] = [
  { name: 'empty body', body: bytes(), error: TruncatedError, message: /needs 1 more bytes/ },
  ...[0, 1, 8, 9, 10, 11, 13, 14, 15].map((id) => ({ name: `legacy CodecID ${id}`, body: bytes(legacyVideoByte(1, id), 0x00), error: UnsupportedError, message: new RegExp(`CodecID ${id}\\b`) })),
  { name: 'legacy reserved frame type 0', body: bytes(0x07, 0x01, si24(0)), error: UnsupportedError, message: /VideoFrameType 0/ },
  { name: 'legacy reserved frame type 6', body: bytes(0x67, 0x01, si24(0)), error: UnsupportedError, message: /VideoFrameType 6/ },
  { name: 'legacy AVCPacketType 3', body: bytes(0x17, 0x03, si24(0)), error: UnsupportedError, message: /AVCPacketType 3/ },
  { name: 'legacy AVC NALUs cut inside the composition time', body: bytes(0x17, 0x01, 0x00), error: TruncatedError, message: /video/ },
  { name: 'legacy AVC sequence header without composition time', body: bytes(0x17, 0x00), error: TruncatedError, message: /video/ },
  { name: 'legacy command frame without its command byte', body: bytes(0x57), error: TruncatedError, message: /video/ },
  { name: 'E-RTMP unknown FourCC', body: bytes(exVideoByte(1, 1), 'xyz1', 0x00), error: UnsupportedError, message: /FourCC "xyz1"/ },
  { name: 'E-RTMP unprintable FourCC', body: bytes(exVideoByte(1, 0), 0x00, 0x01, 0x02, 0x03), error: UnsupportedError, message: /FourCC 0x00010203/ },
  { name: 'E-RTMP VideoPacketType 8 (reserved)', body: bytes(exVideoByte(1, 8), 'av01'), error: UnsupportedError, message: /VideoPacketType 8/ },
  { name: 'E-RTMP VideoPacketType 15 (reserved)', body: bytes(exVideoByte(1, 15), 'av01'), error: UnsupportedError, message: /VideoPacketType 15/ },
  { name: 'E-RTMP reserved frame type 0 on coded frames', body: bytes(exVideoByte(0, 1), 'av01'), error: UnsupportedError, message: /VideoFrameType 0/ },
  { name: 'E-RTMP reserved frame type 7 on coded frames', body: bytes(exVideoByte(7, 1), 'av01'), error: UnsupportedError, message: /VideoFrameType 7/ },
  { name: 'E-RTMP FourCC cut short', body: bytes(exVideoByte(1, 1), 'av'), error: TruncatedError, message: /video/ },
  { name: 'E-RTMP hvc1 CodedFrames cut inside the composition time', body: bytes(exVideoByte(1, 1), 'hvc1', 0xff, 0xff), error: TruncatedError, message: /video/ },
  { name: 'E-RTMP command frame without its command byte', body: bytes(exVideoByte(5, 1)), error: TruncatedError, message: /video/ },
  { name: 'ModEx TimestampOffsetNano with 2 data bytes', body: bytes(exVideoByte(1, 7), modExEntry([0x01, 0x02], 0, 1), 'av01'), error: ProtocolError, message: /TimestampOffsetNano needs 3 bytes, has 2/ },
  { name: 'ModEx data cut short', body: bytes(exVideoByte(1, 7), 0x02, 0x00, 0x01), error: TruncatedError, message: /video/ },
  { name: 'ModEx without the next packet type', body: bytes(exVideoByte(1, 7), 0x02, 0x00, 0x01, 0x02), error: TruncatedError, message: /video/ },
  { name: 'ModEx UI16 size cut short', body: bytes(exVideoByte(1, 7), 0xff, 0x01), error: TruncatedError, message: /video/ },
];

describe('decodeVideoTag errors', () => {
  it.each(ERROR_CASES)('$name', ({ body, error, message }) => {
    expect(() => decodeVideoTag(body)).toThrow(error);
    expect(() => decodeVideoTag(body)).toThrow(message);
  });
});

const ENCODE_ERRORS: { name: string; tags: VideoTag[]; error: typeof ProtocolError }[] = [
  { name: 'no tags', tags: [], error: ProtocolError },
  { name: 'legacy av01 (no CodecID)', tags: [{ ...LEGACY, packet: 'sequenceStart', codec: 'av01', config: bytes() }], error: UnsupportedError },
  { name: 'enhanced h263 (no FourCC)', tags: [{ ...EX, packet: 'codedFrames', codec: 'h263', frameType: 'keyframe', compositionTimeMs: 0, data: bytes() }], error: UnsupportedError },
  { name: 'legacy Metadata', tags: [{ ...LEGACY, packet: 'metadata', codec: 'avc1', body: bytes() }], error: UnsupportedError },
  { name: 'legacy H.263 sequence start', tags: [{ ...LEGACY, packet: 'sequenceStart', codec: 'h263', config: bytes() }], error: UnsupportedError },
  { name: 'legacy H.263 with a composition time', tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'h263', frameType: 'keyframe', compositionTimeMs: 5, data: bytes() }], error: ProtocolError },
  { name: 'legacy tag with a trackId', tags: [{ ...LEGACY, trackId: 1, packet: 'sequenceEnd', codec: 'avc1' }], error: ProtocolError },
  { name: 'legacy tag with a timestamp offset', tags: [{ ...LEGACY, timestampOffsetNs: 5, packet: 'sequenceEnd', codec: 'avc1' }], error: ProtocolError },
  { name: 'legacy command without a codec', tags: [{ ...LEGACY, packet: 'command', codec: null, command: 0 }], error: ProtocolError },
  { name: 'enhanced command with a codec', tags: [{ ...EX, packet: 'command', codec: 'avc1', command: 0 }], error: ProtocolError },
  { name: 'command byte 256', tags: [{ ...LEGACY, packet: 'command', codec: 'avc1', command: 256 }], error: ProtocolError },
  { name: 'composition time beyond SI24', tags: [{ ...EX, packet: 'codedFrames', codec: 'avc1', frameType: 'keyframe', compositionTimeMs: 0x800000, data: bytes() }], error: ProtocolError },
  { name: 'fractional composition time', tags: [{ ...LEGACY, packet: 'codedFrames', codec: 'avc1', frameType: 'keyframe', compositionTimeMs: 1.5, data: bytes() }], error: ProtocolError },
  { name: 'av01 with a composition time', tags: [{ ...EX, packet: 'codedFrames', codec: 'av01', frameType: 'keyframe', compositionTimeMs: 3, data: bytes() }], error: ProtocolError },
  { name: 'timestamp offset beyond UI24', tags: [{ ...EX, timestampOffsetNs: 0x1000000, packet: 'sequenceEnd', codec: 'av01' }], error: ProtocolError },
  { name: 'negative timestamp offset', tags: [{ ...EX, timestampOffsetNs: -1, packet: 'sequenceEnd', codec: 'av01' }], error: ProtocolError },
];

describe('encodeVideoTag errors', () => {
  it.each(ENCODE_ERRORS)('$name', ({ tags, error }) => {
    expect(() => encodeVideoTag(tags)).toThrow(error);
  });
});
