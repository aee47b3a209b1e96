// Attribute value forms: xs:duration, xs:dateTime, FrameRateType, template identifiers, CICP channels (ISO/IEC 23009-1 §5.3.7.2, §5.3.9.4.4).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import {
  cicpChannelConfiguration,
  formatFrameRate,
  formatXsDateTime,
  formatXsDuration,
  frameRateFraction,
  templateIdentifiers,
} from '../../../../pipeline/manifest/dash/index.js';

describe('formatXsDuration', () => {
  it('writes seconds with up to millisecond precision and no trailing zeros', () => {
    expect([0, 2, 0.5, 1.234, 2.002, 30, 3600.1, 0.0004].map((s) => formatXsDuration(s))).toEqual(
      ['PT0S', 'PT2S', 'PT0.5S', 'PT1.234S', 'PT2.002S', 'PT30S', 'PT3600.1S', 'PT0S'],
    );
  });

  it('rounds up when asked, without being fooled by float noise', () => {
    expect(formatXsDuration(2.002, 'up')).toBe('PT2.002S');
    expect(formatXsDuration(180_180 / 90_000, 'up')).toBe('PT2.002S');
    expect(formatXsDuration(96_256 / 48_000, 'up')).toBe('PT2.006S');
    expect(formatXsDuration(96_256 / 48_000)).toBe('PT2.005S');
  });

  it('never writes less than the value when rounding up', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(90_000, 48_000, 44_100, 1000), (ticks, scale) => {
      const m = /^PT(\d+(?:\.\d+)?)S$/.exec(formatXsDuration(ticks / scale, 'up'));
      expect(m).not.toBeNull();
      expect(Number(m?.[1]) * scale).toBeGreaterThanOrEqual(ticks - 1e-6);
    }));
  });

  it('rejects negative and non-finite durations', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => formatXsDuration(bad)).toThrow(ProtocolError);
  });
});

describe('formatXsDateTime', () => {
  it('writes UTC with milliseconds and Z', () => {
    expect(formatXsDateTime(Date.UTC(2024, 4, 1, 12, 0, 0, 7))).toBe('2024-05-01T12:00:00.007Z');
    expect(() => formatXsDateTime(Number.NaN)).toThrow(ProtocolError);
  });
});

describe('formatFrameRate', () => {
  it('writes integers, NTSC fractions and small fractions', () => {
    const cases: [number, string][] = [
      [30, '30'], [25, '25'], [29.97, '30000/1001'], [30000 / 1001, '30000/1001'], [23.976, '24000/1001'],
      [59.94, '60000/1001'], [119.88, '120000/1001'], [12.5, '25/2'], [29.999999, '30'], [0.5, '1/2'], [7.5, '15/2'],
    ];
    for (const [rate, text] of cases) expect(formatFrameRate(rate)).toBe(text);
  });

  it('writes a reduced fraction within 1e-6 (relative) of any rate it does not round to an NTSC or integer rate', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 1, max: 1000 }), (num, den) => {
      const rate = num / den;
      const { num: n, den: d } = frameRateFraction(rate);
      expect(Number.isSafeInteger(n) && Number.isSafeInteger(d) && n > 0 && d > 0).toBe(true);
      expect(Math.abs(n / d - rate)).toBeLessThanOrEqual(Math.max(5e-3, rate * 1e-6));
      expect(formatFrameRate(rate)).toMatch(/^[1-9][0-9]*(?:\/[1-9][0-9]*)?$/);
    }));
  });

  it('rejects zero, negative and non-finite rates', () => {
    for (const bad of [0, -25, Number.NaN]) expect(() => formatFrameRate(bad)).toThrow(ProtocolError);
  });
});

describe('templateIdentifiers', () => {
  it('reads identifiers, format tags and the $$ escape', () => {
    expect(templateIdentifiers('$RepresentationID$-$Time$.m4s')).toEqual(['RepresentationID', 'Time']);
    expect(templateIdentifiers('seg-$Time%010d$-$$.m4s')).toEqual(['Time']);
    expect(() => templateIdentifiers('$RepresentationID%02d$')).toThrow(ProtocolError);
    expect(() => templateIdentifiers('$Foo$')).toThrow(ProtocolError);
  });
});

describe('cicpChannelConfiguration', () => {
  it('maps channel counts to CICP indices', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(cicpChannelConfiguration)).toEqual([1, 2, 3, 4, 5, 6, 11, 12]);
    expect(() => cicpChannelConfiguration(0)).toThrow(ProtocolError);
  });
});
