// Reading an init segment back (ISO/IEC 14496-12 §8.2–§8.5, §8.8.3): per trak the track_ID,
// kind, timescale, geometry, language and the stsd box as-is; per trex the fragment defaults.
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import { boxBytes, childBoxes, dataViewOf, readBoxes, readFullBoxHeader, requireChild, type Box } from './box-reader.js';
import type { TrackDefaults } from './fragment-reader.js';

export interface InitTrack {
  readonly trackId: number;
  readonly kind: 'video' | 'audio';
  /** mdhd timescale: ticks per second of the track's media times. */
  readonly timescale: number;
  /** tkhd width and height, integer part of 16.16 (0 for audio). */
  readonly width: number;
  readonly height: number;
  /** ISO 639-2/T code from mdhd, when it holds three letters. */
  readonly language?: string;
  /** The FourCC of the first sample entry ('avc1', 'mp4a', …). */
  readonly codec: string;
  /** The whole stsd box, header included, as a view of the input. */
  readonly stsd: Uint8Array;
  /** trex defaults for this track's fragments, when mvex has a trex for it. */
  readonly defaults?: TrackDefaults;
}

export interface InitSegment {
  readonly tracks: InitTrack[];
}

/** hdlr handler_type (§8.4.3.3) → track kind. */
const HANDLER_KINDS: Readonly<Record<string, InitTrack['kind']>> = { vide: 'video', soun: 'audio' };
/** Bytes of stsd's FullBox header and entry_count before the sample entries (§8.5.2.2). */
const STSD_FIELDS_BYTES = 8;

export function readInitSegment(bytes: Uint8Array): InitSegment {
  const view = dataViewOf(bytes);
  // Only the moov matters: bytes after it (junk, a cut-off box) are not read.
  const top = readBoxes(bytes, {}, { allowIncompleteTail: true });
  const moov = top.boxes.find((b) => b.type === 'moov');
  if (!moov) throw top.tail?.error ?? new ProtocolError('init segment has no moov');
  const moovKids = childBoxes(bytes, moov);
  const defaults = new Map<number, TrackDefaults>();
  const mvex = moovKids.find((b) => b.type === 'mvex');
  if (mvex) {
    for (const trex of childBoxes(bytes, mvex).filter((b) => b.type === 'trex')) {
      // trex (§8.8.3.2): track_ID, then the default description index, duration, size, flags.
      const at = fields(trex, 24);
      defaults.set(view.getUint32(at + 4), {
        sampleDescriptionIndex: view.getUint32(at + 8),
        sampleDuration: view.getUint32(at + 12),
        sampleSize: view.getUint32(at + 16),
        sampleFlags: view.getUint32(at + 20),
      });
    }
  }
  const traks = moovKids.filter((b) => b.type === 'trak');
  if (traks.length === 0) throw new ProtocolError('moov has no trak');
  const tracks = traks.map((trak) => readTrak(bytes, view, trak, defaults));
  if (new Set(tracks.map((t) => t.trackId)).size !== tracks.length) throw new ProtocolError('two traks with the same track_ID');
  return { tracks };
}

/** The trex defaults of every track, keyed by track_ID, for readFragments. */
export function trackDefaultsOf(init: InitSegment): Map<number, TrackDefaults> {
  const out = new Map<number, TrackDefaults>();
  for (const t of init.tracks) if (t.defaults) out.set(t.trackId, t.defaults);
  return out;
}

function readTrak(bytes: Uint8Array, view: DataView, trak: Box, defaults: ReadonlyMap<number, TrackDefaults>): InitTrack {
  const kids = childBoxes(bytes, trak);
  const tkhd = requireChild(kids, 'tkhd', 'trak');
  const mdia = childBoxes(bytes, requireChild(kids, 'mdia', 'trak'));
  const mdhd = requireChild(mdia, 'mdhd', 'mdia');
  const hdlr = requireChild(mdia, 'hdlr', 'mdia');
  const stbl = childBoxes(bytes, requireChild(childBoxes(bytes, requireChild(mdia, 'minf', 'mdia')), 'stbl', 'minf'));
  const stsd = requireChild(stbl, 'stsd', 'stbl');

  // tkhd (§8.3.2): version 1 widens creation/modification time and duration to 64 bits; after
  // them come reserved, layer, alternate_group, volume, reserved, matrix (52 bytes), width, height.
  const tkhdV1 = readFullBoxHeader(bytes, tkhd).version === 1;
  const tkhdAt = fields(tkhd, tkhdV1 ? 96 : 84);
  const trackId = view.getUint32(tkhdAt + (tkhdV1 ? 20 : 12));
  const sizeAt = tkhdAt + (tkhdV1 ? 88 : 76);
  // mdhd (§8.4.2): timescale after the creation and modification times, language after duration.
  const mdhdV1 = readFullBoxHeader(bytes, mdhd).version === 1;
  const mdhdAt = fields(mdhd, mdhdV1 ? 34 : 22);
  const timescale = view.getUint32(mdhdAt + (mdhdV1 ? 20 : 12));
  if (timescale === 0) throw new ProtocolError('mdhd timescale is 0', { trackId });
  const language = decodeLanguage(view.getUint16(mdhdAt + (mdhdV1 ? 32 : 20)));
  // hdlr (§8.4.3): pre_defined, then handler_type.
  const handler = fourCcAt(bytes, fields(hdlr, 12) + 8);
  const kind = HANDLER_KINDS[handler];
  if (!kind) throw new UnsupportedError(`track ${trackId} has handler '${handler}'; only video and audio tracks are read`, { trackId, handler });
  const entries = childBoxes(bytes, stsd, STSD_FIELDS_BYTES);
  if (entries.length === 0) throw new ProtocolError('stsd has no sample entry', { trackId });
  const video = kind === 'video';
  const track: InitTrack = {
    trackId,
    kind,
    timescale,
    width: video ? view.getUint32(sizeAt) >>> 16 : 0,
    height: video ? view.getUint32(sizeAt + 4) >>> 16 : 0,
    codec: entries[0].type,
    stsd: boxBytes(bytes, stsd),
  };
  const trex = defaults.get(trackId);
  return { ...track, ...(language !== undefined && { language }), ...(trex && { defaults: trex }) };
}

/** The payload start of a box whose payload must hold at least `payloadBytes` of fields. */
function fields(box: Box, payloadBytes: number): number {
  if (box.payloadStart + payloadBytes > box.end) throw new ProtocolError(`'${box.type}' is too short for its fields`, { offset: box.start });
  return box.payloadStart;
}

/** mdhd language: three 5-bit letters, each + 0x60 (§8.4.2.3). */
function decodeLanguage(packed: number): string | undefined {
  const codes = [(packed >> 10) & 0x1f, (packed >> 5) & 0x1f, packed & 0x1f].map((c) => c + 0x60);
  if (codes.some((c) => c < 0x61 || c > 0x7a)) return undefined;
  return String.fromCharCode(...codes);
}

function fourCcAt(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}
