// A tiny ISOBMFF reader for the fMP4 tests (ISO/IEC 14496-12 §4.2): walks boxes, lists the box
// tree and decodes tfhd, tfdt and trun, independently of pipeline/fmp4.

export interface ParsedBox {
  readonly type: string;
  /** Offset of the box's first byte in the buffer given to readBoxes. */
  readonly offset: number;
  readonly size: number;
  /** The bytes after the 8-byte header. */
  readonly body: Uint8Array;
}

/** Bytes before the child boxes of containers that are not plain (FullBox counts, sample entries). */
const CHILD_OFFSET: Readonly<Record<string, number>> = {
  moov: 0, trak: 0, mdia: 0, minf: 0, dinf: 0, stbl: 0, mvex: 0, moof: 0, traf: 0,
  dref: 8, stsd: 8, avc1: 78, mp4a: 28,
};

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function fourCc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

/** The boxes laid end to end in `bytes`; throws when a size runs past the end. */
export function readBoxes(bytes: Uint8Array): ParsedBox[] {
  const out: ParsedBox[] = [];
  const v = view(bytes);
  for (let at = 0; at < bytes.length; ) {
    if (at + 8 > bytes.length) throw new Error(`truncated box header at ${at}`);
    const size = v.getUint32(at);
    if (size < 8 || at + size > bytes.length) throw new Error(`bad box size ${size} at ${at} of ${bytes.length}`);
    out.push({ type: fourCc(bytes, at + 4), offset: at, size, body: bytes.subarray(at + 8, at + size) });
    at += size;
  }
  return out;
}

export function children(box: ParsedBox): ParsedBox[] {
  const skip = CHILD_OFFSET[box.type];
  if (skip === undefined) throw new Error(`${box.type} is not a container this reader knows`);
  return readBoxes(box.body.subarray(skip));
}

/** The first box along a path such as ['moov', 'trak', 'mdia', 'mdhd']. */
export function findBox(bytes: Uint8Array, path: readonly string[]): ParsedBox {
  let level = readBoxes(bytes);
  let found: ParsedBox | undefined;
  for (const type of path) {
    found = level.find((b) => b.type === type);
    if (!found) throw new Error(`no ${type} box in ${path.join('/')}`);
    if (CHILD_OFFSET[type] !== undefined && type !== path[path.length - 1]) level = children(found);
  }
  return found!;
}

/** Every box as its path, depth first: 'moov', 'moov/mvhd', … */
export function boxTree(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const walk = (boxes: ParsedBox[], prefix: string) => {
    for (const b of boxes) {
      const path = prefix + b.type;
      out.push(path);
      if (CHILD_OFFSET[b.type] !== undefined) walk(children(b), `${path}/`);
    }
  };
  walk(readBoxes(bytes), '');
  return out;
}

export interface TrunEntry {
  readonly duration: number;
  readonly size: number;
  readonly flags: number;
  readonly compositionOffset: number;
}

export interface Trun {
  readonly version: number;
  readonly flags: number;
  readonly dataOffset: number;
  readonly entries: TrunEntry[];
}

/** trun (§8.8.8) with data offset and all four per-sample fields, as Onramp writes it. */
export function parseTrun(body: Uint8Array): Trun {
  const v = view(body);
  const version = body[0];
  const flags = v.getUint32(0) & 0xffffff;
  if (flags !== 0xf01) throw new Error(`unexpected trun flags 0x${flags.toString(16)}`);
  const count = v.getUint32(4);
  if (body.length !== 12 + 16 * count) throw new Error(`trun of ${body.length} bytes for ${count} samples`);
  const entries: TrunEntry[] = [];
  for (let i = 0, at = 12; i < count; i++, at += 16) {
    entries.push({
      duration: v.getUint32(at),
      size: v.getUint32(at + 4),
      flags: v.getUint32(at + 8),
      compositionOffset: version === 1 ? v.getInt32(at + 12) : v.getUint32(at + 12),
    });
  }
  return { version, flags, dataOffset: v.getInt32(8), entries };
}

/** tfdt (§8.8.12): version and baseMediaDecodeTime as a bigint. */
export function parseTfdt(body: Uint8Array): { version: number; baseMediaDecodeTime: bigint } {
  const v = view(body);
  return { version: body[0], baseMediaDecodeTime: body[0] === 1 ? v.getBigUint64(4) : BigInt(v.getUint32(4)) };
}

/** tfhd (§8.8.7): flags and track_ID (Onramp writes no optional fields). */
export function parseTfhd(body: Uint8Array): { flags: number; trackId: number; bytes: number } {
  const v = view(body);
  return { flags: v.getUint32(0) & 0xffffff, trackId: v.getUint32(4), bytes: body.length };
}

import { concat } from '../../helpers/bytes.js';
export { concat };
