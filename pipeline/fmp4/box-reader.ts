// Reading ISOBMFF boxes (ISO/IEC 14496-12 §4.2): size, 64-bit largesize, size 0 ("to the end"),
// FourCC type and the 'uuid' user type. Boxes are offsets into the caller's bytes, never copies.
import { isPipelineError, LimitError, ProtocolError, TruncatedError, type PipelineError } from '../core/errors.js';

/** size + type: the compact header (§4.2). */
const COMPACT_HEADER_BYTES = 8;
/** size = 1: a 64-bit largesize follows the type. */
const LARGESIZE_HEADER_BYTES = 16;
/** type 'uuid' adds a 16-byte usertype after the (large)size. */
const USER_TYPE_BYTES = 16;
const TWO_POW_32 = 2 ** 32;

export interface Box {
  /** FourCC, e.g. 'moof'. */
  readonly type: string;
  /** Offset of the box's first byte in the bytes that were read. */
  readonly start: number;
  /** Offset just past the box's last byte. */
  readonly end: number;
  /** Bytes of the header: 8, 16 with a largesize, 16 more for a 'uuid' box. */
  readonly headerBytes: number;
  /** Offset of the first payload byte (start + headerBytes). */
  readonly payloadStart: number;
  /** The header said size 0: the box runs to the end of the enclosing range (§4.2). */
  readonly toEnd: boolean;
}

/** Where reading stopped when the last box is incomplete or its header is not a box header. */
export interface BoxTail {
  readonly offset: number;
  /** 'truncated': the range ends inside the box; 'malformed': the header makes no sense. */
  readonly reason: 'truncated' | 'malformed';
  readonly error: PipelineError;
}

export interface BoxScan {
  readonly boxes: Box[];
  /** Only with `allowIncompleteTail`: the bytes from here to the end are not whole boxes. */
  readonly tail?: BoxTail;
}

export interface BoxRange {
  readonly start?: number;
  readonly end?: number;
}

/** The header of the box at `at`, which must end by `end`; throws Truncated/Protocol/LimitError. */
export function readBoxHeader(bytes: Uint8Array, at: number, end = bytes.length): Box {
  if (at + COMPACT_HEADER_BYTES > end) throw new TruncatedError('box header runs past the end', { offset: at, available: end - at });
  const view = dataViewOf(bytes);
  const size32 = view.getUint32(at);
  const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
  let headerBytes = COMPACT_HEADER_BYTES;
  let size: number;
  if (size32 === 1) {
    if (at + LARGESIZE_HEADER_BYTES > end) throw new TruncatedError(`'${type}' largesize runs past the end`, { offset: at, type });
    const hi = view.getUint32(at + 8);
    size = hi * TWO_POW_32 + view.getUint32(at + 12);
    if (!Number.isSafeInteger(size)) throw new LimitError(`'${type}' box largesize exceeds 2^53`, { offset: at, type });
    headerBytes = LARGESIZE_HEADER_BYTES;
  } else {
    size = size32 === 0 ? end - at : size32;
  }
  if (type === 'uuid') headerBytes += USER_TYPE_BYTES;
  if (size < headerBytes) throw new ProtocolError(`'${printable(type)}' box size ${size} is smaller than its header`, { offset: at, size, headerBytes });
  if (at + size > end) throw new TruncatedError(`'${printable(type)}' box of ${size} bytes runs past the end`, { offset: at, size, available: end - at });
  return { type, start: at, end: at + size, headerBytes, payloadStart: at + headerBytes, toEnd: size32 === 0 };
}

/**
 * The boxes laid end to end in `range` of `bytes`. Without `allowIncompleteTail` any malformed
 * or truncated box throws; with it, reading stops there and the rest is reported as the tail
 * (a file whose writer was killed mid-box).
 */
export function readBoxes(bytes: Uint8Array, range: BoxRange = {}, opts: { readonly allowIncompleteTail?: boolean } = {}): BoxScan {
  const end = range.end ?? bytes.length;
  const boxes: Box[] = [];
  for (let at = range.start ?? 0; at < end; ) {
    let box: Box;
    try {
      box = readBoxHeader(bytes, at, end);
    } catch (err) {
      if (!opts.allowIncompleteTail || !isPipelineError(err)) throw err;
      return { boxes, tail: { offset: at, reason: err instanceof TruncatedError ? 'truncated' : 'malformed', error: err } };
    }
    boxes.push(box);
    at = box.end;
  }
  return { boxes };
}

/** The child boxes of a container; `skip` bytes of fields come first (a FullBox's 4, stsd's 8). */
export function childBoxes(bytes: Uint8Array, parent: Box, skip = 0): Box[] {
  if (parent.payloadStart + skip > parent.end) throw new ProtocolError(`'${parent.type}' is too short for its fields`, { offset: parent.start });
  return readBoxes(bytes, { start: parent.payloadStart + skip, end: parent.end }).boxes;
}

export function findChild(boxes: readonly Box[], type: string): Box | undefined {
  return boxes.find((b) => b.type === type);
}

/** A child that the spec requires: a ProtocolError naming the parent when it is missing. */
export function requireChild(boxes: readonly Box[], type: string, parentType: string): Box {
  const box = findChild(boxes, type);
  if (!box) throw new ProtocolError(`'${parentType}' has no '${type}' box`, { parent: parentType, type });
  return box;
}

/** The payload as a view (no copy). */
export function boxPayload(bytes: Uint8Array, box: Box): Uint8Array {
  return bytes.subarray(box.payloadStart, box.end);
}

/** The whole box, header included, as a view (no copy). */
export function boxBytes(bytes: Uint8Array, box: Box): Uint8Array {
  return bytes.subarray(box.start, box.end);
}

/** FullBox version and flags (§4.2). */
export function readFullBoxHeader(bytes: Uint8Array, box: Box): { version: number; flags: number } {
  if (box.payloadStart + 4 > box.end) throw new ProtocolError(`'${box.type}' is too short for a FullBox header`, { offset: box.start });
  const at = box.payloadStart;
  return { version: bytes[at], flags: (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3] };
}

/** An unsigned 64-bit field as a JS number; a LimitError beyond 2^53 − 1 (times, offsets). */
export function readU64Number(view: DataView, at: number, what: string): number {
  const v = view.getUint32(at) * TWO_POW_32 + view.getUint32(at + 4);
  if (!Number.isSafeInteger(v)) throw new LimitError(`${what} exceeds 2^53 − 1`, { offset: at });
  return v;
}

/** A DataView over the same memory as `bytes`. */
export function dataViewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A FourCC for messages: non-printable bytes as '?'. */
function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, '?');
}
