// avcC and SPS from libx264 streams made at test time, compared with ffprobe; builder-made SPS checked against FFmpeg's own SPS parser.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { avcCodecString, parseAvcDecoderConfig } from '../../../../pipeline/codecs/h264/avc-decoder-config.js';
import { parseSps } from '../../../../pipeline/codecs/h264/sps-parser.js';
import { killAll, run } from '../../../helpers/processes.js';
import { buildSps, type SpsFields } from './sps-builder.js';
import { encodeH264, FIXTURE_H264_AAC, ffprobeStream, fixtureMedia, HAVE_FFMPEG, PROFILE_IDC_BY_NAME, rational, tempDir } from '../codec-media.js';

const STREAMS = [
  { name: 'baseline', size: '640x360', rate: '30', args: ['-profile:v', 'baseline'] },
  { name: 'main-720p-5994', size: '1280x720', rate: '60000/1001', args: ['-profile:v', 'main', '-preset', 'veryfast'] },
  { name: 'main-odd-size', size: '1278x718', rate: '24000/1001', args: ['-profile:v', 'main', '-preset', 'veryfast'] },
  { name: 'high-1080p-2997', size: '1920x1080', rate: '30000/1001', args: ['-profile:v', 'high', '-preset', 'veryfast'] },
  { name: 'high-1080i-25', size: '1920x1080', rate: '25', args: ['-profile:v', 'high', '-preset', 'veryfast', '-x264-params', 'interlaced=1:tff=1'] },
  { name: 'high-576i-mbaff-bff', size: '720x576', rate: '25', args: ['-profile:v', 'high', '-preset', 'veryfast', '-x264-params', 'interlaced=1:bff=1'] },
  { name: 'high444-cqm', size: '352x288', rate: '24', args: ['-profile:v', 'high444', '-pix_fmt', 'yuv444p', '-x264-params', 'cqm=jvt', '-preset', 'veryfast'] },
  { name: 'high444-lossless', size: '250x140', rate: '12', args: ['-profile:v', 'high444', '-pix_fmt', 'yuv444p', '-qp', '0', '-preset', 'veryfast'] },
  { name: 'high10', size: '320x180', rate: '50', args: ['-profile:v', 'high10', '-pix_fmt', 'yuv420p10le', '-preset', 'veryfast'] },
  { name: 'high422-10bit', size: '318x180', rate: '25', args: ['-profile:v', 'high422', '-pix_fmt', 'yuv422p10le', '-preset', 'veryfast'] },
  { name: 'monochrome', size: '100x100', rate: '15', args: ['-pix_fmt', 'gray', '-preset', 'veryfast'] },
];

describe.skipIf(!HAVE_FFMPEG)('avcC and SPS from libx264 match ffprobe', () => {
  const tmp = HAVE_FFMPEG ? tempDir('h264') : undefined;
  afterAll(() => {
    killAll();
    tmp?.remove();
  });

  it.each(STREAMS)('$name ($size @ $rate)', async ({ name, size, rate, args }) => {
    const { avcC, probe } = await encodeH264(tmp!.dir, name, size, rate, args);
    const config = parseAvcDecoderConfig(avcC);
    expect(config.nalLengthSize).toBe(4);
    expect(config.sps).toHaveLength(1);
    expect(config.pps).toHaveLength(1);
    const sps = parseSps(config.sps[0]);
    expect({ width: sps.width, height: sps.height, profileIdc: sps.profileIdc, levelIdc: sps.levelIdc }).toEqual({
      width: probe.width,
      height: probe.height,
      profileIdc: PROFILE_IDC_BY_NAME[probe.profile ?? ''],
      levelIdc: probe.level,
    });
    expect(sps.frameRate).toBeCloseTo(rational(probe.r_frame_rate), 9);
    // The record's profile, compatibility and level bytes copy the SPS's (ISO/IEC 14496-15 §5.3.3.1.2).
    expect([config.profileIdc, config.profileCompatibility, config.levelIdc]).toEqual([sps.profileIdc, sps.constraintFlags, sps.levelIdc]);
    expect(avcCodecString(config.profileIdc, config.profileCompatibility, config.levelIdc)).toBe(`avc1.${Buffer.from(avcC.subarray(1, 4)).toString('hex')}`);
  });

  it('the repo fixture: High 320×180 30 fps, avc1.64000d', async () => {
    const { avcC } = await fixtureMedia();
    const probe = await ffprobeStream(FIXTURE_H264_AAC, 'v');
    const config = parseAvcDecoderConfig(avcC!);
    const sps = parseSps(config.sps[0]);
    expect(sps).toMatchObject({ profileIdc: 100, width: probe.width, height: probe.height, levelIdc: probe.level, chromaFormatIdc: 1, bitDepthLuma: 8 });
    expect(sps.frameRate).toBe(rational(probe.r_frame_rate));
    expect(sps.maxNumReorderFrames).toBe(2);
    expect(avcCodecString(config.profileIdc, config.profileCompatibility, config.levelIdc)).toBe(`avc1.6400${probe.level!.toString(16).padStart(2, '0')}`);
  });
});

const FULL_4X4 = Array.from({ length: 16 }, (_, i) => (i % 2 ? 3 : -1));
const FULL_8X8 = Array.from({ length: 64 }, (_, i) => (i % 5) - 2);
const BUILT: { name: string; fields: SpsFields }[] = [
  {
    name: 'High, scaling lists, POC type 1, crop, extended SAR, NAL HRD, bitstream restriction',
    fields: {
      profileIdc: 100, constraintFlags: 0, levelIdc: 31, spsId: 0, chromaFormatIdc: 1, separateColourPlane: false, bitDepthLumaMinus8: 0, bitDepthChromaMinus8: 0,
      scalingLists: [FULL_4X4, null, [-8], null, [5, 5], null, FULL_8X8, [2, -10]], log2MaxFrameNumMinus4: 3, pocType: 1, log2MaxPocLsbMinus4: 0, pocCycle: [1, -5, 9],
      maxNumRefFrames: 4, widthInMbs: 80, heightInMapUnits: 45, frameMbsOnly: true, crop: [1, 2, 3, 4],
      vui: { aspectRatioIdc: 255, sar: [4, 3], colour: true, timing: { numUnitsInTick: 1001, timeScale: 60000 }, nalHrdCpbCount: 2, vclHrdCpbCount: null, maxNumReorderFrames: 3 },
    },
  },
  {
    name: 'High 4:4:4, separate colour planes, 12 scaling lists, VCL HRD',
    fields: {
      profileIdc: 244, constraintFlags: 0x10, levelIdc: 40, spsId: 7, chromaFormatIdc: 3, separateColourPlane: true, bitDepthLumaMinus8: 4, bitDepthChromaMinus8: 2,
      scalingLists: [null, FULL_4X4, null, null, null, FULL_4X4, FULL_8X8, null, FULL_8X8, null, [-8], FULL_8X8], log2MaxFrameNumMinus4: 12, pocType: 0, log2MaxPocLsbMinus4: 12, pocCycle: [],
      maxNumRefFrames: 1, widthInMbs: 20, heightInMapUnits: 12, frameMbsOnly: true, crop: [3, 0, 0, 5],
      vui: { aspectRatioIdc: 1, sar: [1, 1], colour: false, timing: { numUnitsInTick: 1, timeScale: 50 }, nalHrdCpbCount: null, vclHrdCpbCount: 1, maxNumReorderFrames: null },
    },
  },
  {
    name: 'High 4:2:2 field coding, POC type 2, no VUI',
    fields: {
      profileIdc: 122, constraintFlags: 0, levelIdc: 41, spsId: 1, chromaFormatIdc: 2, separateColourPlane: false, bitDepthLumaMinus8: 2, bitDepthChromaMinus8: 2,
      scalingLists: null, log2MaxFrameNumMinus4: 0, pocType: 2, log2MaxPocLsbMinus4: 0, pocCycle: [],
      maxNumRefFrames: 2, widthInMbs: 45, heightInMapUnits: 18, frameMbsOnly: false, crop: [0, 0, 0, 2], vui: null,
    },
  },
];

/** The first value of each syntax element FFmpeg's trace_headers prints (its CBS parser's reading of the stream). */
async function traceHeaders(file: string): Promise<Map<string, number>> {
  const r = await run('ffmpeg', ['-hide_banner', '-f', 'h264', '-i', file, '-c', 'copy', '-bsf:v', 'trace_headers', '-f', 'null', '-']);
  const fields = new Map<string, number>();
  for (const m of r.stderr.matchAll(/trace_headers @ [^\]]+\]\s+\d+\s+(\S+)\s+[01]+ = (-?\d+)$/gm)) {
    if (!fields.has(m[1])) fields.set(m[1], Number(m[2]));
  }
  return fields;
}

describe.skipIf(!HAVE_FFMPEG)('builder-made SPS read by FFmpeg and by parseSps', () => {
  const tmp = HAVE_FFMPEG ? tempDir('sps') : undefined;
  afterAll(() => {
    killAll();
    tmp?.remove();
  });

  it.each(BUILT)('$name', async ({ name, fields: f }) => {
    const nal = buildSps(f);
    const file = join(tmp!.dir, `${name.length}.h264`);
    writeFileSync(file, Buffer.concat([Buffer.from([0, 0, 0, 1]), nal]));
    const trace = await traceHeaders(file);
    // FFmpeg reads the fields the builder wrote, up to the stop bit: the builder is a faithful encoder.
    expect(trace.get('pic_width_in_mbs_minus1')).toBe(f.widthInMbs - 1);
    expect(trace.get('pic_height_in_map_units_minus1')).toBe(f.heightInMapUnits - 1);
    expect(trace.get('log2_max_frame_num_minus4')).toBe(f.log2MaxFrameNumMinus4);
    expect(trace.get('frame_crop_bottom_offset')).toBe(f.crop?.[3]);
    expect(trace.get('time_scale')).toBe(f.vui?.timing?.timeScale);
    expect(trace.get('max_num_reorder_frames')).toBe(f.vui?.maxNumReorderFrames ?? undefined);
    expect(trace.get('rbsp_stop_one_bit')).toBe(1);
    const sps = parseSps(nal);
    expect(sps.codedWidth).toBe((trace.get('pic_width_in_mbs_minus1')! + 1) * 16);
    expect(sps.codedHeight).toBe((trace.get('pic_height_in_map_units_minus1')! + 1) * 16 * (2 - trace.get('frame_mbs_only_flag')!));
    expect(sps.picOrderCntType).toBe(trace.get('pic_order_cnt_type'));
    expect(sps.bitDepthLuma).toBe(trace.get('bit_depth_luma_minus8')! + 8);
    expect(sps.maxNumReorderFrames).toBe(trace.get('max_num_reorder_frames'));
    const timing = trace.has('time_scale') ? trace.get('time_scale')! / (2 * trace.get('num_units_in_tick')!) : undefined;
    expect(sps.frameRate).toBe(timing);
  });
});
