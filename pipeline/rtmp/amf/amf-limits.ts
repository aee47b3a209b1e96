// Guards applying the AMF nesting and element limits (core/limits.ts) to decoders and encoders.
import { LimitError, TruncatedError } from '../../core/errors.js';
import { MAX_AMF_DEPTH, MAX_AMF_ELEMENTS } from '../../core/limits.js';

/** Called before reading or writing the members of a container found at `depth` (top level 0). */
export function checkDepth(depth: number, what: string): void {
  if (depth >= MAX_AMF_DEPTH) {
    throw new LimitError(`${what}: nesting deeper than MAX_AMF_DEPTH (${MAX_AMF_DEPTH})`, {
      depth,
      limit: MAX_AMF_DEPTH,
    });
  }
}

/** Called as each member is read or written; `count` counts the members so far, this one included. */
export function checkElementCount(count: number, what: string): void {
  if (count > MAX_AMF_ELEMENTS) {
    throw new LimitError(`${what}: more than MAX_AMF_ELEMENTS (${MAX_AMF_ELEMENTS}) elements`, {
      count,
      limit: MAX_AMF_ELEMENTS,
    });
  }
}

/**
 * Checks a count read from the wire before anything is allocated for it: within the element
 * limit, and payable with what is left when each element takes at least `minBytes` bytes.
 */
export function checkDeclaredCount(count: number, minBytes: number, remaining: number, what: string): void {
  checkElementCount(count, what);
  if (count * minBytes > remaining) {
    throw new TruncatedError(`${what}: declares ${count} elements but only ${remaining} bytes remain`, {
      count,
      remaining,
    });
  }
}
