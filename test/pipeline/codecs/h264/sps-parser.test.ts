// SPS parsing: x264 parameter sets (values as ffprobe reports them), builder-made SPS for every branch, errors and a round-trip property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, TruncatedError } from '../../../../pipeline/core/errors.js';
import { parseSps } from '../../../../pipeline/codecs/h264/sps-parser.js';
import { buildSps, HIGH_PROFILE_IDCS, type SpsFields, type VuiFields } from './sps-builder.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

/**
 * SPS NAL units from libx264 (FFmpeg 5.1, `-f lavfi -i testsrc2=size=WxH:rate=R -frames:v 3 -c:v libx264 … -f h264`);
 * the expected values are ffprobe's for the same streams (profile, level, width, height, r_frame_rate).
 */
const X264_CASES = [
  { name: 'Constrained Baseline 640×360 30 fps (368 coded, POC type 2)', args: '-profile:v baseline', sps: '6742c01ed900a02ff970110000030001000003003c0f162e48',
    expect: { profileIdc: 66, constraintFlags: 0xc0, levelIdc: 30, chromaFormatIdc: 1, bitDepthLuma: 8, width: 640, height: 360, codedHeight: 368, frameRate: 30, frameMbsOnly: true, picOrderCntType: 2, maxNumReorderFrames: 0 } },
  { name: 'Main 1280×720 59.94 fps', args: '-profile:v main', sps: '674d4020eca02802dd808800001f48000ea60078c18cb0',
    expect: { profileIdc: 77, constraintFlags: 0x40, levelIdc: 32, chromaFormatIdc: 1, width: 1280, height: 720, codedHeight: 720, frameRate: 60000 / 1001, frameMbsOnly: true, maxNumReorderFrames: 2 } },
  { name: 'Main 1278×718 (cropped right and bottom)', args: '-profile:v main', sps: '674d401feca02802df558088000003000800000301e078c18cb0',
    expect: { profileIdc: 77, levelIdc: 31, width: 1278, height: 718, codedWidth: 1280, codedHeight: 720, frameRate: 30 } },
  { name: 'High 1920×1080 29.97 fps (1088 coded, cropped)', args: '-profile:v high', sps: '67640028acd940780227e5c04400000fa40003a9803c60c658',
    expect: { profileIdc: 100, constraintFlags: 0, levelIdc: 40, chromaFormatIdc: 1, bitDepthLuma: 8, width: 1920, height: 1080, codedHeight: 1088, frameRate: 30000 / 1001, frameMbsOnly: true } },
  { name: 'High 1920×1080 interlaced 25 fps (field MB pairs, crop unit 4 rows)', args: '-x264-params interlaced=1:tff=1', sps: '67640028acd94078044fde0220000003002000000643e2c5b2c0',
    expect: { profileIdc: 100, levelIdc: 40, width: 1920, height: 1080, codedHeight: 1088, frameRate: 25, frameMbsOnly: false } },
  { name: 'High 4:4:4 Predictive 352×288 24 fps', args: '-profile:v high444 -pix_fmt yuv444p', sps: '67f4000d919b282c12d808800000030080000018078a14cb',
    expect: { profileIdc: 244, levelIdc: 13, chromaFormatIdc: 3, bitDepthLuma: 8, width: 352, height: 288, frameRate: 24 } },
  { name: 'High 10 320×180 50 fps', args: '-profile:v high10 -pix_fmt yuv420p10le', sps: '676e0015a6cd941419f9f011000003000100000300640f162d96',
    expect: { profileIdc: 110, levelIdc: 21, chromaFormatIdc: 1, bitDepthLuma: 10, bitDepthChroma: 10, width: 320, height: 180, frameRate: 50 } },
  { name: 'High 4:2:2 10-bit 318×180 (crop unit 2×1)', args: '-profile:v high422 -pix_fmt yuv422p10le', sps: '677a000cb6cd941419ea37011000000300100000030320f1429960',
    expect: { profileIdc: 122, levelIdc: 12, chromaFormatIdc: 2, bitDepthLuma: 10, width: 318, height: 180, codedWidth: 320, codedHeight: 192, frameRate: 25 } },
  { name: 'High monochrome 100×100 (chroma_format_idc 0, crop in luma samples)', args: '-pix_fmt gray', sps: '6764000af3651cfe3637016c80000003008000000f078912cb',
    expect: { profileIdc: 100, levelIdc: 10, chromaFormatIdc: 0, width: 100, height: 100, codedWidth: 112, codedHeight: 112, frameRate: 15 } },
];

describe('parseSps: libx264 parameter sets', () => {
  it.each(X264_CASES)('$name', ({ sps, expect: want }) => {
    expect(parseSps(hex(sps))).toMatchObject(want);
  });
});

const BASE: SpsFields = {
  profileIdc: 100, constraintFlags: 0, levelIdc: 31, spsId: 0, chromaFormatIdc: 1, separateColourPlane: false,
  bitDepthLumaMinus8: 0, bitDepthChromaMinus8: 0, scalingLists: null, log2MaxFrameNumMinus4: 0, pocType: 0,
  log2MaxPocLsbMinus4: 2, pocCycle: [], maxNumRefFrames: 4, widthInMbs: 80, heightInMapUnits: 45, frameMbsOnly: true,
  crop: null, vui: null,
};
const VUI: VuiFields = { aspectRatioIdc: 1, sar: [1, 1], colour: true, timing: { numUnitsInTick: 1, timeScale: 60 }, nalHrdCpbCount: null, vclHrdCpbCount: null, maxNumReorderFrames: 1 };
const FULL_4X4 = Array.from({ length: 16 }, (_, i) => (i % 2 ? 3 : -1));
const FULL_8X8 = Array.from({ length: 64 }, (_, i) => (i % 3) - 1);

const BUILT_CASES: { name: string; fields: Partial<SpsFields>; want: object }[] = [
  { name: 'no VUI: frame rate and reorder depth undefined', fields: {}, want: { width: 1280, height: 720, frameRate: undefined, maxNumReorderFrames: undefined } },
  { name: 'VUI timing 60/(2×1) = 30 fps', fields: { vui: VUI }, want: { frameRate: 30, maxNumReorderFrames: 1, sampleAspectRatio: [1, 1] } },
  { name: 'VUI timing with num_units_in_tick 0 leaves the rate unknown', fields: { vui: { ...VUI, timing: { numUnitsInTick: 0, timeScale: 50 } } }, want: { frameRate: undefined } },
  { name: 'VUI without timing info', fields: { vui: { ...VUI, timing: null } }, want: { frameRate: undefined, maxNumReorderFrames: 1 } },
  { name: 'extended SAR 4:3', fields: { vui: { ...VUI, aspectRatioIdc: 255, sar: [4, 3] } }, want: { sampleAspectRatio: [4, 3] } },
  { name: 'NAL and VCL HRD parameters are skipped', fields: { vui: { ...VUI, nalHrdCpbCount: 3, vclHrdCpbCount: 1, maxNumReorderFrames: 5 } }, want: { frameRate: 30, maxNumReorderFrames: 5 } },
  { name: 'POC type 1 with a cycle of offsets', fields: { pocType: 1, pocCycle: [-2, 0, 7, 300] }, want: { picOrderCntType: 1, width: 1280 } },
  { name: 'POC type 2', fields: { pocType: 2 }, want: { picOrderCntType: 2, height: 720 } },
  { name: 'scaling lists: full, absent and early-terminated (4:2:0, 8 lists)',
    fields: { scalingLists: [FULL_4X4, null, [-8], [3, 5, -256 + 8], FULL_4X4, null, FULL_8X8, [0, 0, -8]] }, want: { width: 1280, height: 720 } },
  { name: 'scaling lists for 4:4:4 (12 lists)',
    fields: { profileIdc: 244, chromaFormatIdc: 3, scalingLists: [null, FULL_4X4, null, null, null, null, FULL_8X8, FULL_8X8, null, FULL_8X8, [-8], FULL_8X8] }, want: { chromaFormatIdc: 3 } },
  { name: '4:4:4 separate colour planes crop in luma samples', fields: { profileIdc: 244, chromaFormatIdc: 3, separateColourPlane: true, crop: [1, 2, 3, 4] },
    want: { separateColourPlane: true, width: 1280 - 3, height: 720 - 7 } },
  { name: '4:2:0 field coding: crop unit 2×4', fields: { frameMbsOnly: false, heightInMapUnits: 34, widthInMbs: 120, crop: [0, 0, 0, 2] }, want: { codedHeight: 1088, height: 1080, frameMbsOnly: false } },
  { name: '4:2:2 field coding: crop unit 2×2', fields: { chromaFormatIdc: 2, frameMbsOnly: false, crop: [1, 1, 1, 1] }, want: { width: 1276, height: 1440 - 4 } },
  { name: 'monochrome field coding: crop unit 1×2', fields: { chromaFormatIdc: 0, frameMbsOnly: false, crop: [1, 0, 1, 0] }, want: { width: 1279, height: 1438 } },
  { name: '14-bit 4:4:4 Intra', fields: { profileIdc: 44, chromaFormatIdc: 3, bitDepthLumaMinus8: 6, bitDepthChromaMinus8: 4 }, want: { bitDepthLuma: 14, bitDepthChroma: 12 } },
  { name: 'Main profile ignores high-profile fields (defaults 4:2:0 8-bit)', fields: { profileIdc: 77, chromaFormatIdc: 3, crop: [0, 0, 0, 4] }, want: { chromaFormatIdc: 1, bitDepthLuma: 8, height: 712 } },
  { name: 'SPS id 31, large frame numbers', fields: { spsId: 31, log2MaxFrameNumMinus4: 12, log2MaxPocLsbMinus4: 12 }, want: { seqParameterSetId: 31 } },
];

describe('parseSps: every branch (builder-made SPS)', () => {
  it.each(BUILT_CASES)('$name', ({ fields, want }) => {
    const sps: Record<string, unknown> = { ...parseSps(buildSps({ ...BASE, ...fields })) };
    // toEqual on the picked keys: a field expected undefined must be absent or undefined.
    expect(Object.fromEntries(Object.keys(want).map((k) => [k, sps[k]]))).toEqual(want);
  });

  it('removes emulation prevention bytes before parsing', () => {
    // level 0, constraint flags 0 and sps id 0 put 00 00 03 into the NAL unit.
    const nal = buildSps({ ...BASE, profileIdc: 66, constraintFlags: 0, levelIdc: 0, vui: VUI });
    expect(Buffer.from(nal).indexOf(Buffer.from([0, 0, 3]))).toBeGreaterThan(0);
    expect(parseSps(nal)).toMatchObject({ profileIdc: 66, levelIdc: 0, width: 1280, height: 720, frameRate: 30 });
  });

  it('keeps what a truncated VUI held before its end', () => {
    const full = buildSps({ ...BASE, vui: { ...VUI, maxNumReorderFrames: 3 } });
    const cut = full.subarray(0, full.length - 3);
    const sps = parseSps(cut);
    expect(sps.frameRate).toBe(30);
    expect(sps.maxNumReorderFrames).toBeUndefined();
  });
});

describe('parseSps errors', () => {
  const errors: { name: string; nal: () => Uint8Array; error: typeof ProtocolError | typeof TruncatedError }[] = [
    { name: 'not an SPS NAL unit', nal: () => hex('6842'), error: ProtocolError },
    { name: 'empty', nal: () => new Uint8Array(0), error: TruncatedError },
    { name: 'header only', nal: () => hex('67'), error: TruncatedError },
    { name: 'cut before the picture size', nal: () => buildSps(BASE).subarray(0, 6), error: TruncatedError },
    { name: 'chroma_format_idc 4', nal: () => buildSps({ ...BASE, chromaFormatIdc: 4 }), error: ProtocolError },
    { name: 'bit depth 15', nal: () => buildSps({ ...BASE, bitDepthLumaMinus8: 7 }), error: ProtocolError },
    { name: 'seq_parameter_set_id 32', nal: () => buildSps({ ...BASE, spsId: 32 }), error: ProtocolError },
    { name: 'log2_max_frame_num_minus4 13', nal: () => buildSps({ ...BASE, log2MaxFrameNumMinus4: 13 }), error: ProtocolError },
    { name: 'pic_order_cnt_type 3', nal: () => buildSps({ ...BASE, pocType: 3 as 0 }), error: ProtocolError },
    { name: 'POC cycle of 256 offsets', nal: () => buildSps({ ...BASE, pocType: 1, pocCycle: new Array<number>(256).fill(1) }), error: ProtocolError },
    { name: 'cropping wider than the picture', nal: () => buildSps({ ...BASE, crop: [320, 320, 0, 0] }), error: ProtocolError },
    { name: 'HRD cpb_cnt_minus1 32', nal: () => buildSps({ ...BASE, vui: { ...VUI, nalHrdCpbCount: 33 } }), error: ProtocolError },
  ];
  it.each(errors)('$name', ({ nal, error }) => {
    expect(() => parseSps(nal())).toThrow(error);
  });

  it('names the field and carries context', () => {
    try {
      parseSps(buildSps({ ...BASE, chromaFormatIdc: 5 }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).message).toMatch(/chroma_format_idc 5/);
      expect((err as ProtocolError).context).toMatchObject({ field: 'chroma_format_idc', value: 5 });
    }
  });
});

const CROP_UNITS: Record<number, [number, number]> = { 0: [1, 1], 1: [2, 2], 2: [2, 1], 3: [1, 1] };

const spsFields: fc.Arbitrary<SpsFields> = fc
  .record({
    profileIdc: fc.constantFrom(66, 77, 88, ...HIGH_PROFILE_IDCS),
    constraintFlags: fc.integer({ min: 0, max: 255 }),
    levelIdc: fc.integer({ min: 0, max: 255 }),
    spsId: fc.integer({ min: 0, max: 31 }),
    chromaFormatIdc: fc.integer({ min: 0, max: 3 }),
    separateColourPlane: fc.boolean(),
    bitDepthLumaMinus8: fc.integer({ min: 0, max: 6 }),
    bitDepthChromaMinus8: fc.integer({ min: 0, max: 6 }),
    scalingLists: fc.option(fc.array(fc.option(fc.array(fc.integer({ min: -128, max: 127 }), { minLength: 1, maxLength: 64 }), { nil: null }), { minLength: 12, maxLength: 12 }), { nil: null }),
    log2MaxFrameNumMinus4: fc.integer({ min: 0, max: 12 }),
    pocType: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    log2MaxPocLsbMinus4: fc.integer({ min: 0, max: 12 }),
    pocCycle: fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 20 }),
    maxNumRefFrames: fc.integer({ min: 0, max: 16 }),
    widthInMbs: fc.integer({ min: 1, max: 512 }),
    heightInMapUnits: fc.integer({ min: 1, max: 512 }),
    frameMbsOnly: fc.boolean(),
    crop: fc.option(fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)), { nil: null }),
    vui: fc.option(
      fc.record({
        aspectRatioIdc: fc.option(fc.constantFrom(1, 2, 14, 16, 255), { nil: null }),
        sar: fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 })),
        colour: fc.boolean(),
        timing: fc.option(fc.record({ numUnitsInTick: fc.integer({ min: 1, max: 0xffffffff }), timeScale: fc.integer({ min: 1, max: 0xffffffff }) }), { nil: null }),
        nalHrdCpbCount: fc.option(fc.integer({ min: 1, max: 32 }), { nil: null }),
        vclHrdCpbCount: fc.option(fc.integer({ min: 1, max: 32 }), { nil: null }),
        maxNumReorderFrames: fc.option(fc.integer({ min: 0, max: 16 }), { nil: null }),
      }),
      { nil: null },
    ),
  })
  .map((f) => {
    const high = HIGH_PROFILE_IDCS.includes(f.profileIdc);
    const lists = f.scalingLists && f.chromaFormatIdc !== 3 ? f.scalingLists.slice(0, 8) : f.scalingLists;
    return { ...f, scalingLists: high ? lists : null };
  })
  // Big enough that the largest crop (3 + 3 units of up to 4 rows) leaves a picture.
  .filter((f) => f.widthInMbs > 1 && f.heightInMapUnits > 1);

describe('parseSps property', () => {
  it('parses what the builder wrote', () => {
    fc.assert(
      fc.property(spsFields, (f) => {
        const sps = parseSps(buildSps(f));
        const high = HIGH_PROFILE_IDCS.includes(f.profileIdc);
        const chroma = high ? f.chromaFormatIdc : 1;
        const separate = high && chroma === 3 && f.separateColourPlane;
        const [unitX, unitY] = CROP_UNITS[separate ? 0 : chroma];
        const fieldFactor = f.frameMbsOnly ? 1 : 2;
        const [l, r, t, b] = f.crop ?? [0, 0, 0, 0];
        expect(sps).toMatchObject({
          profileIdc: f.profileIdc,
          constraintFlags: f.constraintFlags,
          levelIdc: f.levelIdc,
          seqParameterSetId: f.spsId,
          chromaFormatIdc: chroma,
          separateColourPlane: separate,
          bitDepthLuma: high ? 8 + f.bitDepthLumaMinus8 : 8,
          picOrderCntType: f.pocType,
          maxNumRefFrames: f.maxNumRefFrames,
          codedWidth: f.widthInMbs * 16,
          codedHeight: f.heightInMapUnits * 16 * fieldFactor,
          width: f.widthInMbs * 16 - unitX * (l + r),
          height: f.heightInMapUnits * 16 * fieldFactor - unitY * fieldFactor * (t + b),
          frameMbsOnly: f.frameMbsOnly,
        });
        const timing = f.vui?.timing;
        expect(sps.frameRate).toBe(timing ? timing.timeScale / (2 * timing.numUnitsInTick) : undefined);
        expect(sps.maxNumReorderFrames).toBe(f.vui?.maxNumReorderFrames ?? undefined);
      }),
      { numRuns: 300 },
    );
  });
});
