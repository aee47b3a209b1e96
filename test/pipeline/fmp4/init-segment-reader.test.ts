// readInitSegment: Onramp's own init segments (synthetic tracks and the real packager's, both
// kinds), version-1 tkhd/mdhd with a language written by hand, trex defaults, typed errors, and
// every truncation of a real init segment raising only pipeline errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { isPipelineError, ProtocolError, UnsupportedError } from '../../../pipeline/core/errors.js';
import { BoxWriter } from '../../../pipeline/fmp4/box-writer.js';
import { readInitSegment, trackDefaultsOf } from '../../../pipeline/fmp4/init-segment-reader.js';
import { encodeInitSegment } from '../../../pipeline/fmp4/index.js';
import type { CmafEvent } from '../../../pipeline/packaging/cmaf-packager.js';
import { cmafEventsOfFixture } from '../../helpers/cmaf-fixture.js';
import { requireTool } from '../../helpers/tools.js';
import { findBox } from './box-reader.js';
import { AAC, VIDEO } from './fmp4-media.js';

const STSD = ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd'];

/** The whole stsd box of an init segment, found by the tests' own box reader. */
function stsdOf(bytes: Uint8Array): { offset: number; box: Uint8Array } {
  const { body, size } = findBox(bytes, STSD);
  const offset = body.byteOffset - bytes.byteOffset - 8;
  return { offset, box: bytes.subarray(offset, offset + size) };
}

describe('readInitSegment on encodeInitSegment', () => {
  it('video: id, kind, timescale, geometry, codec, the stsd box as written, trex defaults', () => {
    const bytes = encodeInitSegment(VIDEO);
    const init = readInitSegment(bytes);
    expect(init.tracks).toHaveLength(1);
    const [t] = init.tracks;
    expect(t).toMatchObject({ trackId: VIDEO.id, kind: 'video', timescale: VIDEO.timescale, width: VIDEO.width, height: VIDEO.height, codec: 'avc1', language: 'und' });
    const stsd = stsdOf(bytes);
    expect(t.stsd.buffer).toBe(bytes.buffer); // a view, not a copy
    expect(t.stsd.byteOffset - bytes.byteOffset).toBe(stsd.offset);
    expect(Buffer.compare(t.stsd, stsd.box)).toBe(0);
    expect(t.defaults).toEqual({ sampleDescriptionIndex: 1, sampleDuration: 0, sampleSize: 0, sampleFlags: 0 });
    expect(trackDefaultsOf(init)).toEqual(new Map([[VIDEO.id, t.defaults]]));
  });

  it('audio: kind, timescale, no geometry, mp4a', () => {
    const [t] = readInitSegment(encodeInitSegment(AAC)).tracks;
    expect(t).toMatchObject({ trackId: AAC.id, kind: 'audio', timescale: AAC.timescale, width: 0, height: 0, codec: 'mp4a' });
  });
});

/** A hand-made init segment: tkhd and mdhd version 1, language 'eng', no mvex. */
function handInit(handler: string, opts: { language?: number; noMoov?: boolean } = {}): Uint8Array {
  const w = new BoxWriter();
  w.box('ftyp', () => w.fourCc('isom').u32(0));
  if (opts.noMoov) return w.finish();
  w.box('moov', () =>
    w.box('trak', () => {
      w.fullBox('tkhd', 1, 7, () => {
        w.u64Number(0).u64Number(0).u32(9).u32(0).u64Number(0); // times, track_ID 9, reserved, duration
        w.zeros(8).u16(0).u16(0).u16(0).u16(0).zeros(36); // reserved, layer, group, volume, reserved, matrix
        w.u32(1920 * 65536).u32(1080 * 65536);
      });
      w.box('mdia', () => {
        w.fullBox('mdhd', 1, 0, () => w.u64Number(0).u64Number(0).u32(25).u64Number(100).u16(opts.language ?? 0x15c7).u16(0));
        w.fullBox('hdlr', 0, 0, () => w.u32(0).fourCc(handler).zeros(12).u8(0));
        w.box('minf', () => w.box('stbl', () => w.fullBox('stsd', 0, 0, () => w.u32(1).box('hvc1', () => w.zeros(78)))));
      });
    }),
  );
  return w.finish();
}

describe('readInitSegment on hand-made boxes', () => {
  it('reads version-1 tkhd and mdhd, the language, and leaves out defaults without trex', () => {
    const [t] = readInitSegment(handInit('vide')).tracks;
    expect(t).toMatchObject({ trackId: 9, kind: 'video', timescale: 25, width: 1920, height: 1080, codec: 'hvc1', language: 'eng' });
    expect(t.defaults).toBeUndefined();
    expect(readInitSegment(handInit('vide', { language: 0 })).tracks[0].language).toBeUndefined();
  });

  it('throws typed errors', () => {
    expect(() => readInitSegment(handInit('text'))).toThrow(UnsupportedError);
    expect(() => readInitSegment(handInit('vide', { noMoov: true }))).toThrow(ProtocolError);
    const noTrak = new BoxWriter().box('moov', () => undefined).finish();
    expect(() => readInitSegment(noTrak)).toThrow(ProtocolError);
  });
});

describe.skipIf(!requireTool('ffmpeg'))('readInitSegment on the CMAF packager’s init segments', () => {
  let inits: Extract<CmafEvent, { type: 'init' }>[];

  beforeAll(async () => {
    inits = (await cmafEventsOfFixture()).filter((e): e is Extract<CmafEvent, { type: 'init' }> => e.type === 'init');
  });

  it('both tracks: what the packager put in', () => {
    expect(inits.map((e) => e.track.kind).sort()).toEqual(['audio', 'video']);
    for (const e of inits) {
      const [t] = readInitSegment(e.data).tracks;
      expect(t.trackId).toBe(e.track.id);
      expect(t.kind).toBe(e.track.kind);
      expect(t.timescale).toBe(e.track.timescale);
      expect(t.codec).toBe(e.track.config.codec);
      if (e.track.kind === 'video') expect([t.width, t.height]).toEqual([e.track.width, e.track.height]);
      expect(Buffer.compare(t.stsd, stsdOf(e.data).box)).toBe(0);
    }
  });

  it('every truncation raises only pipeline errors', () => {
    for (const e of inits) {
      for (let n = 0; n < e.data.length; n++) {
        try {
          readInitSegment(e.data.subarray(0, n));
        } catch (err) {
          if (!isPipelineError(err)) throw err;
        }
      }
    }
  });
});
