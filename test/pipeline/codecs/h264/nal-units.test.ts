// NAL unit framing: splitting length-prefixed samples, NAL types, and emulation-prevention removal.
import { describe, expect, it } from 'vitest';
import { ProtocolError, TruncatedError } from '../../../../pipeline/core/errors.js';
import { removeEmulationPrevention } from '../../../../pipeline/codecs/h264/emulation-prevention.js';
import { NAL_TYPE, nalType, splitLengthPrefixed } from '../../../../pipeline/codecs/h264/nal-units.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('splitLengthPrefixed', () => {
  const cases = [
    { name: '4-byte lengths, two NAL units', data: '00000002 6588 00000003 419a01', size: 4, nals: ['6588', '419a01'] },
    { name: '2-byte lengths', data: '0001 09 0002 6788', size: 2, nals: ['09', '6788'] },
    { name: '1-byte lengths', data: '01 06 02 6501', size: 1, nals: ['06', '6501'] },
    { name: 'zero-length entries are skipped', data: '00000000 00000001 65', size: 4, nals: ['65'] },
    { name: 'empty sample', data: '', size: 4, nals: [] },
  ];
  it.each(cases)('$name', ({ data, size, nals }) => {
    const bytes = hex(data);
    const out = splitLengthPrefixed(bytes, size);
    expect(out.map(toHex)).toEqual(nals);
    for (const nal of out) expect(nal.buffer).toBe(bytes.buffer);
  });

  const errors = [
    { name: 'length past the end', data: '00000005 6588', size: 4 },
    { name: 'partial length prefix', data: '00000001 65 0000', size: 4 },
    { name: '3-byte length size', data: '000001 65', size: 3 },
  ];
  it.each(errors)('ProtocolError: $name', ({ data, size }) => {
    expect(() => splitLengthPrefixed(hex(data), size)).toThrow(ProtocolError);
  });
});

describe('nalType', () => {
  it('reads the low five bits of the header', () => {
    expect(nalType(hex('65'))).toBe(NAL_TYPE.IDR);
    expect(nalType(hex('67'))).toBe(NAL_TYPE.SPS);
    expect(nalType(hex('68'))).toBe(NAL_TYPE.PPS);
    expect(nalType(hex('09'))).toBe(NAL_TYPE.AUD);
    expect(nalType(hex('41'))).toBe(NAL_TYPE.SLICE);
    expect(nalType(hex('06'))).toBe(NAL_TYPE.SEI);
  });
  it('throws TruncatedError for an empty NAL unit', () => {
    expect(() => nalType(new Uint8Array(0))).toThrow(TruncatedError);
  });
});

describe('removeEmulationPrevention', () => {
  const cases = [
    { name: 'nothing to remove returns the input itself', input: '4200 1e01 0203', output: '42001e010203' },
    { name: '00 00 03 00 → 00 00 00', input: '11 0000 03 00 22', output: '1100000022' },
    { name: '00 00 03 03 → 00 00 03 (the second 03 is data)', input: '0000 03 03', output: '000003' },
    { name: 'two escapes in a row', input: '0000 03 0000 03 01', output: '0000000001' },
    { name: 'escape at the very end', input: 'aa 0000 03', output: 'aa0000' },
    { name: 'zeros across an escape do not chain', input: '0000 03 00 03', output: '00000003' },
    { name: 'one zero before 03 is data', input: '00 03 00 00 03 02', output: '0003000002' },
  ];
  it.each(cases)('$name', ({ input, output }) => {
    const bytes = hex(input);
    const out = removeEmulationPrevention(bytes);
    expect(toHex(out)).toBe(output);
    if (input.replace(/\s/g, '') === output) expect(out).toBe(bytes);
  });
});
