// Property: for random sample lists (sizes 0..5000, durations 1..10000, signed composition
// offsets) the moof read back by an independent box reader matches the samples, data_offset
// lands on the first payload byte and the mdat payload is the samples' bytes in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFragment, fragmentByteLength, SAMPLE_FLAGS_NON_SYNC, SAMPLE_FLAGS_SYNC, type FragmentSample } from '../../../pipeline/fmp4/index.js';
import type { TrackInfo } from '../../../pipeline/ingest/media-types.js';
import { concat, findBox, parseTfdt, parseTfhd, parseTrun, readBoxes } from './box-reader.js';
import { AAC, filler, VIDEO } from './fmp4-media.js';

const MAX_SAMPLES = 120;
const MAX_DURATION = 10_000;

const sampleSpec = fc.record({
  size: fc.integer({ min: 0, max: 5000 }),
  duration: fc.integer({ min: 1, max: MAX_DURATION }),
  offset: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  keyframe: fc.boolean(),
});

const fragmentSpec = fc.record({
  track: fc.constantFrom<TrackInfo>(VIDEO, AAC),
  sequence: fc.integer({ min: 0, max: 0xffff_ffff }),
  start: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - MAX_SAMPLES * MAX_DURATION - 2 ** 31 }),
  specs: fc.array(sampleSpec, { minLength: 1, maxLength: MAX_SAMPLES }),
});

function build(start: number, specs: readonly { size: number; duration: number; offset: number; keyframe: boolean }[]): FragmentSample[] {
  let dts = start;
  return specs.map((s, i) => {
    const sample = { dts, pts: dts + s.offset, duration: s.duration, keyframe: s.keyframe, data: filler(s.size, i) };
    dts += s.duration;
    return sample;
  });
}

/** Byte equality without vitest's element-by-element deep equality (fast for 200 KB payloads). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

describe('encodeFragment properties', () => {
  it('trun entries, tfdt, data_offset and the mdat payload agree with the samples', () => {
    fc.assert(
      fc.property(fragmentSpec, ({ track, sequence, start, specs }) => {
        const samples = build(start, specs);
        const parts = encodeFragment(track, sequence, samples);
        const bytes = concat(parts);
        expect(fragmentByteLength(parts)).toBe(bytes.length);
        const [moof, mdat, ...rest] = readBoxes(bytes);
        expect([moof.type, mdat.type, rest.length]).toEqual(['moof', 'mdat', 0]);
        const mfhd = findBox(bytes, ['moof', 'mfhd']).body;
        expect(new DataView(mfhd.buffer, mfhd.byteOffset).getUint32(4)).toBe(sequence);
        expect(parseTfhd(findBox(bytes, ['moof', 'traf', 'tfhd']).body).trackId).toBe(track.id);
        expect(parseTfdt(findBox(bytes, ['moof', 'traf', 'tfdt']).body).baseMediaDecodeTime).toBe(BigInt(start));
        const trun = parseTrun(findBox(bytes, ['moof', 'traf', 'trun']).body);
        expect(trun.dataOffset).toBe(moof.size + 8);
        expect(trun.entries).toEqual(
          samples.map((s) => ({
            duration: s.duration,
            size: s.data.length,
            flags: track.kind === 'audio' || s.keyframe ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC,
            compositionOffset: s.pts - s.dts,
          })),
        );
        // Sample i starts at data_offset + the sizes before it, counted from the moof's first byte.
        let at = trun.dataOffset;
        for (const s of samples) {
          expect(sameBytes(bytes.subarray(at, at + s.data.length), s.data)).toBe(true);
          at += s.data.length;
        }
        expect(at).toBe(bytes.length);
        expect(sameBytes(mdat.body, concat(samples.map((s) => s.data)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
