// The HLS/TS packager over synthetic streams: whatever the encoder's keyframe interval (1, 2, 4,
// 10 s, irregular), every playlist version passes the RFC 8216 checker, every rounded EXTINF is
// within EXT-X-TARGETDURATION and the target never changes; discontinuities keep one timeline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample, TrackInfo } from '../../../pipeline/ingest/media-types.js';
import { audioTrackFromAsc, videoTrackFromAvcC } from '../../../pipeline/ingest/track-builder.js';
import { SlabPool } from '../../../pipeline/core/slab-pool.js';
import { HlsTsPackager, SEGMENT_SLAB_BYTES, type PackagerOutput } from '../../../pipeline/packaging/hls-ts-packager.js';
import { HlsPlaylistChecker } from '../../helpers/hls-playlist-checker.js';
import { FIXTURE_AVCC_HEX, largeVideoSample } from '../../helpers/synthetic-media.js';
import { inspectTs, reassemblePes } from '../../helpers/ts-inspect.js';

/** Video PES of a segment (PID 0x100). */
const videoPes = (bytes: Uint8Array) => reassemblePes(inspectTs(bytes).packets, 0x100);

const VIDEO = videoTrackFromAvcC(Buffer.from(FIXTURE_AVCC_HEX, 'hex'));
const AUDIO = audioTrackFromAsc(new Uint8Array([0x12, 0x10]));
const NAL = (type: number): Uint8Array => new Uint8Array([0, 0, 0, 4, type, 0x88, 0x84, 0x00]);

interface Run {
  readonly playlists: string[];
  readonly durations: number[];
  readonly outputs: PackagerOutput[];
}

/** 30 fps video (keyframes at the given seconds) and 44.1 kHz AAC, `seconds` long. */
function runStream(keyframesSec: readonly number[], seconds: number, tracks: readonly TrackInfo[] = [VIDEO, AUDIO], startMs = 0): Run {
  const packager = new HlsTsPackager({ targetDurationSec: 2, windowSegments: 6 });
  const outputs: PackagerOutput[] = [packager.setTracks(tracks, startMs)];
  const keys = new Set(keyframesSec.map((k) => Math.round(k * 30)));
  const hasVideo = tracks.includes(VIDEO);
  const hasAudio = tracks.includes(AUDIO);
  let audioIndex = 0;
  for (let f = 0; f < seconds * 30; f++) {
    const t = f / 30;
    while (hasAudio && (audioIndex * 1024) / 44_100 <= t) {
      const dts = audioIndex * 1024;
      const s: Sample = { trackId: AUDIO.id, dts, pts: dts, duration: 1024, keyframe: true, data: new Uint8Array(20) };
      outputs.push(packager.push(s, startMs + (dts / 44.1)));
      audioIndex++;
    }
    if (hasVideo) {
      const key = keys.has(f);
      const s: Sample = { trackId: VIDEO.id, dts: f * 3000, pts: f * 3000 + 6000, duration: 0, keyframe: key, data: NAL(key ? 5 : 1) };
      outputs.push(packager.push(s, startMs + t * 1000));
    }
  }
  outputs.push(packager.end(startMs + seconds * 1000));
  const playlists = outputs.map((o) => o.playlist).filter((p): p is string => p !== undefined);
  const durations = outputs.flatMap((o) => o.segments.map((s) => s.durationSec));
  return { playlists, durations, outputs };
}

function checkAll(run: Run): number {
  const checker = new HlsPlaylistChecker();
  for (const p of run.playlists) checker.check(p);
  const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(run.playlists[0])?.[1]);
  for (const p of run.playlists) expect(p).toContain(`#EXT-X-TARGETDURATION:${target}\n`);
  for (const d of run.durations) expect(Math.round(d), `EXTINF ${d} within target ${target}`).toBeLessThanOrEqual(target);
  return target;
}

const every = (gap: number, total: number): number[] => Array.from({ length: Math.ceil(total / gap) }, (_, i) => i * gap);

describe('HlsTsPackager', () => {
  it.each([
    [1, 2],
    [2, 2],
    [4, 4],
    [10, 10],
  ])('keeps a valid playlist with keyframes every %i s (target %i s)', (gop, target) => {
    const run = runStream(every(gop, 60), 60);
    expect(checkAll(run)).toBe(target);
    expect(run.playlists.at(-1)).toContain('#EXT-X-ENDLIST');
  });

  it('keeps a valid playlist for irregular GOPs', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.3, max: 9, noNaN: true }), { minLength: 2, maxLength: 12 }), (gaps) => {
        const keys = [0];
        for (const g of gaps) keys.push(keys[keys.length - 1] + g);
        checkAll(runStream(keys, Math.ceil(keys[keys.length - 1]) + 2));
      }),
      { numRuns: 30 },
    );
  });

  it('segments contain only the real tracks: audio-only and video-only', () => {
    for (const tracks of [[AUDIO], [VIDEO]]) {
      const run = runStream(every(1, 10), 10, tracks);
      checkAll(run);
      const seg = run.outputs.flatMap((o) => o.segments)[0];
      const ts = inspectTs(Buffer.concat(seg.data));
      expect(ts.pmts[0]?.streams.length, `PMT of ${tracks[0].kind}-only`).toBe(1);
    }
  });

  it('every segment starts with PAT, PMT and, with video, a keyframe', () => {
    const run = runStream(every(1, 8), 8);
    for (const seg of run.outputs.flatMap((o) => o.segments)) {
      const bytes = Buffer.concat(seg.data);
      const ts = inspectTs(bytes);
      expect(ts.packets[0].pid, `${seg.uri} starts with the PAT`).toBe(0);
      expect(videoPes(bytes)[0]?.adaptation?.randomAccess, `${seg.uri} starts on a keyframe`).toBe(true);
    }
  });

  it('continues one timeline across a discontinuity and marks it', () => {
    const packager = new HlsTsPackager({ targetDurationSec: 2, windowSegments: 6 });
    const outs: PackagerOutput[] = [packager.setTracks([VIDEO], 0)];
    // The wall clock of the second publish is given as going backwards too: PROGRAM-DATE-TIME must still increase.
    const push = (f: number, base: number): void => {
      outs.push(packager.push({ trackId: 1, dts: (base + f) * 3000, pts: (base + f) * 3000, duration: 0, keyframe: f % 30 === 0, data: NAL(f % 30 === 0 ? 5 : 1) }, f * 33));
    };
    for (let f = 0; f < 150; f++) push(f, 0);
    outs.push(packager.flush(5000));
    packager.discontinuity();
    for (let f = 0; f < 150; f++) push(f, 900_000); // the new publisher's clock starts elsewhere
    outs.push(packager.end(10_000));
    const segs = outs.flatMap((o) => o.segments);
    expect(segs.filter((s) => s.discontinuity).length).toBe(1);
    const checker = new HlsPlaylistChecker();
    for (const p of outs.map((o) => o.playlist).filter((p): p is string => p !== undefined)) checker.check(p);
    const firstDts = segs.map((s) => { const v = videoPes(Buffer.concat(s.data))[0]; return v?.dts ?? v?.pts ?? -1; });
    for (let i = 1; i < firstDts.length; i++) expect(firstDts[i], 'output time only moves forward').toBeGreaterThan(firstDts[i - 1]);
  });

  it('marks a discontinuity when the publisher clock jumps, and keeps output time running', () => {
    const packager = new HlsTsPackager({ targetDurationSec: 2, windowSegments: 6 });
    const outs: PackagerOutput[] = [packager.setTracks([VIDEO], 0)];
    for (let f = 0; f < 300; f++) {
      const jump = f >= 150 ? 30 * 90_000 : 0; // 30 s forward halfway through
      const dts = f * 3000 + jump;
      outs.push(packager.push({ trackId: 1, dts, pts: dts, duration: 0, keyframe: f % 30 === 0, data: NAL(f % 30 === 0 ? 5 : 1) }, f * 33));
    }
    outs.push(packager.end(10_000));
    const segs = outs.flatMap((o) => o.segments);
    expect(segs.filter((s) => s.discontinuity).length).toBe(1);
    const total = segs.reduce((n, s) => n + s.durationSec, 0);
    expect(total, 'no 30 s hole in the output').toBeLessThan(11);
  });

  it('writes the same segments into recycled slabs: each released segment memory serves later ones', () => {
    /** 10 s of 30 fps video with 24 kB frames (2 s GOPs): about 1.5 MB of TS per segment. */
    const segmentsOf = (pool?: SlabPool): { bytes: Buffer[]; slabsMade: number } => {
      let slabsMade = 0;
      if (pool) {
        const take = pool.take.bind(pool);
        pool.take = () => {
          if (pool.freeSlabs === 0) slabsMade++;
          return take();
        };
      }
      const packager = new HlsTsPackager({ targetDurationSec: 2, windowSegments: 6, ...(pool ? { slabPool: pool } : {}) });
      const bytes: Buffer[] = [];
      const store = (out: PackagerOutput): void => {
        for (const seg of out.segments) {
          bytes.push(Buffer.concat(seg.data)); // what a storage does: copy, then let go
          seg.release();
        }
      };
      store(packager.setTracks([VIDEO], 0));
      for (let f = 0; f < 300; f++) {
        const data = new Uint8Array(24_000);
        data.fill(f % 251, 5);
        new DataView(data.buffer).setUint32(0, data.length - 4); // one NAL unit, length-prefixed
        data[4] = f % 60 === 0 ? 5 : 1;
        store(packager.push({ trackId: VIDEO.id, dts: f * 3000, pts: f * 3000, duration: 0, keyframe: f % 60 === 0, data }, f * 33));
      }
      store(packager.end(10_000));
      return { bytes, slabsMade };
    };
    const plain = segmentsOf();
    const pooled = segmentsOf(new SlabPool(SEGMENT_SLAB_BYTES, 64));
    expect(pooled.bytes.length).toBe(5);
    // Buffer.equals, not toEqual: a deep comparison of 7 MB element by element takes seconds.
    expect(pooled.bytes.map((b, i) => b.equals(plain.bytes[i])), 'byte for byte the segments made without a pool').toEqual([true, true, true, true, true]);
    expect(pooled.slabsMade, 'slabs made: about one segment worth, then reused').toBeLessThan(16);
  });

  it('hands out a growing segment in pieces: pieces and tail are the segment made whole, each released on its own', () => {
    const run = (pieceBytes?: number) => {
      const pool = new SlabPool(SEGMENT_SLAB_BYTES, 64);
      let slabsMade = 0;
      const take = pool.take.bind(pool);
      pool.take = () => {
        if (pool.freeSlabs === 0) slabsMade++;
        return take();
      };
      const packager = new HlsTsPackager({ targetDurationSec: 2, windowSegments: 6, slabPool: pool, ...(pieceBytes ? { pieceBytes } : {}) });
      const files = new Map<string, Buffer[]>();
      const whole: { uri: string; bytes: Buffer; byteLength: number; pieces: boolean }[] = [];
      let pieceCount = 0;
      const store = (out: PackagerOutput): void => {
        for (const piece of out.pieces ?? []) {
          expect(piece.byteLength, 'a piece is at least pieceBytes long').toBeGreaterThanOrEqual(pieceBytes ?? Infinity);
          files.set(piece.uri, [...(files.get(piece.uri) ?? []), Buffer.concat(piece.data)]);
          piece.release();
          pieceCount++;
        }
        for (const seg of out.segments) {
          const bytes = Buffer.concat([...(files.get(seg.uri) ?? []), Buffer.concat(seg.data)]);
          files.delete(seg.uri);
          seg.release();
          whole.push({ uri: seg.uri, bytes, byteLength: seg.byteLength, pieces: seg.pieces });
        }
      };
      store(packager.setTracks([VIDEO], 0));
      for (let f = 0; f < 300; f++) store(packager.push(largeVideoSample(f, VIDEO.id), f * 33));
      store(packager.end(10_000));
      expect(files.size, 'no segment left with pieces but no end').toBe(0);
      return { whole, pieceCount, slabsMade };
    };
    const plain = run();
    const pieced = run(2 * SEGMENT_SLAB_BYTES);
    expect(plain.pieceCount).toBe(0);
    expect(pieced.pieceCount, 'pieces of 5 segments of ~1.4 MB each').toBeGreaterThanOrEqual(5 * 4);
    expect(pieced.whole.map((s) => s.uri)).toEqual(plain.whole.map((s) => s.uri));
    expect(pieced.whole.map((s) => s.pieces)).toEqual([true, true, true, true, true]);
    expect(pieced.whole.map((s) => s.byteLength), 'byteLength is the whole segment').toEqual(plain.whole.map((s) => s.bytes.length));
    expect(pieced.whole.map((s, i) => s.bytes.equals(plain.whole[i].bytes)), 'byte for byte the segments made whole').toEqual([true, true, true, true, true]);
    // Whole, a segment of ~1.4 MB holds 11 slabs until it closes; in pieces, a few are enough.
    expect(plain.slabsMade).toBeGreaterThanOrEqual(11);
    expect(pieced.slabsMade, 'slabs made when pieces are released as they go').toBeLessThanOrEqual(4);
  });

  it('abandons a segment whose pieces went out when it closes empty', () => {
    const packager = new HlsTsPackager({ targetDurationSec: 2, windowSegments: 6, pieceBytes: 1000 });
    packager.setTracks([VIDEO], 0);
    const first = packager.push(largeVideoSample(0, VIDEO.id), 0);
    expect(first.pieces?.map((p) => p.uri)).toEqual(['seg-0.ts']);
    // A lone keyframe: its duration is unknown, so the segment is dropped at the end.
    const end = packager.end(100);
    expect(end.segments).toEqual([]);
    expect(end.abandoned).toEqual(['seg-0.ts']);
  });
});

