// Random and mutated bytes into every codec parser: each returns a value or throws one of the pipeline's own errors, nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPipelineError } from '../../../pipeline/core/errors.js';
import type { AacConfig, H264Config } from '../../../pipeline/ingest/media-types.js';
import { annexBLength, avccToAnnexB } from '../../../pipeline/codecs/h264/annexb.js';
import { avcCodecString, parseAvcDecoderConfig } from '../../../pipeline/codecs/h264/avc-decoder-config.js';
import { removeEmulationPrevention } from '../../../pipeline/codecs/h264/emulation-prevention.js';
import { nalType, splitLengthPrefixed } from '../../../pipeline/codecs/h264/nal-units.js';
import { parseSps } from '../../../pipeline/codecs/h264/sps-parser.js';
import { adtsHeader, parseAdtsHeader } from '../../../pipeline/codecs/aac/adts.js';
import { aacConfigFromAsc, parseAudioSpecificConfig } from '../../../pipeline/codecs/aac/audio-specific-config.js';
import { parseMp3FrameHeader } from '../../../pipeline/codecs/mp3/mp3-frame-header.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

/** Runs f; a thrown value must be a PipelineError. */
function onlyOurErrors(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    expect(isPipelineError(err), String(err)).toBe(true);
  }
}

/** Valid inputs to start mutations from, so the fuzzing reaches past the first fields. */
const SEEDS = {
  sps: ['6742c01ed900a02ff970110000030001000003003c0f162e48', '67640028acd94078044fde0220000003002000000643e2c5b2c0', '67f4000d919b282c12d808800000030080000018078a14cb', '677a000cb6cd941419ea37011000000300100000030320f1429960'],
  avcC: ['0164000dffe1001a6764000dacd941419f9f0110000003001000000303c0f142996001000468efbcb0fdf8f800'],
  asc: ['1210', '121056e500', '2b920800', 'eb098800', '130856e59d4880', '118004c4040021100d4c61766335392e33372e31303056e500', '1780562210'],
  mp3: ['fffb9000', 'ffe318c0', 'ffffca00'],
  adts: ['fff150800d7ffc'],
};

/** A seed with some bytes replaced, cut short or extended. */
function mutated(seeds: string[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), fc.uint8Array({ maxLength: 8 }))
    .map(([seed, edits, cut, tail]) => {
      const bytes = hex(seed);
      for (const [at, v] of edits) bytes[at % bytes.length] = v;
      return Uint8Array.from([...bytes.subarray(0, bytes.length - (cut % 3 === 0 ? cut % bytes.length : 0)), ...(cut % 2 ? tail : [])]);
    });
}

const anyBytes = fc.uint8Array({ maxLength: 64 });
const RUNS = { numRuns: 2000 };

describe('codec parsers throw only pipeline errors', () => {
  it('parseSps: random bytes behind an SPS header, and mutated SPS', () => {
    fc.assert(fc.property(anyBytes, (b) => onlyOurErrors(() => parseSps(Uint8Array.from([0x67, ...b])))), RUNS);
    fc.assert(fc.property(mutated(SEEDS.sps), (b) => onlyOurErrors(() => parseSps(b))), RUNS);
    fc.assert(fc.property(anyBytes, (b) => onlyOurErrors(() => parseSps(b))), RUNS);
  });

  it('parseAvcDecoderConfig: random and mutated records', () => {
    fc.assert(fc.property(anyBytes, (b) => onlyOurErrors(() => parseAvcDecoderConfig(Uint8Array.from([1, ...b])))), RUNS);
    fc.assert(fc.property(mutated(SEEDS.avcC), (b) => onlyOurErrors(() => parseAvcDecoderConfig(b))), RUNS);
  });

  it('splitLengthPrefixed, nalType and avccToAnnexB: random samples and length sizes', () => {
    const config: H264Config = { codec: 'avc1', avcC: new Uint8Array(0), sps: [hex(SEEDS.sps[0])], pps: [hex('68ce3880')], nalLengthSize: 4 };
    fc.assert(
      fc.property(anyBytes, fc.integer({ min: 0, max: 5 }), fc.boolean(), (b, size, key) => {
        onlyOurErrors(() => splitLengthPrefixed(b, size));
        onlyOurErrors(() => nalType(b));
        onlyOurErrors(() => annexBLength(avccToAnnexB(b, { ...config, nalLengthSize: size }, key)));
      }),
      RUNS,
    );
  });

  it('removeEmulationPrevention never throws and never grows its input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }).map((b) => b.map((x) => x % 4)), (b) => {
        expect(removeEmulationPrevention(b).length).toBeLessThanOrEqual(b.length);
      }),
      RUNS,
    );
  });

  it('parseAudioSpecificConfig and aacConfigFromAsc: random and mutated configs', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 24 }), (b) => onlyOurErrors(() => parseAudioSpecificConfig(b))), RUNS);
    fc.assert(fc.property(mutated(SEEDS.asc), (b) => onlyOurErrors(() => aacConfigFromAsc(b))), RUNS);
  });

  it('adtsHeader: arbitrary numbers in the config and frame length', () => {
    const num = fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.double(), fc.constantFrom(44100, 48000, 7350, 2, 1, 0, 7, 8));
    fc.assert(
      fc.property(num, num, num, num, (aot, rate, ch, raw) => {
        const config: AacConfig = { codec: 'mp4a', asc: new Uint8Array(0), adtsObjectType: aot, coreSampleRate: rate, channelConfig: ch };
        onlyOurErrors(() => adtsHeader(config, raw));
      }),
      RUNS,
    );
  });

  it('parseAdtsHeader and parseMp3FrameHeader: random and mutated headers', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), (b) => onlyOurErrors(() => parseAdtsHeader(b))), RUNS);
    fc.assert(fc.property(mutated(SEEDS.adts), (b) => onlyOurErrors(() => parseAdtsHeader(b))), RUNS);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 6 }), (b) => onlyOurErrors(() => parseMp3FrameHeader(b))), RUNS);
    fc.assert(fc.property(mutated(SEEDS.mp3), (b) => onlyOurErrors(() => parseMp3FrameHeader(b))), RUNS);
  });

  it('avcCodecString: arbitrary numbers', () => {
    const num = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.double());
    fc.assert(fc.property(num, num, num, (p, c, l) => onlyOurErrors(() => avcCodecString(p, c, l))), RUNS);
  });
});
