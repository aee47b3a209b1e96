import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeAmf0,
  decodeAmf0Values,
  decodeAmf3,
  encodeAmf0,
  encodeAmf0Values,
  encodeAmf3,
} from '../../../../pipeline/rtmp/amf/index.js';
import { AMF0_MARKER } from '../../../../pipeline/rtmp/amf/amf0-markers.js';
import { AMF3_MARKER } from '../../../../pipeline/rtmp/amf/amf3-markers.js';
import { amf0Value, amf3Value, expectOnlyPipelineErrors, shape, toHex } from './amf-arbitraries.js';

/** Random bytes, sometimes led by a valid marker so that decoding gets past the first byte. */
function bytesAfterMarker(markers: readonly number[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...markers), fc.uint8Array({ maxLength: 64 })).map(([m, rest]) => Uint8Array.of(m, ...rest));
}

/** A valid encoding with one byte changed, one byte removed or cut short. */
function mutated(encode: (v: never) => Uint8Array, values: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(values, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'cut')).map(
    ([value, at, byte, how]) => {
      const bytes = Uint8Array.from(encode(value as never));
      const i = at % bytes.length;
      if (how === 'flip') bytes[i] = byte;
      if (how === 'drop') return Uint8Array.from([...bytes.subarray(0, i), ...bytes.subarray(i + 1)]);
      if (how === 'cut') return bytes.subarray(0, i);
      return bytes;
    },
  );
}

const AMF0_MARKERS = Object.values(AMF0_MARKER);
const AMF3_MARKERS = Object.values(AMF3_MARKER);

describe('AMF0 properties', () => {
  it('decode(encode(x)) deep-equals x for any value of the AMF0 model', () => {
    fc.assert(
      fc.property(amf0Value, (value) => {
        const bytes = encodeAmf0(value);
        expect(shape(decodeAmf0(bytes)), `round trip through ${toHex(bytes)}`).toStrictEqual(shape(value));
      }),
      { numRuns: 500 },
    );
  });

  it('a sequence of values round-trips as one body', () => {
    fc.assert(
      fc.property(fc.array(amf0Value, { maxLength: 5 }), (values) => {
        expect(shape(decodeAmf0Values(encodeAmf0Values(values)))).toStrictEqual(shape(values));
      }),
    );
  });

  it('random bytes raise only PipelineErrors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 128 }), bytesAfterMarker(AMF0_MARKERS)), (bytes) => {
        expectOnlyPipelineErrors(() => decodeAmf0Values(bytes), bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('damaged encodings raise only PipelineErrors', () => {
    fc.assert(
      fc.property(mutated(encodeAmf0, amf0Value), (bytes) => {
        expectOnlyPipelineErrors(() => decodeAmf0(bytes), bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('AMF3 properties', () => {
  it('decode(encode(x)) deep-equals x for any value of the AMF3 model', () => {
    fc.assert(
      fc.property(amf3Value, (value) => {
        const bytes = encodeAmf3(value);
        expect(shape(decodeAmf3(bytes)), `round trip through ${toHex(bytes)}`).toStrictEqual(shape(value));
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes raise only PipelineErrors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 128 }), bytesAfterMarker(AMF3_MARKERS)), (bytes) => {
        expectOnlyPipelineErrors(() => decodeAmf3(bytes), bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('damaged encodings raise only PipelineErrors', () => {
    fc.assert(
      fc.property(mutated(encodeAmf3, amf3Value), (bytes) => {
        expectOnlyPipelineErrors(() => decodeAmf3(bytes), bytes);
      }),
      { numRuns: 2000 },
    );
  });
});
