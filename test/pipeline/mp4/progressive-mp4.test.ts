// planProgressiveMp4 on small hand-made inputs: box order, golden sample tables (stts, ctts, stss,
// stsz, stsc, stco), edit lists and durations; a reconnect gap removed with a per-track hole
// closed; overlaps; negative composition offsets; co64 and a 64-bit mdat; chunk order; errors.
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../pipeline/core/errors.js';
import { childBoxes, dataViewOf, readBoxes, readFullBoxHeader, type Box } from '../../../pipeline/fmp4/box-reader.js';
import type { ParsedSample } from '../../../pipeline/fmp4/fragment-reader.js';
import { encodeInitSegment } from '../../../pipeline/fmp4/index.js';
import { readInitSegment, type InitTrack } from '../../../pipeline/fmp4/init-segment-reader.js';
import { planProgressiveMp4, type FragmentTables, type ProgressiveMp4Track } from '../../../pipeline/mp4/progressive-mp4.js';
import { AAC, VIDEO } from '../fmp4/fmp4-media.js';

const VIDEO_INIT: InitTrack = readInitSegment(encodeInitSegment(VIDEO)).tracks[0];
const AUDIO_INIT: InitTrack = readInitSegment(encodeInitSegment(AAC)).tracks[0];

type S = [duration: number, size: number, keyframe: boolean, compositionOffset: number];

function fragment(baseMediaDecodeTime: number, samples: readonly S[]): FragmentTables {
  const parsed: ParsedSample[] = samples.map(([duration, size, keyframe, compositionOffset]) => ({ duration, size, keyframe, compositionOffset }));
  return { baseMediaDecodeTime, samples: parsed, dataBytes: parsed.reduce((n, s) => n + s.size, 0) };
}

/** n samples of one duration and size, all sync, no composition offset. */
function plain(baseMediaDecodeTime: number, n: number, duration: number, size = 1): FragmentTables {
  return fragment(baseMediaDecodeTime, Array.from({ length: n }, (): S => [duration, size, true, 0]));
}

// ---- reading the header back --------------------------------------------------------------

function kids(header: Uint8Array, parent: Box): Box[] {
  return childBoxes(header, parent);
}

/** The path below a trak, e.g. ['mdia', 'minf', 'stbl', 'stts']; undefined when the last is absent. */
function under(header: Uint8Array, box: Box, path: readonly string[]): Box | undefined {
  let at: Box | undefined = box;
  for (const type of path) at = at && kids(header, at).find((b) => b.type === type);
  return at;
}

function layout(header: Uint8Array): { top: string[]; moov: Box; traks: Box[] } {
  // The header ends with the mdat header; its payload is not there.
  const scan = readBoxes(header, {}, { allowIncompleteTail: true });
  const moov = scan.boxes.find((b) => b.type === 'moov')!;
  return { top: [...scan.boxes.map((b) => b.type), ...(scan.tail ? ['(mdat header)'] : [])], moov, traks: kids(header, moov).filter((b) => b.type === 'trak') };
}

/** The u32 fields of a FullBox payload after version/flags. */
function u32s(header: Uint8Array, box: Box): number[] {
  const v = dataViewOf(header);
  const out: number[] = [];
  for (let at = box.payloadStart + 4; at + 4 <= box.end; at += 4) out.push(v.getUint32(at));
  return out;
}

function pairs(values: readonly number[], width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += width) out.push(values.slice(i, i + width));
  return out;
}

interface Tables {
  stts: number[][];
  ctts?: { version: number; runs: number[][] };
  stss?: number[];
  stsz: { sampleSize: number; count: number; sizes: number[] };
  stsc: number[][];
  chunkOffsets: { type: string; offsets: number[] };
  elst: { version: number; edits: number[][] };
  mdhdDuration: number;
  tkhdDuration: number;
}

function tables(header: Uint8Array, trak: Box): Tables {
  const stbl = under(header, trak, ['mdia', 'minf', 'stbl'])!;
  const get = (type: string): Box | undefined => kids(header, stbl).find((b) => b.type === type);
  const [, ...stts] = u32s(header, get('stts')!);
  const ctts = get('ctts');
  const stss = get('stss');
  const [sampleSize, count, ...sizes] = u32s(header, get('stsz')!);
  const [, ...stsc] = u32s(header, get('stsc')!);
  const co = get('stco') ?? get('co64')!;
  const [, ...offsets] = u32s(header, co);
  const elst = under(header, trak, ['edts', 'elst'])!;
  const [, ...edits] = u32s(header, elst);
  const v = dataViewOf(header);
  return {
    stts: pairs(stts, 2),
    ...(ctts && {
      ctts: { version: readFullBoxHeader(header, ctts).version, runs: pairs(u32s(header, ctts).slice(1), 2).map(([n, o]) => [n, o | 0]) },
    }),
    ...(stss && { stss: u32s(header, stss).slice(1) }),
    stsz: { sampleSize, count, sizes },
    stsc: pairs(stsc, 3),
    chunkOffsets: { type: co.type, offsets: co.type === 'co64' ? pairs(offsets, 2).map(([hi, lo]) => hi * 2 ** 32 + lo) : offsets },
    elst: { version: readFullBoxHeader(header, elst).version, edits: pairs(edits, 3).map(([d, t, r]) => [d, t | 0, r]) },
    mdhdDuration: v.getUint32(under(header, trak, ['mdia', 'mdhd'])!.payloadStart + 16),
    tkhdDuration: v.getUint32(kids(header, trak).find((b) => b.type === 'tkhd')!.payloadStart + 20),
  };
}

// ---- golden ----------------------------------------------------------------------------------

/** Video I P B B | I P at 30 fps (3000 ticks), B-frame offsets; audio 3 + 2 AAC frames. */
const VIDEO_TRACK: ProgressiveMp4Track = {
  track: VIDEO_INIT,
  fragments: [
    fragment(0, [
      [3000, 100, true, 6000],
      [3000, 50, false, 12000],
      [3000, 20, false, 3000],
      [3000, 20, false, 3000],
    ]),
    fragment(12000, [
      [3000, 90, true, 6000],
      [3000, 40, false, 6000],
    ]),
  ],
};
const AUDIO_TRACK: ProgressiveMp4Track = { track: AUDIO_INIT, fragments: [plain(0, 3, 1024, 6), plain(3072, 2, 1024, 7)] };

describe('planProgressiveMp4: golden tables', () => {
  const plan = planProgressiveMp4({ tracks: [VIDEO_TRACK, AUDIO_TRACK] });
  const { header } = plan;
  const { top, moov, traks } = layout(header);
  const H = header.length;

  it('ftyp, moov, then the mdat header; moov holds mvhd and one trak per track', () => {
    expect(top).toEqual(['ftyp', 'moov', '(mdat header)']);
    expect(kids(header, moov).map((b) => b.type)).toEqual(['mvhd', 'trak', 'trak']);
    expect(kids(header, traks[0]).map((b) => b.type)).toEqual(['tkhd', 'edts', 'mdia']);
    expect(kids(header, under(header, traks[0], ['mdia'])!).map((b) => b.type)).toEqual(['mdhd', 'hdlr', 'minf']);
    expect(kids(header, under(header, traks[0], ['mdia', 'minf'])!).map((b) => b.type)).toEqual(['vmhd', 'dinf', 'stbl']);
    expect(kids(header, under(header, traks[1], ['mdia', 'minf'])!).map((b) => b.type)).toEqual(['smhd', 'dinf', 'stbl']);
    expect(kids(header, under(header, traks[0], ['mdia', 'minf', 'stbl'])!).map((b) => b.type)).toEqual(['stsd', 'stts', 'ctts', 'stss', 'stsz', 'stsc', 'stco']);
    expect(kids(header, under(header, traks[1], ['mdia', 'minf', 'stbl'])!).map((b) => b.type)).toEqual(['stsd', 'stts', 'stsz', 'stsc', 'stco']);
    // The mdat header: 8 bytes, size = header + payload.
    expect(dataViewOf(header).getUint32(H - 8)).toBe(8 + 352);
    expect(String.fromCharCode(...header.subarray(H - 4))).toBe('mdat');
  });

  it('copies the stsd of the init segment', () => {
    const stsd = under(header, traks[0], ['mdia', 'minf', 'stbl', 'stsd'])!;
    expect(Buffer.compare(header.subarray(stsd.start, stsd.end), VIDEO_INIT.stsd)).toBe(0);
  });

  it('chunks interleave by decode time: v0, a0, a1, v1', () => {
    expect(plan.chunks).toEqual([
      { trackId: VIDEO_INIT.trackId, fragmentIndex: 0, byteLength: 190, fileOffset: H },
      { trackId: AUDIO_INIT.trackId, fragmentIndex: 0, byteLength: 18, fileOffset: H + 190 },
      { trackId: AUDIO_INIT.trackId, fragmentIndex: 1, byteLength: 14, fileOffset: H + 208 },
      { trackId: VIDEO_INIT.trackId, fragmentIndex: 1, byteLength: 130, fileOffset: H + 222 },
    ]);
    expect(plan.mdatPayloadBytes).toBe(352);
    expect(plan.fileBytes).toBe(H + 352);
  });

  it('video tables: stts, ctts v1, stss, stsz, stsc, stco, elst with an empty edit', () => {
    expect(tables(header, traks[0])).toEqual({
      stts: [[6, 3000]],
      ctts: { version: 1, runs: [[1, 6000], [1, 12000], [2, 3000], [2, 6000]] },
      stss: [1, 5],
      stsz: { sampleSize: 0, count: 6, sizes: [100, 50, 20, 20, 90, 40] },
      stsc: [[1, 4, 1], [2, 2, 1]],
      chunkOffsets: { type: 'stco', offsets: [H, H + 222] },
      // Audio presents first (at 0); video's first frame (composition time 6000) 66.7 ms later.
      elst: { version: 0, edits: [[67, -1, 0x0001_0000], [200, 6000, 0x0001_0000]] },
      mdhdDuration: 18000,
      tkhdDuration: 267,
    });
  });

  it('audio tables: no ctts and no stss (all sync), one media edit', () => {
    expect(tables(header, traks[1])).toEqual({
      stts: [[5, 1024]],
      stsz: { sampleSize: 0, count: 5, sizes: [6, 6, 6, 7, 7] },
      stsc: [[1, 3, 1], [2, 2, 1]],
      chunkOffsets: { type: 'stco', offsets: [H + 190, H + 208] },
      elst: { version: 0, edits: [[116, 0, 0x0001_0000]] },
      mdhdDuration: 5120,
      tkhdDuration: 116,
    });
    expect(plan.durationSec).toBe(0.267);
    expect(plan.removedGapSec).toBe(0);
  });

  it('follows a given chunk order; empty fragments are left out', () => {
    const audio = { ...AUDIO_TRACK, fragments: [...AUDIO_TRACK.fragments, fragment(5120, [])] };
    const ordered = planProgressiveMp4({
      tracks: [VIDEO_TRACK, audio],
      chunkOrder: [
        { trackId: AUDIO_INIT.trackId, fragmentIndex: 0 },
        { trackId: AUDIO_INIT.trackId, fragmentIndex: 2 },
        { trackId: AUDIO_INIT.trackId, fragmentIndex: 1 },
        { trackId: VIDEO_INIT.trackId, fragmentIndex: 0 },
        { trackId: VIDEO_INIT.trackId, fragmentIndex: 1 },
      ],
    });
    const h = ordered.header.length;
    expect(ordered.chunks.map((c) => [c.trackId, c.fragmentIndex, c.fileOffset - h])).toEqual([
      [AUDIO_INIT.trackId, 0, 0],
      [AUDIO_INIT.trackId, 1, 18],
      [VIDEO_INIT.trackId, 0, 32],
      [VIDEO_INIT.trackId, 1, 222],
    ]);
    const { traks: t } = layout(ordered.header);
    expect(tables(ordered.header, t[0]).chunkOffsets.offsets).toEqual([h + 32, h + 222]);
    expect(tables(ordered.header, t[1]).chunkOffsets.offsets).toEqual([h, h + 18]);
  });
});

// ---- timeline -------------------------------------------------------------------------------

const ms = (init: InitTrack): InitTrack => ({ ...init, timescale: 1000 });

describe('planProgressiveMp4: reconnect gaps and overlaps', () => {
  it('removes the time no track covers and closes the hole one track has left', () => {
    // Video [0, 1000) and [3000, 4000); audio [40, 940) and [3100, 4000): nothing plays in
    // [1000, 3000), so 2 s go; audio then still lacks 160 ms before its second fragment.
    const plan = planProgressiveMp4({
      tracks: [
        { track: ms(VIDEO_INIT), fragments: [plain(0, 10, 100), plain(3000, 10, 100)] },
        { track: ms(AUDIO_INIT), fragments: [plain(40, 9, 100), plain(3100, 9, 100)] },
      ],
    });
    const { traks } = layout(plan.header);
    const [v, a] = traks.map((t) => tables(plan.header, t));
    expect(v.stts).toEqual([[20, 100]]);
    expect(a.stts).toEqual([[8, 100], [1, 260], [9, 100]]);
    expect(a.elst.edits).toEqual([[40, -1, 0x0001_0000], [1960, 0, 0x0001_0000]]);
    expect(v.elst.edits).toEqual([[2000, 0, 0x0001_0000]]);
    expect(plan.removedGapSec).toBe(2);
    expect(plan.durationSec).toBe(2);
  });

  it('keeps wall-clock decode times exact (epoch-based tfdt)', () => {
    const t0 = 1_767_225_600 * 90_000; // 2026-01-01 in 90 kHz ticks
    const a0 = 1_767_225_600 * 44_100;
    const plan = planProgressiveMp4({
      tracks: [
        { track: VIDEO_INIT, fragments: [plain(t0, 30, 3000), plain(t0 + 5 * 90_000, 30, 3000)] },
        { track: AUDIO_INIT, fragments: [plain(a0, 43, 1024), plain(a0 + 5 * 44_100, 43, 1024)] },
      ],
    });
    const { traks } = layout(plan.header);
    expect(tables(plan.header, traks[0]).stts).toEqual([[60, 3000]]);
    // Audio covered 43 × 1024 ticks (0.9985 s); video 1 s: the gap is 4 s, audio keeps a 1.5 ms hole.
    expect(tables(plan.header, traks[1]).stts).toEqual([[42, 1024], [1, 1024 + 44_100 - 43 * 1024], [43, 1024]]);
    expect(plan.removedGapSec).toBeCloseTo(4, 9);
  });

  it('shortens the sample before an overlap, never below 1 tick', () => {
    const track = ms(VIDEO_INIT);
    const small = planProgressiveMp4({ tracks: [{ track, fragments: [plain(0, 3, 100), plain(250, 2, 100)] }] });
    expect(tables(small.header, layout(small.header).traks[0]).stts).toEqual([[2, 100], [1, 50], [2, 100]]);
    const big = planProgressiveMp4({ tracks: [{ track, fragments: [plain(0, 3, 100), plain(50, 2, 100), plain(250, 1, 100)] }] });
    const stts = tables(big.header, layout(big.header).traks[0]).stts;
    expect(stts).toEqual([[2, 100], [1, 1], [1, 100], [1, 1], [1, 100]]);
  });

  it('negative composition offsets move up so the media edit starts at 0', () => {
    const plan = planProgressiveMp4({
      tracks: [{ track: ms(VIDEO_INIT), fragments: [fragment(0, [[10, 1, true, -20], [10, 1, false, 0]])] }],
    });
    const t = tables(plan.header, layout(plan.header).traks[0]);
    expect(t.ctts).toEqual({ version: 1, runs: [[1, 0], [1, 20]] });
    expect(t.elst.edits).toEqual([[20, 0, 0x0001_0000]]);
  });
});

// ---- large files ---------------------------------------------------------------------------

describe('planProgressiveMp4: files of 4 GiB and more', () => {
  const GIB2 = 2 ** 31;

  it('an mdat over 4 GiB − 1 gets a 64-bit largesize; offsets below 2^32 stay stco', () => {
    const plan = planProgressiveMp4({ tracks: [{ track: ms(VIDEO_INIT), fragments: [plain(0, 1, 10, GIB2), plain(10, 1, 10, GIB2)] }] });
    const { header } = plan;
    const v = dataViewOf(header);
    const H = header.length;
    expect([v.getUint32(H - 16), String.fromCharCode(...header.subarray(H - 12, H - 8)), v.getBigUint64(H - 8)]).toEqual([1, 'mdat', BigInt(16 + 2 * GIB2)]);
    expect(tables(header, layout(header).traks[0]).chunkOffsets).toEqual({ type: 'stco', offsets: [H, H + GIB2] });
    expect(plan.fileBytes).toBe(H + 2 * GIB2);
  });

  it('a chunk at 2^32 or later switches to co64 (§8.7.5)', () => {
    const plan = planProgressiveMp4({ tracks: [{ track: ms(VIDEO_INIT), fragments: [plain(0, 1, 10, GIB2), plain(10, 1, 10, GIB2), plain(20, 1, 10, GIB2)] }] });
    const H = plan.header.length;
    expect(tables(plan.header, layout(plan.header).traks[0]).chunkOffsets).toEqual({ type: 'co64', offsets: [H, H + GIB2, H + 2 * GIB2] });
    expect(plan.chunks.map((c) => c.fileOffset)).toEqual([H, H + GIB2, H + 2 * GIB2]);
  });
});

describe('planProgressiveMp4: errors', () => {
  it('throws ProtocolError for inputs it cannot plan', () => {
    expect(() => planProgressiveMp4({ tracks: [] })).toThrow(ProtocolError);
    expect(() => planProgressiveMp4({ tracks: [{ track: VIDEO_INIT, fragments: [fragment(0, [])] }] })).toThrow(ProtocolError);
    expect(() => planProgressiveMp4({ tracks: [VIDEO_TRACK, { ...AUDIO_TRACK, track: VIDEO_INIT }] })).toThrow(ProtocolError);
    expect(() => planProgressiveMp4({ tracks: [{ track: VIDEO_INIT, fragments: [{ ...plain(0, 1, 10, 5), dataBytes: 4 }] }] })).toThrow(ProtocolError);
    const v = VIDEO_INIT.trackId;
    const order = (refs: [number, number][]) => planProgressiveMp4({ tracks: [VIDEO_TRACK], chunkOrder: refs.map(([trackId, fragmentIndex]) => ({ trackId, fragmentIndex })) });
    expect(() => order([[v, 0]])).toThrow(ProtocolError); // leaves one out
    expect(() => order([[v, 0], [v, 0], [v, 1]])).toThrow(ProtocolError); // twice
    expect(() => order([[v, 0], [v, 1], [v, 2]])).toThrow(ProtocolError); // not in the input
    expect(() => order([[v, 0], [v + 7, 1]])).toThrow(ProtocolError);
    expect(order([[v, 1], [v, 0]]).chunks.map((c) => c.fragmentIndex)).toEqual([1, 0]);
  });
});
