// readFragments: encodeFragment round trip (property), the §8.8.7/§8.8.8 defaults and flags that
// other writers use, typed errors, and a real packager segment cut at every length, garbled and
// followed by garbage: only pipeline errors, and completeBytes always ends the last whole pair.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isPipelineError, ProtocolError, UnsupportedError } from '../../../pipeline/core/errors.js';
import { BoxWriter } from '../../../pipeline/fmp4/box-writer.js';
import { readFragments, type ParsedFragment, type TrackDefaults } from '../../../pipeline/fmp4/fragment-reader.js';
import { encodeFragment, encodeStyp, type FragmentSample } from '../../../pipeline/fmp4/index.js';
import type { TrackInfo } from '../../../pipeline/ingest/media-types.js';
import { cmafEventsOfFixture } from '../../helpers/cmaf-fixture.js';
import { requireTool } from '../../helpers/tools.js';
import { concat } from './box-reader.js';
import { AAC, filler, VIDEO } from './fmp4-media.js';

const SYNC = 0x0200_0000;
const NON_SYNC = 0x0101_0000;

// ---- round trip ---------------------------------------------------------------------------

const sampleSpec = fc.record({
  size: fc.integer({ min: 0, max: 300 }),
  duration: fc.integer({ min: 1, max: 0xffff_ffff }),
  offset: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  keyframe: fc.boolean(),
});
const fragmentSpec = fc.record({
  track: fc.constantFrom<TrackInfo>(VIDEO, AAC),
  sequence: fc.integer({ min: 0, max: 0xffff_ffff }),
  start: fc.integer({ min: 0, max: 2 ** 50 }),
  specs: fc.array(sampleSpec, { minLength: 1, maxLength: 40 }),
  styp: fc.boolean(),
});

function build(start: number, specs: readonly { size: number; duration: number; offset: number; keyframe: boolean }[]): FragmentSample[] {
  let dts = start;
  return specs.map((s, i) => {
    const sample = { dts, pts: dts + s.offset, duration: s.duration, keyframe: s.keyframe, data: filler(s.size, i) };
    dts += s.duration;
    return sample;
  });
}

describe('readFragments ∘ encodeFragment', () => {
  it('gives back every field, the data offsets and completeBytes', () => {
    fc.assert(
      fc.property(fc.array(fragmentSpec, { minLength: 1, maxLength: 4 }), (specs) => {
        const parts: Uint8Array[] = [];
        const expected: { spec: (typeof specs)[number]; samples: FragmentSample[]; byteOffset: number }[] = [];
        let at = 0;
        for (const spec of specs) {
          if (spec.styp) {
            const styp = encodeStyp();
            parts.push(styp);
            at += styp.length;
          }
          const samples = build(spec.start, spec.specs);
          const fragment = encodeFragment(spec.track, spec.sequence, samples);
          parts.push(...fragment);
          expected.push({ spec, samples, byteOffset: at });
          at += fragment.reduce((n, p) => n + p.length, 0);
        }
        const bytes = concat(parts);
        const { fragments, completeBytes } = readFragments(bytes);
        expect(completeBytes).toBe(bytes.length);
        expect(fragments).toHaveLength(expected.length);
        fragments.forEach((f, i) => {
          const { spec, samples, byteOffset } = expected[i];
          expect(f.trackId).toBe(spec.track.id);
          expect(f.sequenceNumber).toBe(spec.sequence);
          expect(f.baseMediaDecodeTime).toBe(spec.start);
          expect(f.byteOffset).toBe(byteOffset);
          expect(f.samples).toEqual(
            samples.map((s) => ({ duration: s.duration, size: s.data.length, keyframe: spec.track.kind === 'audio' || s.keyframe, compositionOffset: s.pts - s.dts })),
          );
          const data = concat(samples.map((s) => s.data));
          expect(f.dataBytes).toBe(data.length);
          expect(Buffer.compare(bytes.subarray(f.dataOffset, f.dataOffset + f.dataBytes), data)).toBe(0);
          expect(f.byteOffset + f.byteLength).toBe(f.dataOffset + f.dataBytes);
        });
      }),
      { numRuns: 300 },
    );
  });
});

// ---- hand-made fragments: the defaults and flags of §8.8.7 / §8.8.8 ------------------------

interface TrunSpec {
  readonly version?: number;
  /** data_offset relative to the base; `'auto'` puts the data right after the mdat header. */
  readonly dataOffset?: number | 'auto';
  readonly firstFlags?: number;
  readonly fields: { duration?: boolean; size?: boolean; flags?: boolean; offset?: boolean };
  readonly entries: readonly { duration?: number; size?: number; flags?: number; offset?: number }[];
}

interface MoofSpec {
  readonly trackId?: number;
  readonly defaultBaseIsMoof?: boolean;
  /** Absolute base_data_offset; `'auto'` is where the mdat payload starts. */
  readonly baseDataOffset?: number | 'auto';
  readonly defaults?: { duration?: number; size?: number; flags?: number };
  readonly tfdt?: { version: 0 | 1; time: number } | null;
  readonly truns: readonly TrunSpec[];
  readonly extraTraf?: boolean;
}

/** moof + mdat with `payload`, placed at `at` in the file; data offsets resolved from the moof size. */
function handFragment(spec: MoofSpec, payload: Uint8Array, at = 0): Uint8Array {
  const write = (moofBytes: number): Uint8Array => {
    const payloadStart = at + moofBytes + 8;
    const w = new BoxWriter();
    const traf = (): void => {
      w.box('traf', () => {
        const d = spec.defaults ?? {};
        const flags =
          (spec.baseDataOffset !== undefined ? 0x01 : 0) | (d.duration !== undefined ? 0x08 : 0) | (d.size !== undefined ? 0x10 : 0) | (d.flags !== undefined ? 0x20 : 0) | (spec.defaultBaseIsMoof ? 0x020000 : 0);
        w.fullBox('tfhd', 0, flags, () => {
          w.u32(spec.trackId ?? 1);
          if (spec.baseDataOffset !== undefined) w.u64Number(spec.baseDataOffset === 'auto' ? payloadStart : spec.baseDataOffset);
          if (d.duration !== undefined) w.u32(d.duration);
          if (d.size !== undefined) w.u32(d.size);
          if (d.flags !== undefined) w.u32(d.flags);
        });
        const tfdt = spec.tfdt === undefined ? { version: 1, time: 5000 } : spec.tfdt;
        if (tfdt) w.fullBox('tfdt', tfdt.version, 0, () => (tfdt.version === 1 ? w.u64Number(tfdt.time) : w.u32(tfdt.time)));
        for (const run of spec.truns) {
          const f = run.fields;
          const flags =
            (run.dataOffset !== undefined ? 0x01 : 0) | (run.firstFlags !== undefined ? 0x04 : 0) | (f.duration ? 0x100 : 0) | (f.size ? 0x200 : 0) | (f.flags ? 0x400 : 0) | (f.offset ? 0x800 : 0);
          w.fullBox('trun', run.version ?? 1, flags, () => {
            w.u32(run.entries.length);
            if (run.dataOffset !== undefined) w.i32(run.dataOffset === 'auto' ? payloadStart - at : run.dataOffset);
            if (run.firstFlags !== undefined) w.u32(run.firstFlags);
            for (const e of run.entries) {
              if (f.duration) w.u32(e.duration ?? 0);
              if (f.size) w.u32(e.size ?? 0);
              if (f.flags) w.u32(e.flags ?? 0);
              if (f.offset) w.i32(e.offset ?? 0);
            }
          });
        }
      });
    };
    w.box('moof', () => {
      w.fullBox('mfhd', 0, 0, () => w.u32(7));
      traf();
      if (spec.extraTraf) traf();
    });
    w.boxHeader('mdat', 8 + payload.length).bytes(payload);
    return w.finish();
  };
  const first = write(0);
  const moofBytes = first.length - 8 - payload.length;
  return write(moofBytes);
}

function only(bytes: Uint8Array, defaults?: ReadonlyMap<number, TrackDefaults>): ParsedFragment {
  const { fragments, completeBytes } = readFragments(bytes, { trackDefaults: defaults });
  expect(completeBytes).toBe(bytes.length);
  expect(fragments).toHaveLength(1);
  return fragments[0];
}

describe('readFragments: tfhd and trun defaults (ISO/IEC 14496-12 §8.8.7, §8.8.8)', () => {
  const payload = filler(30, 1);

  it('tfhd default duration/size/flags, first_sample_flags, default-base-is-moof', () => {
    const bytes = handFragment(
      { defaultBaseIsMoof: true, defaults: { duration: 1000, size: 10, flags: NON_SYNC }, truns: [{ dataOffset: 'auto', firstFlags: SYNC, fields: {}, entries: [{}, {}, {}] }] },
      payload,
    );
    const f = only(bytes);
    expect(f).toMatchObject({ trackId: 1, sequenceNumber: 7, baseMediaDecodeTime: 5000, dataOffset: bytes.length - 30, dataBytes: 30, byteOffset: 0, byteLength: bytes.length });
    expect(f.samples).toEqual([
      { duration: 1000, size: 10, keyframe: true, compositionOffset: 0 },
      { duration: 1000, size: 10, keyframe: false, compositionOffset: 0 },
      { duration: 1000, size: 10, keyframe: false, compositionOffset: 0 },
    ]);
  });

  it('base_data_offset (absolute) with a trun that has no data_offset; no default flags means sync', () => {
    const styp = encodeStyp();
    const frag = handFragment({ baseDataOffset: 'auto', defaults: { duration: 3, size: 15 }, truns: [{ fields: {}, entries: [{}, {}] }] }, payload, styp.length);
    const bytes = concat([styp, frag]);
    const f = only(bytes);
    expect(f.dataOffset).toBe(bytes.length - 30);
    expect(f.byteOffset).toBe(styp.length);
    expect(f.samples.map((s) => [s.duration, s.size, s.keyframe])).toEqual([
      [3, 15, true],
      [3, 15, true],
    ]);
  });

  it('neither flag: the base is the moof (first traf); no data_offset means data starts at the base', () => {
    // Legal, if odd: the data is then the moof's own first bytes, outside the mdat.
    const bytes = handFragment({ defaults: { duration: 1, size: 4 }, truns: [{ fields: {}, entries: [{}] }] }, payload);
    expect(() => readFragments(bytes)).toThrow(UnsupportedError);
  });

  it('trex defaults fill what tfhd and trun leave out', () => {
    const bytes = handFragment({ trackId: 3, defaultBaseIsMoof: true, truns: [{ dataOffset: 'auto', fields: { size: true }, entries: [{ size: 12 }, { size: 18 }] }] }, payload);
    const trex = new Map<number, TrackDefaults>([[3, { sampleDescriptionIndex: 1, sampleDuration: 1024, sampleSize: 0, sampleFlags: NON_SYNC }]]);
    expect(only(bytes, trex).samples).toEqual([
      { duration: 1024, size: 12, keyframe: false, compositionOffset: 0 },
      { duration: 1024, size: 18, keyframe: false, compositionOffset: 0 },
    ]);
    expect(() => readFragments(bytes)).toThrow(ProtocolError); // no duration anywhere
    const noSize = handFragment({ defaultBaseIsMoof: true, defaults: { duration: 1 }, truns: [{ dataOffset: 'auto', fields: {}, entries: [{}] }] }, payload);
    expect(() => readFragments(noSize)).toThrow(ProtocolError);
  });

  it('per-sample flags win over first_sample_flags; trun v0 offsets are unsigned, v1 signed', () => {
    const entries = [
      { duration: 10, size: 10, flags: NON_SYNC, offset: -1 },
      { duration: 20, size: 20, flags: SYNC, offset: 5 },
    ];
    const fields = { duration: true, size: true, flags: true, offset: true };
    const v1 = only(handFragment({ defaultBaseIsMoof: true, truns: [{ dataOffset: 'auto', firstFlags: SYNC, fields, entries }] }, payload));
    expect(v1.samples).toEqual([
      { duration: 10, size: 10, keyframe: false, compositionOffset: -1 },
      { duration: 20, size: 20, keyframe: true, compositionOffset: 5 },
    ]);
    const v0 = only(handFragment({ defaultBaseIsMoof: true, truns: [{ version: 0, dataOffset: 'auto', fields, entries }] }, payload));
    expect(v0.samples[0].compositionOffset).toBe(0xffff_ffff);
  });

  it('tfdt version 0; several truns whose data follow one another', () => {
    const bytes = handFragment(
      {
        defaultBaseIsMoof: true,
        tfdt: { version: 0, time: 77 },
        defaults: { duration: 5 },
        truns: [
          { dataOffset: 'auto', fields: { size: true }, entries: [{ size: 10 }, { size: 5 }] },
          { fields: { size: true }, entries: [{ size: 15 }] },
        ],
      },
      payload,
    );
    const f = only(bytes);
    expect(f.baseMediaDecodeTime).toBe(77);
    expect(f.samples.map((s) => s.size)).toEqual([10, 5, 15]);
    expect(f.dataBytes).toBe(30);
  });

  it('refuses, with typed errors, what it does not read', () => {
    const base = { defaultBaseIsMoof: true, defaults: { duration: 1, size: 10 } };
    const run = { dataOffset: 'auto' as const, fields: {}, entries: [{}] };
    expect(() => readFragments(handFragment({ ...base, extraTraf: true, truns: [run] }, payload))).toThrow(UnsupportedError);
    expect(() => readFragments(handFragment({ ...base, tfdt: null, truns: [run] }, payload))).toThrow(UnsupportedError);
    // Two runs whose data are not contiguous.
    expect(() => readFragments(handFragment({ ...base, truns: [run, { ...run, dataOffset: 0 }] }, payload))).toThrow(UnsupportedError);
    // Data beyond the mdat.
    expect(() => readFragments(handFragment({ ...base, defaults: { duration: 1, size: 31 }, truns: [run] }, payload))).toThrow(UnsupportedError);
    // A moof followed by another box than mdat.
    const moofOnly = handFragment({ ...base, truns: [run] }, payload);
    const moofEnd = moofOnly.length - 38;
    const bad = concat([moofOnly.subarray(0, moofEnd), new BoxWriter().box('free', () => undefined).finish(), moofOnly.subarray(moofEnd)]);
    expect(() => readFragments(bad)).toThrow(ProtocolError);
  });

  it('an mdat of size 0 runs to the end of the file; if its data is short the fragment is cut off', () => {
    const bytes = handFragment({ defaultBaseIsMoof: true, defaults: { duration: 1, size: 10 }, truns: [{ dataOffset: 'auto', fields: {}, entries: [{}, {}, {}] }] }, payload);
    const mdatAt = bytes.length - 38;
    const toEnd = bytes.slice();
    new DataView(toEnd.buffer).setUint32(mdatAt, 0);
    expect(readFragments(toEnd)).toMatchObject({ completeBytes: toEnd.length, fragments: [{ dataBytes: 30 }] });
    expect(readFragments(toEnd.subarray(0, toEnd.length - 1))).toEqual({ fragments: [], completeBytes: 0 });
  });
});

// ---- a real segment: truncation, garbage, mutations ---------------------------------------

describe.skipIf(!requireTool('ffmpeg'))('readFragments on a real packager segment', () => {
  let segment: Uint8Array;
  let whole: ParsedFragment[];

  beforeAll(async () => {
    const events = await cmafEventsOfFixture();
    const first = events.find((e) => e.type === 'segment' && e.track.kind === 'video');
    if (first?.type !== 'segment') throw new Error('the fixture gave no video segment');
    segment = concat(first.data);
    whole = readFragments(segment).fragments;
    expect(whole.length).toBeGreaterThan(1);
  });

  it('every truncation keeps exactly the whole fragments before the cut', () => {
    for (let n = 0; n <= segment.length; n++) {
      const { fragments, completeBytes } = readFragments(segment.subarray(0, n));
      const kept = whole.filter((f) => f.byteOffset + f.byteLength <= n);
      const end = kept.length === 0 ? 0 : kept[kept.length - 1].byteOffset + kept[kept.length - 1].byteLength;
      if (completeBytes !== end || fragments.length !== kept.length) throw new Error(`cut at ${n}: completeBytes ${completeBytes}, expected ${end}`);
    }
    expect(readFragments(segment.subarray(0, segment.length - 1)).fragments).toEqual(whole.slice(0, -1));
  });

  it('garbage after the last fragment is left out of completeBytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (garbage) => {
        const { fragments, completeBytes } = readFragments(concat([segment, garbage]));
        expect(completeBytes).toBe(segment.length);
        expect(fragments).toHaveLength(whole.length);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes and mutated segments raise only pipeline errors', () => {
    const onlyPipelineErrors = (bytes: Uint8Array): void => {
      try {
        const { completeBytes } = readFragments(bytes);
        expect(completeBytes).toBeLessThanOrEqual(bytes.length);
      } catch (err) {
        if (!isPipelineError(err)) throw err;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), onlyPipelineErrors), { numRuns: 1000 });
    const moofEnd = whole[0].dataOffset;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(moofEnd - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const bytes = segment.slice();
        for (const [at, v] of edits) bytes[at] = v;
        onlyPipelineErrors(bytes);
      }),
      { numRuns: 1000 },
    );
  });
});
