// EXTINF duration formatting and EXT-X-PROGRAM-DATE-TIME parsing (RFC 8216 §4.3.2.1, §4.3.2.6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  durationMs,
  formatExtinfDuration,
  formatProgramDateTime,
  parseProgramDateTime,
  roundedExtinfSec,
} from '../../../../pipeline/manifest/hls/index.js';
import { ProtocolError } from '../../../../pipeline/core/errors.js';

describe('EXTINF durations', () => {
  it.each([
    [2.002, '2.002'],
    [6, '6.000'],
    [0.001, '0.001'],
    [1001 / 30000 * 60, '2.002'],
    [(94 * 1024) / 48000, '2.005'],
    [10.0005, '10.001'],
    [123.4, '123.400'],
  ])('%d is written %s', (sec, text) => {
    expect(formatExtinfDuration(sec)).toBe(text);
  });

  it('rounds the written value half up to the integer compared with the target', () => {
    expect(roundedExtinfSec(6499)).toBe(6);
    expect(roundedExtinfSec(6500)).toBe(7);
    expect(roundedExtinfSec(500)).toBe(1);
    expect(roundedExtinfSec(499)).toBe(0);
  });

  it('the written text parses back to the same milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 90_000 }), (ticks, scale) => {
        const sec = ticks / scale;
        expect(durationMs(Number(formatExtinfDuration(sec)))).toBe(durationMs(sec));
      }),
    );
  });
});

describe('EXT-X-PROGRAM-DATE-TIME', () => {
  const ms = Date.UTC(2024, 4, 1, 12, 0, 0, 123);

  it('is written as ISO 8601 with milliseconds and Z', () => {
    expect(formatProgramDateTime(ms)).toBe('2024-05-01T12:00:00.123Z');
    expect(() => formatProgramDateTime(Number.POSITIVE_INFINITY)).toThrow(ProtocolError);
  });

  it.each([
    ['2024-05-01T12:00:00.123Z', ms],
    ['2024-05-01T14:00:00.123+02:00', ms],
    ['2024-05-01T14:00:00.123+0200', ms],
    ['2024-05-01T07:30:00.123-04:30', ms],
    ['2024-05-01T12:00:00.1234567Z', ms],
    ['2024-05-01T12:00:00Z', ms - 123],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('parses %s', (text, expected) => {
    expect(parseProgramDateTime(text)).toBe(expected);
  });

  it.each([
    '2024-05-01 12:00:00Z',
    '2024-05-01T12:00:00',
    '2024-13-01T12:00:00Z',
    '2023-02-29T12:00:00Z',
    '2024-04-31T12:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T12:60:00Z',
    '2024-05-01T12:00:00.Z',
    'yesterday',
    '',
  ])('rejects %j', (text) => {
    expect(parseProgramDateTime(text)).toBeUndefined();
  });

  it('round-trips every millisecond instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (t) => {
        expect(parseProgramDateTime(formatProgramDateTime(t))).toBe(t);
      }),
    );
  });
});
