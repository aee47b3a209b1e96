// Range checks of FLV tag fields for encoders: a value that does not fit its wire field is refused, never truncated.
import { ProtocolError } from '../core/errors.js';
import { MAX_COMPOSITION_TIME_MS, MIN_COMPOSITION_TIME_MS } from './flv-constants.js';

/** Throws unless `value` is an integer in [min, max]. */
export function checkRange(value: number, min: number, max: number, field: string, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ProtocolError(`${what}: ${field} ${value} is outside ${min}..${max}`, { [field]: value });
  }
}

/** Throws unless `value` fits a UI8 field. */
export function checkU8(value: number, field: string, what: string): void {
  checkRange(value, 0, 0xff, field, what);
}

/** Throws unless `ms` fits the signed 24-bit CompositionTime field. */
export function checkCompositionTimeMs(ms: number, what: string): void {
  checkRange(ms, MIN_COMPOSITION_TIME_MS, MAX_COMPOSITION_TIME_MS, 'compositionTimeMs', what);
}
