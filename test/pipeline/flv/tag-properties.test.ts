// Properties of the tag codecs: decode(encode(tags)) = tags, peeks agree with decoding, random bytes raise only our errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPipelineError } from '../../../pipeline/core/errors.js';
import {
  decodeAudioTag,
  decodeVideoTag,
  encodeAudioTag,
  encodeVideoTag,
  isAudioSequenceHeader,
  isVideoKeyframe,
  isVideoSequenceHeader,
  type AudioCodec,
  type AudioTag,
  type VideoCodec,
  type VideoTag,
} from '../../../pipeline/flv/index.js';

const payload = fc.uint8Array({ maxLength: 24 });
const u8 = fc.integer({ min: 0, max: 255 });
const offsetPart = fc.option(fc.integer({ min: 0, max: 0xffffff }), { nil: undefined }).map((ns) => (ns === undefined ? {} : { timestampOffsetNs: ns }));
type FrameType = 'keyframe' | 'interframe' | 'disposable' | 'generated';
const frameType = fc.constantFrom<FrameType>('keyframe', 'interframe', 'disposable', 'generated');
const compositionTime = fc.integer({ min: -0x800000, max: 0x7fffff });
const withCompositionTime = (codec: VideoCodec) => codec === 'avc1' || codec === 'hvc1' || codec === 'vvc1';

// ---- video ----
const LEGACY_VIDEO: VideoCodec[] = ['avc1', 'hvc1', 'h263', 'screen', 'vp6', 'vp6a', 'screen2'];
const FOURCC_VIDEO: VideoCodec[] = ['avc1', 'hvc1', 'vvc1', 'av01', 'vp09', 'vp08'];
type VideoKind = 'sequenceStart' | 'codedFrames' | 'sequenceEnd' | 'metadata' | 'mpeg2TsSequenceStart';

function videoTrack(kind: VideoKind, codec: VideoCodec, trackId: number, shared: { frameType: FrameType; enhanced: boolean; extra: object }): fc.Arbitrary<VideoTag> {
  const base = { kind: 'video' as const, codec, trackId, enhanced: shared.enhanced, ...shared.extra };
  switch (kind) {
    case 'sequenceStart':
      return payload.map((config) => ({ ...base, packet: 'sequenceStart', config }));
    case 'codedFrames':
      return fc.tuple(withCompositionTime(codec) ? compositionTime : fc.constant(0), payload).map(([compositionTimeMs, data]) => ({ ...base, packet: 'codedFrames', frameType: shared.frameType, compositionTimeMs, data }));
    case 'sequenceEnd':
      return fc.constant({ ...base, packet: 'sequenceEnd' });
    case 'metadata':
      return payload.map((body) => ({ ...base, packet: 'metadata', body }));
    case 'mpeg2TsSequenceStart':
      return payload.map((descriptor) => ({ ...base, packet: 'mpeg2TsSequenceStart', descriptor }));
  }
}

const legacyVideoMessage: fc.Arbitrary<VideoTag[]> = fc.tuple(fc.constantFrom(...LEGACY_VIDEO), frameType, u8).chain(([codec, ft, command]) => {
  const base = { kind: 'video' as const, codec, trackId: 0, enhanced: false };
  const kinds: VideoKind[] = withCompositionTime(codec) ? ['sequenceStart', 'codedFrames', 'sequenceEnd'] : ['codedFrames'];
  const commandTag = fc.constant<VideoTag[]>([{ ...base, packet: 'command', command }]);
  const other = fc.constantFrom(...kinds).chain((kind) => videoTrack(kind, codec, 0, { frameType: ft, enhanced: false, extra: {} }).map((t) => [t]));
  return fc.oneof(commandTag, other);
});

const exVideoMessage: fc.Arbitrary<VideoTag[]> = fc
  .tuple(fc.constantFrom<VideoKind>('sequenceStart', 'codedFrames', 'sequenceEnd', 'metadata', 'mpeg2TsSequenceStart'), frameType, offsetPart, fc.integer({ min: 1, max: 4 }), fc.boolean())
  .chain(([kind, ft, extra, n, multitrack]) => {
    const count = multitrack ? n : 1;
    const ids = multitrack ? fc.uniqueArray(u8, { minLength: count, maxLength: count }) : fc.constant([0]);
    return fc.tuple(ids, fc.array(fc.constantFrom(...FOURCC_VIDEO), { minLength: count, maxLength: count }))
      .chain(([trackIds, codecs]) => fc.tuple(...trackIds.map((id, i) => videoTrack(kind, codecs[i], id, { frameType: ft, enhanced: true, extra }))));
  });

const exVideoCommand: fc.Arbitrary<VideoTag[]> = fc.tuple(u8, offsetPart).map(([command, extra]) => [{ kind: 'video', codec: null, trackId: 0, enhanced: true, packet: 'command', command, ...extra }]);

const videoMessage = fc.oneof(legacyVideoMessage, exVideoMessage, exVideoCommand);

// ---- audio ----
/** Legacy SoundFormat → codec, spelled out independently of pipeline/flv's table. */
const SOUND_FORMATS: [number, AudioCodec][] = [[0, 'pcm'], [1, 'adpcm'], [2, '.mp3'], [3, 'pcm'], [4, 'nellymoser'], [5, 'nellymoser'], [6, 'nellymoser'], [7, 'alaw'], [8, 'ulaw'], [10, 'mp4a'], [11, 'speex'], [14, '.mp3'], [15, 'device-specific']];
const FOURCC_AUDIO: AudioCodec[] = ['mp4a', '.mp3', 'Opus', 'fLaC', 'ac-3', 'ec-3'];

const legacyAudioMessage: fc.Arbitrary<AudioTag[]> = fc
  .tuple(fc.constantFrom(...SOUND_FORMATS), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.boolean(), payload)
  .map(([[soundFormat, codec], soundRate, soundSize, soundType, header, bytes]) => {
    const base = { kind: 'audio' as const, codec, trackId: 0, enhanced: false as const, soundFormat, soundRate, soundSize, soundType };
    return [codec === 'mp4a' && header ? { ...base, packet: 'sequenceStart', config: bytes } : { ...base, packet: 'codedFrames', data: bytes }];
  });

function audioTrack(kind: AudioTag['packet'], codec: AudioCodec, trackId: number, extra: object): fc.Arbitrary<AudioTag> {
  const base = { kind: 'audio' as const, codec, trackId, enhanced: true as const, ...extra };
  switch (kind) {
    case 'sequenceStart':
      return payload.map((config) => ({ ...base, packet: 'sequenceStart', config }));
    case 'codedFrames':
      return payload.map((data) => ({ ...base, packet: 'codedFrames', data }));
    case 'sequenceEnd':
      return fc.constant({ ...base, packet: 'sequenceEnd' });
    case 'multichannelConfig':
      return fc.oneof(
        u8.map((channelCount) => ({ ...base, packet: 'multichannelConfig', channelCount, channelOrder: 'unspecified' }) as AudioTag),
        fc.tuple(u8, fc.integer({ min: 0, max: 0xffffffff })).map(([channelCount, channelFlags]) => ({ ...base, packet: 'multichannelConfig', channelCount, channelOrder: 'native', channelFlags }) as AudioTag),
        fc.uint8Array({ maxLength: 12 }).map((channelMapping) => ({ ...base, packet: 'multichannelConfig', channelCount: channelMapping.length, channelOrder: 'custom', channelMapping }) as AudioTag),
      );
  }
}

const exAudioMessage: fc.Arbitrary<AudioTag[]> = fc
  .tuple(fc.constantFrom<AudioTag['packet']>('sequenceStart', 'codedFrames', 'sequenceEnd', 'multichannelConfig'), offsetPart, fc.integer({ min: 1, max: 4 }), fc.boolean())
  .chain(([kind, extra, n, multitrack]) => {
    const count = multitrack ? n : 1;
    const ids = multitrack ? fc.uniqueArray(u8, { minLength: count, maxLength: count }) : fc.constant([0]);
    return fc.tuple(ids, fc.array(fc.constantFrom(...FOURCC_AUDIO), { minLength: count, maxLength: count }))
      .chain(([trackIds, codecs]) => fc.tuple(...trackIds.map((id, i) => audioTrack(kind, codecs[i], id, extra))));
  });

const audioMessage = fc.oneof(legacyAudioMessage, exAudioMessage);

// ---- properties ----
const RUNS = { numRuns: 500 };

describe('round trip', () => {
  it('decodeVideoTag(encodeVideoTag(tags)) = tags', () => {
    fc.assert(fc.property(videoMessage, (tags) => {
      expect(decodeVideoTag(encodeVideoTag(tags))).toStrictEqual(tags);
    }), RUNS);
  });

  it('decodeAudioTag(encodeAudioTag(tags)) = tags', () => {
    fc.assert(fc.property(audioMessage, (tags) => {
      expect(decodeAudioTag(encodeAudioTag(tags))).toStrictEqual(tags);
    }), RUNS);
  });
});

describe('peeks agree with full decoding', () => {
  it('video keyframe and sequence header', () => {
    fc.assert(
      fc.property(videoMessage, (tags) => {
        const body = encodeVideoTag(tags);
        const t = tags[0];
        expect(isVideoKeyframe(body)).toBe(t.packet === 'codedFrames' && (t.frameType === 'keyframe' || t.frameType === 'generated'));
        expect(isVideoSequenceHeader(body)).toBe(t.packet === 'sequenceStart' || t.packet === 'mpeg2TsSequenceStart');
      }),
      RUNS,
    );
  });

  it('audio sequence header', () => {
    fc.assert(fc.property(audioMessage, (tags) => {
      expect(isAudioSequenceHeader(encodeAudioTag(tags))).toBe(tags[0].packet === 'sequenceStart');
    }), RUNS);
  });
});

/** Random bodies, biased towards headers that reach the deeper parsers. */
const FIRST_BYTES = [0x17, 0x27, 0x57, 0x1c, 0x12, 0x90, 0x91, 0x93, 0x94, 0x95, 0x96, 0x97, 0xa1, 0xd1, 0xd4, 0xaf, 0x2f, 0x9f];
const randomBody = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.tuple(fc.constantFrom(...FIRST_BYTES), fc.uint8Array({ maxLength: 64 })).map(([b, rest]) => Uint8Array.of(b, ...rest)),
);
const mutated = <T>(message: fc.Arbitrary<T>, encode: (t: T) => Uint8Array) =>
  fc.tuple(message, fc.array(fc.tuple(fc.nat(), u8), { maxLength: 3 }), fc.nat()).map(([m, flips, cut]) => {
    const b = encode(m).slice();
    for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
    return b.subarray(0, b.length === 0 ? 0 : cut % (b.length + 1));
  });

function decodesOrThrowsOurs<T>(decode: (b: Uint8Array) => T[], encode: (tags: T[]) => Uint8Array, body: Uint8Array): void {
  let tags: T[];
  try {
    tags = decode(body);
  } catch (err) {
    expect(isPipelineError(err), String(err)).toBe(true);
    return;
  }
  // Whatever decodes re-encodes to the same tags.
  if (tags.length > 0) expect(decode(encode(tags))).toStrictEqual(tags);
}

describe('hostile input', () => {
  it('random and mutated video bodies raise only PipelineErrors', () => {
    fc.assert(fc.property(fc.oneof(randomBody, mutated(videoMessage, encodeVideoTag)), (body) => decodesOrThrowsOurs(decodeVideoTag, encodeVideoTag, body)), { numRuns: 2000 });
  });

  it('random and mutated audio bodies raise only PipelineErrors', () => {
    fc.assert(fc.property(fc.oneof(randomBody, mutated(audioMessage, encodeAudioTag)), (body) => decodesOrThrowsOurs(decodeAudioTag, encodeAudioTag, body)), { numRuns: 2000 });
  });

  it('peeks never throw and agree with decoding where it succeeds', () => {
    fc.assert(
      fc.property(fc.oneof(randomBody, mutated(videoMessage, encodeVideoTag)), (body) => {
        const keyframe = isVideoKeyframe(body);
        const header = isVideoSequenceHeader(body);
        let tags: VideoTag[];
        try {
          tags = decodeVideoTag(body);
        } catch {
          return;
        }
        const t = tags[0];
        expect(keyframe).toBe(t.packet === 'codedFrames' && (t.frameType === 'keyframe' || t.frameType === 'generated'));
        expect(header).toBe(t.packet === 'sequenceStart' || t.packet === 'mpeg2TsSequenceStart');
      }),
      { numRuns: 2000 },
    );
  });
});
