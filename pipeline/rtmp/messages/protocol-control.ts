// Protocol control message bodies, types 1, 2, 3, 5 and 6 (RTMP 1.0 §5.4.1–§5.4.5).
import { ByteReader } from '../../core/byte-reader.js';
import { ProtocolError } from '../../core/errors.js';
import { MESSAGE_TYPE } from './message-types.js';

/** §5.4.1: the chunk size is 31 bits; the top bit of the field must be zero. */
export const MAX_SPEC_CHUNK_SIZE = 0x7fffffff;

/** §5.4.5: how the peer limits its output bandwidth. */
export const PEER_BANDWIDTH_LIMIT = {
  HARD: 0,
  SOFT: 1,
  /** Hard if the previous limit was hard, otherwise ignored. */
  DYNAMIC: 2,
} as const;

export type PeerBandwidthLimitType = (typeof PEER_BANDWIDTH_LIMIT)[keyof typeof PEER_BANDWIDTH_LIMIT];

export interface SetPeerBandwidth {
  /** Acknowledgement window size in bytes. */
  readonly windowSize: number;
  readonly limitType: PeerBandwidthLimitType;
}

/** Reads the body with a check that it holds at least `size` bytes (extra bytes are ignored). */
function bodyReader(payload: Uint8Array, size: number, typeId: number, what: string): ByteReader {
  if (payload.length < size) {
    throw new ProtocolError(`${what} body must be ${size} bytes, got ${payload.length}`, { typeId, length: payload.length });
  }
  return new ByteReader(payload, what);
}

function u32Body(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

/** §5.4.1 Set Chunk Size: 1..2^31−1; zero or the top bit set is a protocol error. */
export function decodeSetChunkSize(payload: Uint8Array): number {
  const size = bodyReader(payload, 4, MESSAGE_TYPE.SET_CHUNK_SIZE, 'Set Chunk Size').u32();
  if (size === 0 || size > MAX_SPEC_CHUNK_SIZE) {
    throw new ProtocolError(`Set Chunk Size ${size} is outside 1..2^31-1`, { typeId: MESSAGE_TYPE.SET_CHUNK_SIZE, chunkSize: size });
  }
  return size;
}

export function encodeSetChunkSize(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 1 || size > MAX_SPEC_CHUNK_SIZE) {
    throw new ProtocolError(`cannot send Set Chunk Size ${size}: outside 1..2^31-1`, { chunkSize: size });
  }
  return u32Body(size);
}

/** §5.4.2 Abort Message: the chunk stream id whose partial message is discarded. */
export function decodeAbort(payload: Uint8Array): number {
  return bodyReader(payload, 4, MESSAGE_TYPE.ABORT, 'Abort').u32();
}

export function encodeAbort(chunkStreamId: number): Uint8Array {
  return u32Body(chunkStreamId);
}

/** §5.4.3 Acknowledgement: the bytes received so far (mod 2^32). */
export function decodeAcknowledgement(payload: Uint8Array): number {
  return bodyReader(payload, 4, MESSAGE_TYPE.ACKNOWLEDGEMENT, 'Acknowledgement').u32();
}

export function encodeAcknowledgement(sequenceNumber: number): Uint8Array {
  return u32Body(sequenceNumber % 0x100000000);
}

/** §5.4.4 Window Acknowledgement Size: bytes the sender may receive between acknowledgements. */
export function decodeWindowAckSize(payload: Uint8Array): number {
  return bodyReader(payload, 4, MESSAGE_TYPE.WINDOW_ACK_SIZE, 'Window Acknowledgement Size').u32();
}

export function encodeWindowAckSize(windowSize: number): Uint8Array {
  return u32Body(windowSize);
}

/** §5.4.5 Set Peer Bandwidth: window size u32 then limit type u8. */
export function decodeSetPeerBandwidth(payload: Uint8Array): SetPeerBandwidth {
  const r = bodyReader(payload, 5, MESSAGE_TYPE.SET_PEER_BANDWIDTH, 'Set Peer Bandwidth');
  const windowSize = r.u32();
  const limitType = r.u8();
  if (limitType > PEER_BANDWIDTH_LIMIT.DYNAMIC) {
    throw new ProtocolError(`Set Peer Bandwidth limit type ${limitType} is not 0, 1 or 2`, {
      typeId: MESSAGE_TYPE.SET_PEER_BANDWIDTH,
      limitType,
    });
  }
  return { windowSize, limitType: limitType as PeerBandwidthLimitType };
}

export function encodeSetPeerBandwidth(windowSize: number, limitType: PeerBandwidthLimitType): Uint8Array {
  const out = new Uint8Array(5);
  new DataView(out.buffer).setUint32(0, windowSize >>> 0);
  out[4] = limitType;
  return out;
}
