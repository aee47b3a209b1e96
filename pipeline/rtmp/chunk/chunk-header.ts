// Chunk basic header and message header formats (RTMP 1.0 §5.3.1.1, §5.3.1.2).
import type { ByteQueue } from '../../core/byte-queue.js';

/** §5.3.1.2: the `fmt` field, the two top bits of the basic header. */
export const CHUNK_TYPE = {
  /** 11 bytes: absolute timestamp, length, type id, stream id (§5.3.1.2.1). */
  TYPE_0: 0,
  /** 7 bytes: timestamp delta, length, type id; same stream id (§5.3.1.2.2). */
  TYPE_1: 1,
  /** 3 bytes: timestamp delta only (§5.3.1.2.3). */
  TYPE_2: 2,
  /** No message header: continuation, or a new message repeating the last header (§5.3.1.2.4). */
  TYPE_3: 3,
} as const;

export type ChunkType = (typeof CHUNK_TYPE)[keyof typeof CHUNK_TYPE];

/** Message header size in bytes per chunk type, indexed by fmt. */
export const MESSAGE_HEADER_SIZE: readonly number[] = [11, 7, 3, 0];

/** §5.3.1.3: a 24-bit timestamp field of this value means a 4-byte extended timestamp follows. */
export const EXTENDED_TIMESTAMP_MARKER = 0xffffff;
export const EXTENDED_TIMESTAMP_SIZE = 4;

/** §5.4.1: the chunk size both sides start with. */
export const DEFAULT_CHUNK_SIZE = 128;

/** §5.3.1.1: ids 0 and 1 select the 2- and 3-byte forms; 2 is the lowest real id. */
export const MIN_CHUNK_STREAM_ID = 2;
/** 63 is the largest id the 1-byte form carries. */
export const MAX_ONE_BYTE_CHUNK_STREAM_ID = 63;
/** 64 + 255: the largest id the 2-byte form carries. */
export const MAX_TWO_BYTE_CHUNK_STREAM_ID = 319;
/** 64 + 255 + 255 * 256: the largest id the 3-byte form carries. */
export const MAX_CHUNK_STREAM_ID = 65599;

/** A basic header read from the front of a queue. */
export interface BasicHeader {
  readonly fmt: ChunkType;
  readonly chunkStreamId: number;
  /** 1, 2 or 3 bytes. */
  readonly size: number;
}

/** Peeks the basic header at the front of `queue` without consuming; undefined if incomplete. */
export function peekBasicHeader(queue: ByteQueue): BasicHeader | undefined {
  if (queue.length < 1) return undefined;
  const first = queue.byteAt(0);
  const fmt = (first >>> 6) as ChunkType;
  const low = first & 0x3f;
  if (low >= MIN_CHUNK_STREAM_ID) return { fmt, chunkStreamId: low, size: 1 };
  if (low === 0) {
    // 2-byte form: id = second byte + 64
    if (queue.length < 2) return undefined;
    return { fmt, chunkStreamId: 64 + queue.byteAt(1), size: 2 };
  }
  // 3-byte form: id = third byte * 256 + second byte + 64
  if (queue.length < 3) return undefined;
  return { fmt, chunkStreamId: 64 + queue.byteAt(1) + queue.byteAt(2) * 256, size: 3 };
}

/** Bytes the basic header of `chunkStreamId` takes: the shortest form that fits. */
export function basicHeaderSize(chunkStreamId: number): number {
  if (chunkStreamId <= MAX_ONE_BYTE_CHUNK_STREAM_ID) return 1;
  return chunkStreamId <= MAX_TWO_BYTE_CHUNK_STREAM_ID ? 2 : 3;
}

/** Writes the basic header into `out` at `at`; returns the offset after it. */
export function writeBasicHeader(out: Uint8Array, at: number, fmt: ChunkType, chunkStreamId: number): number {
  if (chunkStreamId <= MAX_ONE_BYTE_CHUNK_STREAM_ID) {
    out[at] = (fmt << 6) | chunkStreamId;
    return at + 1;
  }
  const rest = chunkStreamId - 64;
  if (chunkStreamId <= MAX_TWO_BYTE_CHUNK_STREAM_ID) {
    out[at] = fmt << 6;
    out[at + 1] = rest;
    return at + 2;
  }
  out[at] = (fmt << 6) | 1;
  out[at + 1] = rest & 0xff;
  out[at + 2] = rest >>> 8;
  return at + 3;
}

export function isValidChunkStreamId(chunkStreamId: number): boolean {
  return Number.isInteger(chunkStreamId) && chunkStreamId >= MIN_CHUNK_STREAM_ID && chunkStreamId <= MAX_CHUNK_STREAM_ID;
}
