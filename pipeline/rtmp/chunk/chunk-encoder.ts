// Splits outgoing RTMP messages into chunks with compressed headers (RTMP 1.0 §5.3).
import { LimitError, ProtocolError } from '../../core/errors.js';
import { MAX_SPEC_CHUNK_SIZE } from '../messages/protocol-control.js';
import {
  basicHeaderSize,
  CHUNK_TYPE,
  DEFAULT_CHUNK_SIZE,
  EXTENDED_TIMESTAMP_MARKER,
  EXTENDED_TIMESTAMP_SIZE,
  isValidChunkStreamId,
  MESSAGE_HEADER_SIZE,
  writeBasicHeader,
  type ChunkType,
} from './chunk-header.js';
import { TIMESTAMP_MODULUS } from './timestamp-unwrapper.js';

/** §5.3.1.2.1: the message length field is 24 bits. */
export const MAX_ENCODED_MESSAGE_LENGTH = 0xffffff;

export interface ChunkEncoderOptions {
  /** Our chunk size; default 128 (§5.4.1). */
  readonly chunkSize?: number;
}

export interface OutgoingMessage {
  readonly chunkStreamId: number;
  readonly typeId: number;
  readonly streamId: number;
  /** Milliseconds, unwrapped (may exceed 2^32; written modulo 2^32). */
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

/** The last message sent on a chunk stream, which the next header is compressed against. */
interface EncoderStreamState {
  timestamp: number;
  streamId: number;
  typeId: number;
  messageLength: number;
  /** The timestamp field of the last header: absolute after type 0, else a delta. */
  timestampField: number;
  /** Whether that field was a delta (type 1, 2, or a type 3 repeating one). */
  fieldIsDelta: boolean;
}

export class ChunkEncoder {
  private size: number;
  private readonly streams = new Map<number, EncoderStreamState>();

  constructor(opts: ChunkEncoderOptions = {}) {
    this.size = validChunkSize(opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  }

  get chunkSize(): number {
    return this.size;
  }

  /** Switches to a new chunk size; send Set Chunk Size (encodeSetChunkSize) before this. */
  setChunkSize(n: number): void {
    this.size = validChunkSize(n);
  }

  /** Header bytes interleaved with slices of the payload; the payload is never copied. */
  encode(msg: OutgoingMessage): Uint8Array[] {
    const { chunkStreamId, payload } = msg;
    checkMessage(msg);
    const prev = this.streams.get(chunkStreamId);
    const { fmt, field } = chooseHeader(msg, prev);
    const extended = field >= EXTENDED_TIMESTAMP_MARKER;
    const basicSize = basicHeaderSize(chunkStreamId);
    const extSize = extended ? EXTENDED_TIMESTAMP_SIZE : 0;
    const firstSize = basicSize + MESSAGE_HEADER_SIZE[fmt] + extSize;
    const continuationSize = basicSize + extSize;
    const chunkCount = Math.max(1, Math.ceil(payload.length / this.size));
    const headers = new Uint8Array(firstSize + (chunkCount - 1) * continuationSize);

    let at = writeBasicHeader(headers, 0, fmt, chunkStreamId);
    if (fmt !== CHUNK_TYPE.TYPE_3) {
      at = writeU24(headers, at, extended ? EXTENDED_TIMESTAMP_MARKER : field);
      if (fmt !== CHUNK_TYPE.TYPE_2) {
        at = writeU24(headers, at, payload.length);
        headers[at++] = msg.typeId;
      }
      if (fmt === CHUNK_TYPE.TYPE_0) {
        new DataView(headers.buffer).setUint32(at, msg.streamId, true); // §5.3.1.2.1: little-endian
        at += 4;
      }
    }
    if (extended) at = writeU32(headers, at, field);

    const out: Uint8Array[] = [headers.subarray(0, at)];
    for (let offset = 0; offset < payload.length; offset += this.size) {
      if (offset > 0) {
        // §5.3.1.3: continuation chunks repeat the extended timestamp of their message.
        const start = at;
        at = writeBasicHeader(headers, at, CHUNK_TYPE.TYPE_3, chunkStreamId);
        if (extended) at = writeU32(headers, at, field);
        out.push(headers.subarray(start, at));
      }
      out.push(payload.subarray(offset, Math.min(offset + this.size, payload.length)));
    }

    this.streams.set(chunkStreamId, {
      timestamp: msg.timestamp,
      streamId: msg.streamId,
      typeId: msg.typeId,
      messageLength: payload.length,
      timestampField: field,
      fieldIsDelta: fmt !== CHUNK_TYPE.TYPE_0,
    });
    return out;
  }
}

/**
 * §5.3.1.2: type 0 for the first message on a chunk stream, a new message stream id or a
 * timestamp going backwards; type 1 when length or type id change; type 2 when only the delta
 * changes; type 3 when the previous header already carried this same delta. Never type 3 after
 * a type 0: readers disagree whether it repeats the absolute value as a delta.
 */
function chooseHeader(msg: OutgoingMessage, prev: EncoderStreamState | undefined): { fmt: ChunkType; field: number } {
  const delta = prev === undefined ? -1 : msg.timestamp - prev.timestamp;
  if (prev === undefined || msg.streamId !== prev.streamId || delta < 0 || delta >= TIMESTAMP_MODULUS) {
    return { fmt: CHUNK_TYPE.TYPE_0, field: msg.timestamp % TIMESTAMP_MODULUS };
  }
  if (msg.payload.length !== prev.messageLength || msg.typeId !== prev.typeId) return { fmt: CHUNK_TYPE.TYPE_1, field: delta };
  if (prev.fieldIsDelta && delta === prev.timestampField) return { fmt: CHUNK_TYPE.TYPE_3, field: delta };
  return { fmt: CHUNK_TYPE.TYPE_2, field: delta };
}

function checkMessage(msg: OutgoingMessage): void {
  const { chunkStreamId, typeId, streamId, timestamp, payload } = msg;
  const context = { csid: chunkStreamId, typeId, length: payload.length };
  if (!isValidChunkStreamId(chunkStreamId)) throw new ProtocolError(`chunk stream id ${chunkStreamId} is outside 2..65599`, context);
  if (!Number.isInteger(typeId) || typeId < 0 || typeId > 0xff) throw new ProtocolError(`message type id ${typeId} is not a byte`, context);
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > 0xffffffff) {
    throw new ProtocolError(`message stream id ${streamId} is not a u32`, { ...context, streamId });
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ProtocolError(`timestamp ${timestamp} is not a non-negative integer`, { ...context, timestamp });
  }
  if (payload.length > MAX_ENCODED_MESSAGE_LENGTH) {
    throw new LimitError(`message of ${payload.length} bytes does not fit the 24-bit length field`, context);
  }
}

function validChunkSize(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SPEC_CHUNK_SIZE) {
    throw new ProtocolError(`chunk size ${n} is outside 1..2^31-1`, { chunkSize: n });
  }
  return n;
}

function writeU24(out: Uint8Array, at: number, v: number): number {
  out[at] = (v >>> 16) & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = v & 0xff;
  return at + 3;
}

function writeU32(out: Uint8Array, at: number, v: number): number {
  out[at] = (v >>> 24) & 0xff;
  return writeU24(out, at + 1, v);
}
