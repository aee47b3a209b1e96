// HLS time values: EXTINF durations (RFC 8216 §4.3.2.1) and EXT-X-PROGRAM-DATE-TIME (§4.3.2.6).
import { ProtocolError } from '../../core/errors.js';

/** EXTINF is written with this many fractional digits: millisecond accuracy (§4.3.2.1 asks for
 *  enough accuracy to avoid perceptible error accumulating over a long stream). */
export const EXTINF_FRACTION_DIGITS = 3;
export const MS_PER_SECOND = 1000;

/** Live playlists hold at least this many target durations of content (§6.2.2). */
export const LIVE_WINDOW_TARGET_MULTIPLE = 3;

/**
 * The duration as the playlist states it, in integer milliseconds. Every rule about durations
 * (the target check, the window minimum) is evaluated on this value, so what Onramp decides and
 * what a client reads from the written EXTINF can never disagree.
 */
export function durationMs(durationSec: number): number {
  return Math.round(durationSec * MS_PER_SECOND);
}

/** The EXTINF value text, e.g. 2.002 → "2.002", 6 → "6.000". */
export function formatExtinfDuration(durationSec: number): string {
  return formatMs(durationMs(durationSec));
}

/** Integer milliseconds as seconds with three decimals. */
export function formatMs(ms: number): string {
  const whole = Math.floor(ms / MS_PER_SECOND);
  return `${whole}.${String(ms - whole * MS_PER_SECOND).padStart(EXTINF_FRACTION_DIGITS, '0')}`;
}

/** §4.3.3.1: the written EXTINF "rounded to the nearest integer", compared with the target. */
export function roundedExtinfSec(ms: number): number {
  return Math.floor((ms + MS_PER_SECOND / 2) / MS_PER_SECOND);
}

/** The shortest live playlist §6.2.2 allows once it has started removing segments, in ms. */
export function liveWindowMinimumMs(targetDurationSec: number): number {
  return LIVE_WINDOW_TARGET_MULTIPLE * targetDurationSec * MS_PER_SECOND;
}

/** Largest |ms| a JavaScript Date represents (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

/** §4.3.2.6: ISO 8601 with milliseconds and a UTC designator, e.g. 2024-05-01T12:00:00.000Z. */
export function formatProgramDateTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    throw new ProtocolError('EXT-X-PROGRAM-DATE-TIME out of range', { programDateTimeMs: ms });
  }
  return new Date(Math.round(ms)).toISOString();
}

/** YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh[:mm]|±hhmm): the ISO 8601 forms playlists use. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Parses an ISO 8601 date-time to ms since the epoch, or undefined if it is not one. */
export function parseProgramDateTime(text: string): number | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(base).getUTCDate() !== day) return undefined; // e.g. 31 April
  const fractionMs = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * MS_PER_SECOND);
  return base + fractionMs - zoneOffsetMs(m[8]);
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (hours * 60 + minutes) * 60 * MS_PER_SECOND;
}
