// encodeFragment: layout (moof + mdat header, then the caller's views), the exact bytes of the
// fields where writers go wrong (tfdt past 2^32, signed offsets, sample flags) and its errors.
import { describe, expect, it } from 'vitest';
import { LimitError, ProtocolError } from '../../../pipeline/core/errors.js';
import { encodeFragment, fragmentByteLength, SAMPLE_FLAGS_NON_SYNC, SAMPLE_FLAGS_SYNC, type FragmentSample } from '../../../pipeline/fmp4/index.js';
import { concat, findBox, parseTfdt, parseTfhd, parseTrun, readBoxes } from './box-reader.js';
import { AAC, VIDEO, videoSamples } from './fmp4-media.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('encodeFragment layout', () => {
  const samples = videoSamples();
  const parts = encodeFragment(VIDEO, 3, samples);
  const bytes = concat(parts);
  const [moof, mdat] = readBoxes(bytes);

  it('returns the moof + mdat header, then each sample view itself (never copied)', () => {
    expect(parts).toHaveLength(samples.length + 1);
    samples.forEach((s, i) => expect(parts[i + 1]).toBe(s.data));
    expect(parts[0].length).toBe(moof.size + 8);
    expect(fragmentByteLength(parts)).toBe(bytes.length);
    expect(readBoxes(bytes).map((b) => b.type)).toEqual(['moof', 'mdat']);
    expect(mdat.body).toEqual(concat(samples.map((s) => s.data)));
  });

  it('moof is 88 + 16 bytes per sample; data_offset points just past the mdat header', () => {
    expect(moof.size).toBe(88 + 16 * samples.length);
    const trun = parseTrun(findBox(bytes, ['moof', 'traf', 'trun']).body);
    expect(trun.dataOffset).toBe(moof.size + 8);
    expect(mdat.offset + 8).toBe(trun.dataOffset);
  });

  it('tfhd has only default-base-is-moof and the track id (no base_data_offset)', () => {
    expect(parseTfhd(findBox(bytes, ['moof', 'traf', 'tfhd']).body)).toEqual({ flags: 0x020000, trackId: 1, bytes: 8 });
    expect(hex(findBox(bytes, ['moof', 'mfhd']).body)).toBe('0000000000000003');
  });

  it('trun version 1 writes signed composition offsets and the sync / non-sync sample flags', () => {
    const trun = parseTrun(findBox(bytes, ['moof', 'traf', 'trun']).body);
    expect(trun.version).toBe(1);
    expect(trun.entries.map((e) => e.compositionOffset)).toEqual([0, 6000, -3000, -3000, 6000, -3000, -3000]);
    expect(trun.entries.map((e) => e.flags)).toEqual([0x0200_0000, ...Array(6).fill(0x0101_0000)]);
    expect([SAMPLE_FLAGS_SYNC, SAMPLE_FLAGS_NON_SYNC]).toEqual([0x0200_0000, 0x0101_0000]);
  });

  it('audio samples are all sync samples', () => {
    const audio = [{ dts: 0, pts: 0, duration: 1024, keyframe: false, data: new Uint8Array(3) }];
    const trun = parseTrun(findBox(concat(encodeFragment(AAC, 1, audio)), ['moof', 'traf', 'trun']).body);
    expect(trun.entries[0].flags).toBe(SAMPLE_FLAGS_SYNC);
  });

  it('accepts empty samples and the extreme 32-bit composition offsets', () => {
    const edge: FragmentSample[] = [
      { dts: 100, pts: 100 - 2 ** 31, duration: 1, keyframe: true, data: new Uint8Array(0) },
      { dts: 101, pts: 101 + 2 ** 31 - 1, duration: 0xffff_ffff, keyframe: false, data: Uint8Array.of(9) },
    ];
    const out = concat(encodeFragment(VIDEO, 0xffff_ffff, edge));
    const trun = parseTrun(findBox(out, ['moof', 'traf', 'trun']).body);
    expect(trun.entries).toEqual([
      { duration: 1, size: 0, flags: SAMPLE_FLAGS_SYNC, compositionOffset: -(2 ** 31) },
      { duration: 0xffff_ffff, size: 1, flags: SAMPLE_FLAGS_NON_SYNC, compositionOffset: 2 ** 31 - 1 },
    ]);
  });
});

describe('tfdt is 64-bit and exact', () => {
  // mux.js's generator splits by 0xFFFFFFFF, which gets exactly these wrong.
  it.each([
    [0, '0000000000000000'],
    [2 ** 32 - 1, '00000000ffffffff'],
    [2 ** 32, '0000000100000000'],
    [2 ** 32 + 1, '0000000100000001'],
    [Number.MAX_SAFE_INTEGER, '001fffffffffffff'],
  ])('baseMediaDecodeTime %d is written as %s', (dts, expected) => {
    const out = concat(encodeFragment(VIDEO, 1, [{ dts, pts: dts, duration: 1, keyframe: true, data: new Uint8Array(1) }]));
    const tfdt = findBox(out, ['moof', 'traf', 'tfdt']);
    expect(hex(tfdt.body)).toBe(`01000000${expected}`);
    expect(parseTfdt(tfdt.body)).toEqual({ version: 1, baseMediaDecodeTime: BigInt(dts) });
  });
});

describe('encodeFragment rejects what trun and tfdt cannot express', () => {
  const ok = (over: Partial<FragmentSample> = {}): FragmentSample => ({ dts: 0, pts: 0, duration: 10, keyframe: true, data: new Uint8Array(1), ...over });
  const cases: [string, () => unknown][] = [
    ['no samples', () => encodeFragment(VIDEO, 1, [])],
    ['a zero duration', () => encodeFragment(VIDEO, 1, [ok({ duration: 0 })])],
    ['a negative duration', () => encodeFragment(VIDEO, 1, [ok({ duration: -1 })])],
    ['a duration past 32 bits', () => encodeFragment(VIDEO, 1, [ok({ duration: 2 ** 32 })])],
    ['a fractional duration', () => encodeFragment(VIDEO, 1, [ok({ duration: 1.5 })])],
    ['a negative dts', () => encodeFragment(VIDEO, 1, [ok({ dts: -1, pts: -1 })])],
    ['a dts past 2^53', () => encodeFragment(VIDEO, 1, [ok({ dts: 2 ** 53, pts: 2 ** 53 })])],
    ['a fractional pts', () => encodeFragment(VIDEO, 1, [ok({ pts: 0.5 })])],
    ['a composition offset past int32', () => encodeFragment(VIDEO, 1, [ok({ pts: 2 ** 31 })])],
    ['a composition offset below int32', () => encodeFragment(VIDEO, 1, [ok({ dts: 2 ** 31 + 1, pts: 0 })])],
    ['a gap between samples', () => encodeFragment(VIDEO, 1, [ok(), ok({ dts: 11, pts: 11 })])],
    ['an overlap between samples', () => encodeFragment(VIDEO, 1, [ok(), ok({ dts: 9, pts: 9 })])],
    ['a negative sequence number', () => encodeFragment(VIDEO, -1, [ok()])],
    ['a sequence number past 32 bits', () => encodeFragment(VIDEO, 2 ** 32, [ok()])],
  ];

  it.each(cases)('%s is a ProtocolError', (_name, encode) => {
    expect(encode).toThrow(ProtocolError);
  });

  it('a payload past a 32-bit mdat is a LimitError', () => {
    const huge = { length: 2 ** 31 } as unknown as Uint8Array;
    expect(() => encodeFragment(VIDEO, 1, [ok({ data: huge }), ok({ dts: 10, pts: 10, data: huge })])).toThrow(LimitError);
  });
});
