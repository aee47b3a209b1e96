// Cheap peeks for the GOP cache: keyframe and sequence-header detection across legacy, extended, ModEx and multitrack forms.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  decodeAudioTag,
  decodeVideoTag,
  FlvFileReader,
  isAudioCodedFrame,
  isAudioSequenceHeader,
  isVideoCodedFrame,
  isVideoKeyframe,
  isVideoSequenceHeader,
} from '../../../pipeline/flv/index.js';
import { bytes, exAudioByte, exVideoByte, modExEntry, multitrackByte, si24, timestampOffsetNano, track, u24 } from '../../helpers/flv-builder.js';

const VIDEO: { name: string; body: Uint8Array; keyframe: boolean; sequenceHeader: boolean }[] = [
  { name: 'empty body', body: bytes(), keyframe: false, sequenceHeader: false },
  { name: 'legacy AVC sequence header', body: bytes(0x17, 0x00, u24(0), 0x01), keyframe: false, sequenceHeader: true },
  { name: 'legacy AVC keyframe', body: bytes(0x17, 0x01, si24(0), 0x65), keyframe: true, sequenceHeader: false },
  { name: 'legacy AVC generated keyframe', body: bytes(0x47, 0x01, si24(0)), keyframe: true, sequenceHeader: false },
  { name: 'legacy AVC inter frame', body: bytes(0x27, 0x01, si24(-33)), keyframe: false, sequenceHeader: false },
  { name: 'legacy AVC end of sequence', body: bytes(0x17, 0x02, u24(0)), keyframe: false, sequenceHeader: false },
  { name: 'legacy AVC keyframe cut after the first byte', body: bytes(0x17), keyframe: false, sequenceHeader: false },
  { name: 'legacy AVC command frame', body: bytes(0x57, 0x00), keyframe: false, sequenceHeader: false },
  { name: 'legacy HEVC (id 12) sequence header', body: bytes(0x1c, 0x00, u24(0)), keyframe: false, sequenceHeader: true },
  { name: 'legacy HEVC (id 12) keyframe', body: bytes(0x1c, 0x01, u24(0)), keyframe: true, sequenceHeader: false },
  { name: 'legacy H.263 keyframe', body: bytes(0x12, 0x00), keyframe: true, sequenceHeader: false },
  { name: 'legacy VP6 inter frame', body: bytes(0x24, 0x00), keyframe: false, sequenceHeader: false },
  { name: 'E-RTMP SequenceStart', body: bytes(exVideoByte(1, 0), 'av01'), keyframe: false, sequenceHeader: true },
  { name: 'E-RTMP MPEG2TSSequenceStart', body: bytes(exVideoByte(1, 5), 'av01'), keyframe: false, sequenceHeader: true },
  { name: 'E-RTMP CodedFrames keyframe', body: bytes(exVideoByte(1, 1), 'av01'), keyframe: true, sequenceHeader: false },
  { name: 'E-RTMP CodedFramesX keyframe', body: bytes(exVideoByte(1, 3), 'hvc1'), keyframe: true, sequenceHeader: false },
  { name: 'E-RTMP CodedFrames inter frame', body: bytes(exVideoByte(2, 1), 'av01'), keyframe: false, sequenceHeader: false },
  { name: 'E-RTMP Metadata with Command frame type', body: bytes(exVideoByte(5, 4), 'av01'), keyframe: false, sequenceHeader: false },
  { name: 'E-RTMP command frame (packet type bits say SequenceStart)', body: bytes(exVideoByte(5, 0), 0x00), keyframe: false, sequenceHeader: false },
  { name: 'ModEx then keyframe CodedFrames', body: bytes(exVideoByte(1, 7), timestampOffsetNano(1, 1), 'avc1'), keyframe: true, sequenceHeader: false },
  { name: 'ModEx with a UI16 size then SequenceStart', body: bytes(exVideoByte(1, 7), modExEntry(new Array<number>(400).fill(0), 3, 0), 'av01'), keyframe: false, sequenceHeader: true },
  { name: 'ModEx cut short', body: bytes(exVideoByte(1, 7), 0x02, 0x00), keyframe: false, sequenceHeader: false },
  { name: 'multitrack keyframe', body: bytes(exVideoByte(1, 6), multitrackByte(1, 1), 'av01', track({ trackId: 0, sized: true, body: [1] })), keyframe: true, sequenceHeader: false },
  { name: 'multitrack SequenceStart', body: bytes(exVideoByte(1, 6), multitrackByte(2, 0), track({ fourCc: 'av01', trackId: 0, sized: true, body: [] })), keyframe: false, sequenceHeader: true },
  { name: 'ModEx then multitrack inter frame', body: bytes(exVideoByte(2, 7), timestampOffsetNano(1, 6), multitrackByte(0, 3), 'hvc1', 0x00), keyframe: false, sequenceHeader: false },
  { name: 'ModEx then multitrack keyframe', body: bytes(exVideoByte(1, 7), timestampOffsetNano(1, 6), multitrackByte(0, 3), 'hvc1', 0x00), keyframe: true, sequenceHeader: false },
  { name: 'multitrack cut before the type byte', body: bytes(exVideoByte(1, 6)), keyframe: false, sequenceHeader: false },
];

const AUDIO: { name: string; body: Uint8Array; sequenceHeader: boolean }[] = [
  { name: 'empty body', body: bytes(), sequenceHeader: false },
  { name: 'legacy AAC sequence header', body: bytes(0xaf, 0x00, 0x12, 0x10), sequenceHeader: true },
  { name: 'legacy AAC raw', body: bytes(0xaf, 0x01, 0x21), sequenceHeader: false },
  { name: 'legacy AAC cut after the first byte', body: bytes(0xaf), sequenceHeader: false },
  { name: 'legacy MP3 whose first data byte is 0', body: bytes(0x2f, 0x00), sequenceHeader: false },
  { name: 'E-RTMP SequenceStart', body: bytes(exAudioByte(0), 'Opus'), sequenceHeader: true },
  { name: 'E-RTMP CodedFrames', body: bytes(exAudioByte(1), 'Opus'), sequenceHeader: false },
  { name: 'E-RTMP MultichannelConfig is not a sequence header', body: bytes(exAudioByte(4), 'Opus', 1, 1, 0, 0, 0, 4), sequenceHeader: false },
  { name: 'ModEx then SequenceStart', body: bytes(exAudioByte(7), timestampOffsetNano(9, 0), 'mp4a'), sequenceHeader: true },
  { name: 'multitrack SequenceStart', body: bytes(exAudioByte(5), multitrackByte(1, 0), 'Opus'), sequenceHeader: true },
  { name: 'ModEx then multitrack CodedFrames', body: bytes(exAudioByte(7), timestampOffsetNano(9, 5), multitrackByte(1, 1), 'Opus'), sequenceHeader: false },
];

describe('video peeks', () => {
  it.each(VIDEO)('$name', ({ body, keyframe, sequenceHeader }) => {
    expect(isVideoKeyframe(body)).toBe(keyframe);
    expect(isVideoSequenceHeader(body)).toBe(sequenceHeader);
  });
});

describe('audio peeks', () => {
  it.each(AUDIO)('$name', ({ body, sequenceHeader }) => {
    expect(isAudioSequenceHeader(body)).toBe(sequenceHeader);
  });
});

/** The coded-frame peeks must agree with a full decode wherever the body decodes. */
function decodedIsCodedFrame(decode: () => { packet: string }[]): boolean | undefined {
  try {
    const tags = decode();
    return tags.length > 0 && tags.every((t) => t.packet === 'codedFrames');
  } catch {
    return undefined;
  }
}

describe('coded-frame peeks agree with the decoders', () => {
  it.each(VIDEO)('video: $name', ({ body }) => {
    const expected = decodedIsCodedFrame(() => decodeVideoTag(body));
    if (expected !== undefined) expect(isVideoCodedFrame(body)).toBe(expected);
  });
  it.each(AUDIO)('audio: $name', ({ body }) => {
    const expected = decodedIsCodedFrame(() => decodeAudioTag(body));
    if (expected !== undefined) expect(isAudioCodedFrame(body)).toBe(expected);
  });

  const vector = fileURLToPath(new URL('../../../../shared/media/e-rtmp/mptestsrc.flv', import.meta.url));
  it.skipIf(!existsSync(vector))('on every tag of the E-RTMP vector mptestsrc.flv', () => {
    const reader = new FlvFileReader();
    const records = [...reader.push(readFileSync(vector)), ...reader.flush()];
    let frames = 0;
    for (const r of records) {
      if (r.tagType === 9) {
        const coded = isVideoCodedFrame(r.body);
        expect(coded).toBe(decodedIsCodedFrame(() => decodeVideoTag(r.body)));
        if (coded) frames++;
      } else if (r.tagType === 8) {
        const coded = isAudioCodedFrame(r.body);
        expect(coded).toBe(decodedIsCodedFrame(() => decodeAudioTag(r.body)));
        if (coded) frames++;
      }
    }
    expect(frames, '342 video + 501 audio coded frames').toBe(342 + 501);
  });
});
