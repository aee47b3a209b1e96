// mux.js as an independent parser: its MP4 inspector reads the box tree, tracks, timescales,
// sample entries and trun entries we write, and its probe finds the timescale and start time.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeFragment, encodeInitSegment, type FragmentSample } from '../../../pipeline/fmp4/index.js';
import type { TrackInfo } from '../../../pipeline/ingest/media-types.js';
import { concat } from './box-reader.js';
import { AAC, AUDIO_START, audioSamples, mp3Track, VIDEO, VIDEO_START, videoSamples } from './fmp4-media.js';

interface MuxBox {
  readonly type: string;
  readonly size: number;
  readonly boxes?: MuxBox[];
  readonly [field: string]: unknown;
}
interface MuxTrunSample {
  readonly duration: number;
  readonly size: number;
  readonly compositionTimeOffset: number;
  readonly flags: { dependsOn: number; isNonSyncSample: number };
}

const require = createRequire(import.meta.url);
const inspector = require('mux.js/lib/tools/mp4-inspector.js') as {
  inspect(bytes: Uint8Array): MuxBox[];
  parseTfdt(body: Uint8Array): { version: number; baseMediaDecodeTime: number | bigint };
};
const probe = require('mux.js/lib/mp4/probe.js') as {
  timescale(init: Uint8Array): Record<number, number>;
  startTime(timescales: Record<number, number>, fragment: Uint8Array): number;
  compositionStartTime(timescales: Record<number, number>, fragment: Uint8Array): number;
};

/** The first box along a path of types, descending through `boxes`. */
function box(boxes: readonly MuxBox[], ...path: string[]): MuxBox {
  let level = boxes;
  let found: MuxBox | undefined;
  for (const type of path) {
    found = level.find((b) => b.type === type);
    if (!found) throw new Error(`mux.js found no ${path.join('/')}`);
    level = found.boxes ?? [];
  }
  return found!;
}

function sampleEntry(init: Uint8Array): MuxBox {
  const stsd = box(inspector.inspect(init), 'moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd');
  return (stsd.sampleDescriptions as MuxBox[])[0];
}

describe('mux.js reads the init segments', () => {
  it('video: ftyp brands, mvhd, tkhd, mdhd, hdlr, trex', () => {
    const boxes = inspector.inspect(encodeInitSegment(VIDEO));
    expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov']);
    expect(box(boxes, 'ftyp')).toMatchObject({ majorBrand: 'iso6', minorVersion: 0, compatibleBrands: ['iso6', 'cmfc', 'mp41'] });
    expect(box(boxes, 'moov').boxes!.map((b) => b.type)).toEqual(['mvhd', 'trak', 'mvex']);
    expect(box(boxes, 'moov', 'mvhd')).toMatchObject({ version: 0, timescale: 1000, duration: 0, nextTrackId: 2 });
    const tkhd = box(boxes, 'moov', 'trak', 'tkhd');
    expect(tkhd).toMatchObject({ trackId: 1, duration: 0, width: 320, height: 180, volume: 0 });
    expect([...(tkhd.flags as Uint8Array)]).toEqual([0, 0, 7]);
    expect(box(boxes, 'moov', 'trak', 'mdia', 'mdhd')).toMatchObject({ timescale: 90_000, duration: 0, language: 'und' });
    expect(box(boxes, 'moov', 'trak', 'mdia', 'hdlr')).toMatchObject({ handlerType: 'vide', name: 'VideoHandler' });
    expect(box(boxes, 'moov', 'trak', 'mdia', 'minf', 'vmhd')).toBeDefined();
    expect(box(boxes, 'moov', 'mvex', 'trex')).toMatchObject({ trackId: 1, defaultSampleDescriptionIndex: 1, defaultSampleDuration: 0, defaultSampleSize: 0 });
  });

  it('video: avc1 with the avcC as received (profile, level, SPS, PPS)', () => {
    const avc1 = sampleEntry(encodeInitSegment(VIDEO));
    expect(avc1).toMatchObject({ type: 'avc1', dataReferenceIndex: 1, width: 320, height: 180, frameCount: 1, depth: 24 });
    const avcC = (avc1.config as MuxBox[])[0];
    expect(avcC).toMatchObject({ type: 'avcC', configurationVersion: 1, avcProfileIndication: 100, avcLevelIndication: 13, lengthSizeMinusOne: 3 });
    expect(avcC.sps).toEqual([VIDEO.config.sps[0]]);
    expect(avcC.pps).toEqual([VIDEO.config.pps[0]]);
  });

  it('AAC: smhd, full volume, mp4a 44.1 kHz stereo, esds with the AudioSpecificConfig', () => {
    const init = encodeInitSegment(AAC);
    const boxes = inspector.inspect(init);
    expect(box(boxes, 'moov', 'trak', 'tkhd')).toMatchObject({ trackId: 2, width: 0, height: 0, volume: 1 });
    expect(box(boxes, 'moov', 'trak', 'mdia', 'mdhd')).toMatchObject({ timescale: 44_100 });
    expect(box(boxes, 'moov', 'trak', 'mdia', 'hdlr')).toMatchObject({ handlerType: 'soun', name: 'SoundHandler' });
    expect(box(boxes, 'moov', 'trak', 'mdia', 'minf', 'smhd')).toMatchObject({ balance: 0 });
    const mp4a = sampleEntry(init);
    expect(mp4a).toMatchObject({ type: 'mp4a', dataReferenceIndex: 1, channelcount: 2, samplesize: 16, samplerate: 44_100 });
    expect(mp4a.streamDescriptor).toMatchObject({
      type: 'esds',
      decoderConfig: {
        objectProfileIndication: 0x40,
        streamType: 5,
        bufferSize: 0,
        maxBitrate: 0,
        avgBitrate: 0,
        decoderConfigDescriptor: { tag: 5, length: 2, audioObjectType: 2, samplingFrequencyIndex: 4, channelConfiguration: 2 },
      },
    });
  });

  it('MP3: esds objectTypeIndication 0x6B (MPEG-1 audio) and no DecoderSpecificInfo', () => {
    const mp4a = sampleEntry(encodeInitSegment(mp3Track(44_100)));
    expect(mp4a).toMatchObject({ channelcount: 2, samplerate: 44_100, streamDescriptor: { decoderConfig: { objectProfileIndication: 0x6b, streamType: 5 } } });
    // Byte 24 of the esds body follows the DecoderConfigDescriptor: the SLConfigDescriptor tag.
    expect((mp4a.streamDescriptor as { decoderConfig: { decoderConfigDescriptor: { tag: number } } }).decoderConfig.decoderConfigDescriptor.tag).toBe(6);
  });

  it('probe.timescale maps each track id to its mdhd timescale', () => {
    expect(probe.timescale(encodeInitSegment(VIDEO))).toEqual({ 1: 90_000 });
    expect(probe.timescale(encodeInitSegment(AAC))).toEqual({ 2: 44_100 });
  });
});

describe('mux.js reads the fragments', () => {
  const fragmentBoxes = (samples: FragmentSample[], sequence = 1, track: TrackInfo = VIDEO) => inspector.inspect(concat(encodeFragment(track, sequence, samples)));

  it('video: moof/mdat, mfhd, tfhd with default-base-is-moof, tfdt v1, trun v1 with signed offsets', () => {
    const samples = videoSamples();
    const boxes = fragmentBoxes(samples, 7);
    expect(boxes.map((b) => b.type)).toEqual(['moof', 'mdat']);
    expect(box(boxes, 'moof', 'mfhd')).toMatchObject({ sequenceNumber: 7 });
    expect(box(boxes, 'moof', 'traf').boxes!.map((b) => b.type)).toEqual(['tfhd', 'tfdt', 'trun']);
    const tfhd = box(boxes, 'moof', 'traf', 'tfhd');
    expect(tfhd).toMatchObject({ trackId: 1 });
    expect([...(tfhd.flags as Uint8Array)]).toEqual([0x02, 0, 0]);
    expect(tfhd.baseDataOffset).toBeUndefined();
    expect(box(boxes, 'moof', 'traf', 'tfdt')).toMatchObject({ version: 1, baseMediaDecodeTime: VIDEO_START });
    const trun = box(boxes, 'moof', 'traf', 'trun');
    expect(trun.version).toBe(1);
    expect(trun.dataOffset).toBe(box(boxes, 'moof').size + 8);
    const got = (trun.samples as MuxTrunSample[]).map((s) => [s.duration, s.size, s.compositionTimeOffset, s.flags.dependsOn, s.flags.isNonSyncSample]);
    expect(got).toEqual(samples.map((s) => [s.duration, s.data.length, s.pts - s.dts, s.keyframe ? 2 : 1, s.keyframe ? 0 : 1]));
    expect(got.some(([, , offset]) => offset < 0)).toBe(true);
    expect(box(boxes, 'mdat')).toMatchObject({ byteLength: samples.reduce((n, s) => n + s.data.length, 0) });
  });

  it('audio: every sample is a sync sample whatever its keyframe flag', () => {
    const samples = audioSamples().map((s, i) => ({ ...s, keyframe: i === 0 }));
    const trun = box(fragmentBoxes(samples, 1, AAC), 'moof', 'traf', 'trun');
    expect((trun.samples as MuxTrunSample[]).map((s) => [s.flags.dependsOn, s.flags.isNonSyncSample, s.compositionTimeOffset])).toEqual(samples.map(() => [2, 0, 0]));
  });

  it('probe.startTime and compositionStartTime equal what was written', () => {
    const timescales = probe.timescale(encodeInitSegment(VIDEO));
    const fragment = concat(encodeFragment(VIDEO, 1, videoSamples()));
    expect(probe.startTime(timescales, fragment)).toBe(VIDEO_START / 90_000);
    expect(probe.compositionStartTime(timescales, fragment)).toBe(VIDEO_START / 90_000);
    const audio = concat(encodeFragment(AAC, 1, audioSamples()));
    expect(probe.startTime(probe.timescale(encodeInitSegment(AAC)), audio)).toBe(AUDIO_START / 44_100);
  });

  // The last of the 7 samples ends at start + 21000 ticks: MAX_SAFE_INTEGER − 21000 ends exactly at 2^53 − 1.
  it.each([2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12_345, Number.MAX_SAFE_INTEGER - 21_000])('tfdt %d round-trips exactly', (start) => {
    const tfdt = box(fragmentBoxes(videoSamples(start)), 'moof', 'traf', 'tfdt');
    expect(tfdt.version).toBe(1);
    // mux.js returns a number below MAX_SAFE_INTEGER and a bigint from there on.
    expect(BigInt(tfdt.baseMediaDecodeTime as number | bigint)).toBe(BigInt(start));
  });
});
