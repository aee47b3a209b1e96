// selectByteRange: one `bytes=` range of RFC 9110 §14.1.2 resolved against an object size.
import { describe, expect, it } from 'vitest';
import { selectByteRange } from '../../../src/http/media-route.js';

describe('selectByteRange', () => {
  it.each([
    [undefined, 100, { kind: 'whole' }],
    ['bytes=0-0', 100, { kind: 'partial', start: 0, end: 0 }],
    ['bytes=0-99', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=50-', 100, { kind: 'partial', start: 50, end: 99 }],
    ['bytes=-1', 100, { kind: 'partial', start: 99, end: 99 }],
    ['bytes=-100', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=-1000', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=10-99999999999999999999999', 100, { kind: 'partial', start: 10, end: 99 }],
    ['Bytes=1-2', 100, { kind: 'partial', start: 1, end: 2 }],
    [' bytes = 1-2 ', 100, { kind: 'partial', start: 1, end: 2 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=100-200', 100, { kind: 'unsatisfiable' }],
    ['bytes=99999999999999999999999-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=-5', 0, { kind: 'unsatisfiable' }],
    ['bytes=0-1,2-3', 100, { kind: 'whole' }],
    ['bytes=0-1, 200-300', 100, { kind: 'whole' }],
    ['bytes=5-4', 100, { kind: 'whole' }],
    ['bytes=-', 100, { kind: 'whole' }],
    ['bytes=', 100, { kind: 'whole' }],
    ['bytes=a-b', 100, { kind: 'whole' }],
    ['bytes=1.5-2', 100, { kind: 'whole' }],
    ['bytes=+1-2', 100, { kind: 'whole' }],
    ['items=0-1', 100, { kind: 'whole' }],
    ['0-1', 100, { kind: 'whole' }],
  ] as const)('%j of %i bytes → %j', (header, size, expected) => {
    expect(selectByteRange(header, size)).toEqual(expected);
  });
});
