// MPD time values: xs:duration and xs:dateTime attributes (ISO/IEC 23009-1 §5.3.1.2 Table 3, XML Schema Part 2 §3.2.6–3.2.7).
import { ProtocolError } from '../../core/errors.js';

export const MS_PER_SECOND = 1000;
/** Largest |ms| a JavaScript Date represents (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;
/** Float noise tolerated before rounding up, in ms (2.002 × 1000 is 2002.0000000000002). */
const ROUNDING_SLACK_MS = 1e-6;

/** How seconds become whole milliseconds: 'up' for bounds that must cover the media (maxSegmentDuration). */
export type DurationRounding = 'nearest' | 'up';

export function durationMs(sec: number, rounding: DurationRounding = 'nearest'): number {
  if (!Number.isFinite(sec) || sec < 0) {
    throw new ProtocolError(`a duration must be a non-negative number of seconds, got ${sec}`);
  }
  const ms = sec * MS_PER_SECOND;
  return rounding === 'up' ? Math.ceil(ms - ROUNDING_SLACK_MS) : Math.round(ms);
}

/** xs:duration in seconds with up to millisecond precision: 2 → "PT2S", 1.234 → "PT1.234S", 0.5 → "PT0.5S". */
export function formatXsDuration(sec: number, rounding: DurationRounding = 'nearest'): string {
  const ms = durationMs(sec, rounding);
  const whole = Math.floor(ms / MS_PER_SECOND);
  const fraction = ms - whole * MS_PER_SECOND;
  if (fraction === 0) return `PT${whole}S`;
  return `PT${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}S`;
}

/** xs:dateTime in UTC with milliseconds, e.g. 2024-05-01T12:00:00.000Z. */
export function formatXsDateTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    throw new ProtocolError('MPD date-time out of range', { ms });
  }
  return new Date(Math.round(ms)).toISOString();
}
