// AVCDecoderConfigurationRecord parsing (with and without the High-profile extension) and avc1 codecs strings.
import { describe, expect, it } from 'vitest';
import { isPipelineError, ProtocolError, TruncatedError } from '../../../../pipeline/core/errors.js';
import { avcCodecString, parseAvcDecoderConfig } from '../../../../pipeline/codecs/h264/avc-decoder-config.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const FIXTURE_SPS = '6764000dacd941419f9f0110000003001000000303c0f1429960';
const FIXTURE_PPS = '68efbcb0';
const BASELINE_SPS = '6742c01ed900a02ff970110000030001000003003c0f162e48';
const PPS_A = '68ce3880';
const PPS_B = '68ce0f2c80';

const CASES = [
  {
    // `ffmpeg -i test/fixtures/h264-high-bframes-aac-3s.mp4 -c copy -f flv`, first video tag: extension fd f8 f8 00.
    name: 'the fixture (High, with the extension: 4:2:0, 8-bit, no SPS extensions)',
    avcC: `01 64000d ff e1 001a ${FIXTURE_SPS} 01 0004 ${FIXTURE_PPS} fd f8 f8 00`,
    want: { profileIdc: 100, profileCompatibility: 0, levelIdc: 13, nalLengthSize: 4, sps: [FIXTURE_SPS], pps: [FIXTURE_PPS], chromaFormat: 1, bitDepthLuma: 8, bitDepthChroma: 8, spsExt: [] },
  },
  {
    name: 'High without the extension (older muxers leave it out)',
    avcC: `01 64000d ff e1 001a ${FIXTURE_SPS} 01 0004 ${FIXTURE_PPS}`,
    want: { profileIdc: 100, nalLengthSize: 4, sps: [FIXTURE_SPS], pps: [FIXTURE_PPS], chromaFormat: undefined, spsExt: undefined },
  },
  {
    name: 'High 4:2:2 10-bit extension with one SPS extension',
    avcC: `01 7a0020 ff e1 0004 677a0020 01 0004 ${PPS_A} fe fa fa 01 0003 6d0102`,
    want: { profileIdc: 122, levelIdc: 32, chromaFormat: 2, bitDepthLuma: 10, bitDepthChroma: 10, spsExt: ['6d0102'] },
  },
  {
    name: 'High with fewer trailing bytes than the extension needs: ignored',
    avcC: `01 64001f ff e1 0004 6764001f 01 0004 ${PPS_A} fd f8`,
    want: { profileIdc: 100, levelIdc: 31, sps: ['6764001f'], pps: [PPS_A], chromaFormat: undefined },
  },
  {
    name: 'Constrained Baseline, two PPS, 2-byte NAL lengths',
    avcC: `01 42c01e fd e1 0019 ${BASELINE_SPS} 02 0004 ${PPS_A} 0005 ${PPS_B}`,
    want: { profileIdc: 66, profileCompatibility: 0xc0, levelIdc: 30, nalLengthSize: 2, sps: [BASELINE_SPS], pps: [PPS_A, PPS_B] },
  },
  {
    name: 'two SPS, 1-byte NAL lengths, Main (no extension even with bytes left)',
    avcC: `01 4d4028 fc e2 0004 674d4028 0004 674d4029 01 0004 ${PPS_A} 00 00 00 00`,
    want: { profileIdc: 77, nalLengthSize: 1, sps: ['674d4028', '674d4029'], pps: [PPS_A], chromaFormat: undefined },
  },
  {
    name: 'reserved bits written as zeros are tolerated',
    avcC: `01 42c01e 03 01 0004 6742c01e 01 0004 ${PPS_A}`,
    want: { nalLengthSize: 4, sps: ['6742c01e'] },
  },
];

describe('parseAvcDecoderConfig', () => {
  it.each(CASES)('$name', ({ avcC, want }) => {
    const bytes = hex(avcC);
    const config = parseAvcDecoderConfig(bytes);
    const shown = {
      ...config,
      sps: config.sps.map(toHex),
      pps: config.pps.map(toHex),
      spsExt: config.spsExt?.map(toHex),
    };
    expect(Object.fromEntries(Object.keys(want).map((k) => [k, shown[k as keyof typeof shown]]))).toEqual(want);
  });

  it('returns views into the record, not copies', () => {
    const bytes = hex(CASES[0].avcC);
    const config = parseAvcDecoderConfig(bytes);
    for (const nal of [...config.sps, ...config.pps]) expect(nal.buffer).toBe(bytes.buffer);
    expect(config.sps[0].byteOffset).toBe(8);
  });

  const ERRORS = [
    { name: 'configurationVersion 0', avcC: `00 64000d ff e1 0004 6764000d 01 0004 ${PPS_A}`, error: ProtocolError, message: /configurationVersion 0/ },
    { name: 'lengthSizeMinusOne 2', avcC: `01 64000d fe e1 0004 6764000d 01 0004 ${PPS_A}`, error: ProtocolError, message: /lengthSizeMinusOne 2/ },
    { name: 'no SPS', avcC: `01 64000d ff e0 01 0004 ${PPS_A}`, error: ProtocolError, message: /0 SPS and 1 PPS/ },
    { name: 'no PPS', avcC: '01 64000d ff e1 0004 6764000d 00', error: ProtocolError, message: /1 SPS and 0 PPS/ },
    { name: 'an SPS entry that is a PPS', avcC: `01 64000d ff e1 0004 ${PPS_A} 01 0004 ${PPS_A}`, error: ProtocolError, message: /SPS 0 has NAL unit type 8/ },
    { name: 'a PPS entry that is an SPS', avcC: '01 64000d ff e1 0004 6764000d 01 0004 6764000d', error: ProtocolError, message: /PPS 0 has NAL unit type 7/ },
    { name: 'an empty SPS entry', avcC: `01 64000d ff e1 0000 01 0004 ${PPS_A}`, error: TruncatedError, message: /empty/ },
    { name: 'SPS length past the end', avcC: '01 64000d ff e1 0040 6764000d', error: TruncatedError, message: /AVCDecoderConfigurationRecord/ },
    { name: 'empty', avcC: '', error: TruncatedError, message: /AVCDecoderConfigurationRecord/ },
  ];
  it.each(ERRORS)('$name', ({ avcC, error, message }) => {
    expect(() => parseAvcDecoderConfig(hex(avcC))).toThrow(error);
    expect(() => parseAvcDecoderConfig(hex(avcC))).toThrow(message);
  });

  it('every truncation of a record without the extension is an error', () => {
    const full = hex(CASES[4].avcC);
    for (let n = 0; n < full.length; n++) {
      let thrown: unknown;
      try {
        parseAvcDecoderConfig(full.subarray(0, n));
      } catch (err) {
        thrown = err;
      }
      expect(isPipelineError(thrown), `prefix of ${n} bytes`).toBe(true);
    }
  });
});

describe('avcCodecString', () => {
  const CODECS = [
    { args: [100, 0, 31], codec: 'avc1.64001f' },
    { args: [66, 0xc0, 30], codec: 'avc1.42c01e' },
    { args: [77, 0x40, 0x28], codec: 'avc1.4d4028' },
    { args: [244, 0, 0x33], codec: 'avc1.f40033' },
    { args: [0, 0, 0], codec: 'avc1.000000' },
  ] as const;
  it.each(CODECS)('$codec', ({ args, codec }) => {
    expect(avcCodecString(args[0], args[1], args[2])).toBe(codec);
  });
  it.each([[256, 0, 0], [100, -1, 31], [100, 0, 1.5]])('ProtocolError for a field that is not a byte: %s %s %s', (p, c, l) => {
    expect(() => avcCodecString(p, c, l)).toThrow(ProtocolError);
  });
});
