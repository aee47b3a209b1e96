// AVC samples → Annex B access units: delimiter first, parameter sets before IDRs, views not copies; FFmpeg decodes the result.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import type { H264Config } from '../../../../pipeline/ingest/media-types.js';
import { annexBLength, avccToAnnexB } from '../../../../pipeline/codecs/h264/annexb.js';
import { parseAvcDecoderConfig } from '../../../../pipeline/codecs/h264/avc-decoder-config.js';
import { NAL_TYPE, nalType } from '../../../../pipeline/codecs/h264/nal-units.js';
import { killAll, run } from '../../../helpers/processes.js';
import { fixtureMedia, HAVE_FFMPEG, tempDir, type VideoFrame } from '../codec-media.js';

const SPS = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e);
const PPS = Uint8Array.of(0x68, 0xce, 0x38, 0x80);
const CONFIG: H264Config = { codec: 'avc1', avcC: new Uint8Array(0), sps: [SPS], pps: [PPS], nalLengthSize: 4 };

/** A length-prefixed sample of the given NAL units (4-byte lengths). */
function sample(...nals: number[][]): Uint8Array {
  return Uint8Array.from(nals.flatMap((n) => [0, 0, n.length >> 8, n.length & 0xff, ...n]));
}
const concat = (parts: readonly Uint8Array[]) => Buffer.concat(parts);
/** The NAL unit types of an Annex B access unit, read back from its 4-byte start codes. */
function annexBTypes(bytes: Uint8Array): number[] {
  const types: number[] = [];
  for (let i = 0; i + 4 < bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 0 && bytes[i + 3] === 1) types.push(bytes[i + 4] & 0x1f);
  }
  return types;
}

const SEI = [0x06, 0x05, 0x01, 0xaa, 0x80];
const IDR = [0x65, 0x88, 0x84, 0x00, 0x21];
const SLICE = [0x41, 0x9a, 0x02];
const AUD_I = [0x09, 0x10];
const OWN_SPS = [0x67, 0x64, 0x00, 0x1f];
const OWN_PPS = [0x68, 0xeb, 0xe3, 0xcb];
const { AUD, SPS: S, PPS: P, SEI: E, IDR: I, SLICE: L } = NAL_TYPE;

const CASES = [
  { name: 'IDR keyframe: AUD, config SPS and PPS, then the sample', data: sample(SEI, IDR), keyframe: true, types: [AUD, S, P, E, I] },
  { name: 'non-IDR frame: AUD and the slice only', data: sample(SLICE), keyframe: false, types: [AUD, L] },
  { name: 'IDR that carries its own SPS and PPS: nothing inserted', data: sample(OWN_SPS, OWN_PPS, IDR), keyframe: true, types: [AUD, S, P, I] },
  { name: 'IDR that carries only an SPS: the config PPS follows it', data: sample(SEI, OWN_SPS, IDR), keyframe: true, types: [AUD, E, S, P, I] },
  { name: 'IDR that carries only a PPS: the config SPS comes first', data: sample(OWN_PPS, IDR), keyframe: true, types: [AUD, S, P, I] },
  { name: 'IDR slice in a sample not flagged keyframe still gets the parameter sets', data: sample(IDR), keyframe: false, types: [AUD, S, P, I] },
  { name: 'keyframe without an IDR slice (recovery point) gets the parameter sets', data: sample(SEI, SLICE), keyframe: true, types: [AUD, S, P, E, L] },
  { name: 'a leading AUD is kept, not doubled', data: sample(AUD_I, SLICE), keyframe: false, types: [AUD, L] },
  { name: 'AUDs after the first NAL unit are dropped', data: sample(SLICE, AUD_I, SLICE), keyframe: false, types: [AUD, L, L] },
];

describe('avccToAnnexB', () => {
  it.each(CASES)('$name', ({ data, keyframe, types }) => {
    const parts = avccToAnnexB(data, CONFIG, keyframe);
    const bytes = concat(parts);
    expect(annexBTypes(bytes)).toEqual(types);
    expect(annexBLength(parts)).toBe(bytes.length);
  });

  it('writes 00 00 00 01 09 f0 as the delimiter and 4-byte start codes', () => {
    const bytes = concat(avccToAnnexB(sample(SEI, IDR), CONFIG, true));
    expect(bytes.toString('hex')).toBe(`0000000109f0 00000001${'6742c01e'} 00000001${'68ce3880'} 00000001${Buffer.from(SEI).toString('hex')} 00000001${Buffer.from(IDR).toString('hex')}`.replace(/ /g, ''));
  });

  it('keeps a leading AUD as a view (its primary_pic_type unchanged)', () => {
    const data = sample(AUD_I, SLICE);
    const parts = avccToAnnexB(data, CONFIG, false);
    expect(parts[1].buffer).toBe(data.buffer);
    expect(Buffer.from(parts[1]).toString('hex')).toBe('0910');
  });

  it('NAL units and parameter sets are views, never copies', () => {
    const data = sample(SEI, IDR);
    const parts = avccToAnnexB(data, CONFIG, true);
    const views = parts.filter((p) => p.buffer === data.buffer || p === SPS || p === PPS);
    expect(views.map((p) => nalType(p))).toEqual([S, P, E, I]);
    // Only the delimiter and start codes are fresh, and they are tiny.
    for (const p of parts) if (p.buffer !== data.buffer && p !== SPS && p !== PPS) expect(p.length).toBeLessThanOrEqual(6);
  });

  it('uses the config NAL length size', () => {
    const twoByte = Uint8Array.of(0, 3, ...SLICE);
    expect(annexBTypes(concat(avccToAnnexB(twoByte, { ...CONFIG, nalLengthSize: 2 }, false)))).toEqual([AUD, L]);
  });

  it('ProtocolError for an empty sample and for a length past the end', () => {
    expect(() => avccToAnnexB(new Uint8Array(0), CONFIG, false)).toThrow(ProtocolError);
    expect(() => avccToAnnexB(Uint8Array.of(0, 0, 0, 9, 0x41), CONFIG, false)).toThrow(ProtocolError);
  });
});

describe.skipIf(!HAVE_FFMPEG)('avccToAnnexB output decodes with FFmpeg (the repo fixture)', () => {
  const tmp = HAVE_FFMPEG ? tempDir('annexb') : undefined;
  afterAll(() => {
    killAll();
    tmp?.remove();
  });

  async function convert(frames: readonly VideoFrame[], config: H264Config, name: string) {
    const parts = frames.flatMap((f) => avccToAnnexB(f.data, config, f.keyframe));
    const file = join(tmp!.dir, `${name}.h264`);
    writeFileSync(file, concat(parts));
    return { file, parts };
  }

  async function fixture() {
    const media = await fixtureMedia();
    const record = parseAvcDecoderConfig(media.avcC!);
    const config: H264Config = { codec: 'avc1', avcC: media.avcC!, sps: record.sps, pps: record.pps, nalLengthSize: record.nalLengthSize };
    return { media, config };
  }

  it('the first 40 access units (an IDR, B- and P-frames, the next IDR) decode without a message', async () => {
    const { media, config } = await fixture();
    const frames = media.video.slice(0, 40);
    expect(frames.filter((f) => f.keyframe)).toHaveLength(2);
    const { file, parts } = await convert(frames, config, 'first-40');
    const bytes = concat(parts);
    expect(bytes.subarray(0, 6).toString('hex')).toBe('0000000109f0');
    // One AUD per access unit, and SPS/PPS once before each IDR access unit.
    const types = annexBTypes(bytes);
    expect(types.filter((t) => t === AUD)).toHaveLength(40);
    expect(types.filter((t) => t === S)).toHaveLength(2);
    expect(types.filter((t) => t === P)).toHaveLength(2);
    types.forEach((t, i) => {
      if (t === I && types[i - 1] !== I) expect(types.slice(types.lastIndexOf(AUD, i), i)).toEqual(expect.arrayContaining([AUD, S, P]));
    });
    const decode = await run('ffmpeg', ['-v', 'error', '-f', 'h264', '-i', file, '-f', 'null', '-']);
    expect(decode.code).toBe(0);
    expect(decode.stderr).toBe('');
    const probe = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
    expect(probe.stdout.toString().trim()).toBe('40');
  });

  it('an access-unit sequence starting at the second IDR decodes on its own (in-band SPS/PPS)', async () => {
    const { media, config } = await fixture();
    const start = media.video.findIndex((f, i) => i > 0 && f.keyframe);
    const { file } = await convert(media.video.slice(start, start + 10), config, 'second-gop');
    const decode = await run('ffmpeg', ['-v', 'error', '-f', 'h264', '-i', file, '-f', 'null', '-']);
    expect(decode.stderr).toBe('');
    expect(decode.code).toBe(0);
  });

  it('NAL bodies of the fixture are views into the FLV tag bytes', async () => {
    const { media, config } = await fixture();
    const frame = media.video[0];
    const parts = avccToAnnexB(frame.data, config, true);
    const fromSample = parts.filter((p) => p.buffer === frame.data.buffer && p.byteOffset >= frame.data.byteOffset);
    expect(annexBLength(fromSample)).toBe(frame.data.length - 4 * fromSample.length);
  });
});
