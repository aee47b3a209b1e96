// Reassembles RTMP messages from chunks (RTMP 1.0 §5.3), applying Set Chunk Size and Abort (§5.4.1, §5.4.2).
import { ByteQueue } from '../../core/byte-queue.js';
import { copyViews } from '../../core/byte-views.js';
import { LimitError, ProtocolError } from '../../core/errors.js';
import { MAX_CHUNK_SIZE, MAX_CHUNK_STREAMS, MAX_MESSAGE_SIZE } from '../../core/limits.js';
import { MESSAGE_TYPE, type RawMessage } from '../messages/message-types.js';
import { decodeAbort, decodeSetChunkSize } from '../messages/protocol-control.js';
import {
  CHUNK_TYPE,
  DEFAULT_CHUNK_SIZE,
  EXTENDED_TIMESTAMP_MARKER,
  EXTENDED_TIMESTAMP_SIZE,
  MESSAGE_HEADER_SIZE,
  peekBasicHeader,
  type ChunkType,
} from './chunk-header.js';
import { addTimestampDelta, TimestampUnwrapper } from './timestamp-unwrapper.js';

export interface ChunkDecoderOptions {
  /** Largest message length accepted (LimitError above); default MAX_MESSAGE_SIZE. */
  readonly maxMessageSize?: number;
  /** Largest chunk size the peer may set (LimitError above); default MAX_CHUNK_SIZE. */
  readonly maxChunkSize?: number;
  /** Chunk streams with a partial message at once (LimitError above); default MAX_CHUNK_STREAMS. */
  readonly maxChunkStreams?: number;
  /**
   * The decoder may rewrite the bytes pushed to it: a message whose chunks lie in one pushed
   * buffer with nothing but their chunk headers between them is joined where it lies, by moving
   * each chunk's payload over the header before it, instead of being copied into a new buffer.
   * Only bytes of that message and of its chunk headers are rewritten. Default false: set it
   * only for buffers nobody else reads (each socket read is a fresh buffer).
   */
  readonly joinChunksInPlace?: boolean;
}

/** What the decoder remembers per chunk stream: headers are compressed against it (§5.3.1.2). */
interface ChunkStreamState {
  readonly chunkStreamId: number;
  /** The last type 0/1/2 header's timestamp field, extended value resolved: absolute for
   *  type 0, a delta for types 1 and 2. A type 3 chunk starting a message adds it again. */
  timestampField: number;
  /** Whether that header used the extended timestamp, so type 3 chunks carry it too (§5.3.1.3). */
  extended: boolean;
  /** The current message's timestamp as on the wire (mod 2^32). */
  wireTimestamp: number;
  messageLength: number;
  typeId: number;
  streamId: number;
  readonly unwrapper: TimestampUnwrapper;
  /** The chunk payloads of a message spread over several chunks, joined when it completes;
   *  undefined between messages. Memory grows with bytes received, never with the announced
   *  length, so a peer cannot reserve MAX_MESSAGE_SIZE per chunk stream with a few bytes. */
  parts: Uint8Array[] | undefined;
  /** Bytes of the current message received so far. */
  received: number;
  /** The parts so far lie in one buffer with only their chunk headers between them. */
  joinable: boolean;
  /** The unwrapped timestamp of the current message. */
  timestamp: number;
}

/**
 * Turns received bytes into RawMessages. Bytes may be split anywhere: a chunk is consumed
 * only once it is complete in the queue, and all state changes happen then, so the output
 * does not depend on the split. Payloads are views into the pushed buffers when a message
 * lies within one of them, so callers must not reuse buffers they push. After a thrown
 * error the decoder's state is undefined: close the connection.
 */
export class ChunkDecoder {
  private readonly queue = new ByteQueue();
  private readonly streams = new Map<number, ChunkStreamState>();
  private readonly maxMessageSize: number;
  private readonly maxChunkSize: number;
  private readonly maxChunkStreams: number;
  private readonly joinChunksInPlace: boolean;
  private inFlight = 0;
  private peerChunkSize = DEFAULT_CHUNK_SIZE;
  private consumed = 0;

  constructor(opts: ChunkDecoderOptions = {}) {
    this.maxMessageSize = opts.maxMessageSize ?? MAX_MESSAGE_SIZE;
    this.maxChunkSize = opts.maxChunkSize ?? MAX_CHUNK_SIZE;
    this.maxChunkStreams = opts.maxChunkStreams ?? MAX_CHUNK_STREAMS;
    this.joinChunksInPlace = opts.joinChunksInPlace ?? false;
  }

  /** The peer's current chunk size (§5.4.1). */
  get chunkSize(): number {
    return this.peerChunkSize;
  }

  /** Bytes of complete chunks consumed so far, for acknowledgements (§5.4.3). */
  get bytesReceived(): number {
    return this.consumed;
  }

  push(bytes: Uint8Array): RawMessage[] {
    this.queue.push(bytes);
    const out: RawMessage[] = [];
    while (this.readChunk(out));
    return out;
  }

  /** Consumes one complete chunk from the queue; false when it is not all there yet. */
  private readChunk(out: RawMessage[]): boolean {
    const q = this.queue;
    const basic = peekBasicHeader(q);
    if (basic === undefined) return false;
    const { fmt, chunkStreamId } = basic;
    const state = this.streams.get(chunkStreamId);
    checkFormat(fmt, chunkStreamId, state);
    let pos = basic.size;
    if (q.length < pos + MESSAGE_HEADER_SIZE[fmt]) return false;
    const continuing = state?.parts !== undefined;

    // §5.3.1.2: fields a header omits repeat those of the previous header on this chunk stream.
    let timestampField = state?.timestampField ?? 0;
    let extended = state?.extended ?? false;
    let messageLength = state?.messageLength ?? 0;
    let typeId = state?.typeId ?? 0;
    let streamId = state?.streamId ?? 0;
    if (fmt !== CHUNK_TYPE.TYPE_3) {
      timestampField = q.uintAt(pos, 3);
      if (fmt !== CHUNK_TYPE.TYPE_2) {
        messageLength = q.uintAt(pos + 3, 3);
        typeId = q.byteAt(pos + 6);
      }
      if (fmt === CHUNK_TYPE.TYPE_0) streamId = q.u32leAt(pos + 7); // §5.3.1.2.1: little-endian
      pos += MESSAGE_HEADER_SIZE[fmt];
      extended = timestampField === EXTENDED_TIMESTAMP_MARKER;
      if (extended) {
        if (q.length < pos + EXTENDED_TIMESTAMP_SIZE) return false;
        timestampField = q.uintAt(pos, 4);
        pos += EXTENDED_TIMESTAMP_SIZE;
      }
    } else if (extended) {
      // §5.3.1.3: type 3 chunks after a header with an extended timestamp repeat its 4 bytes.
      if (q.length < pos + EXTENDED_TIMESTAMP_SIZE) return false;
      const value = q.uintAt(pos, 4);
      if (!continuing) {
        timestampField = value; // a new message: these bytes are its timestamp field
        pos += EXTENDED_TIMESTAMP_SIZE;
      } else if (value === state.timestampField || value === state.wireTimestamp) {
        pos += EXTENDED_TIMESTAMP_SIZE;
      } // else, like SRS: the peer omitted them on a continuation chunk; they are payload
    }

    if (!continuing && messageLength > this.maxMessageSize) {
      throw new LimitError(`message of ${messageLength} bytes exceeds the ${this.maxMessageSize}-byte limit`, {
        csid: chunkStreamId,
        typeId,
        length: messageLength,
      });
    }
    const remaining = continuing ? messageLength - state.received : messageLength;
    const payloadSize = Math.min(this.peerChunkSize, remaining);
    if (!continuing && payloadSize < messageLength && this.inFlight >= this.maxChunkStreams) {
      throw new LimitError(`more than ${this.maxChunkStreams} chunk streams with partial messages`, {
        csid: chunkStreamId,
        limit: this.maxChunkStreams,
      });
    }
    if (q.length < pos + payloadSize) return false;

    // The whole chunk is here: commit.
    q.skip(pos);
    this.consumed += pos + payloadSize;
    if (continuing) {
      this.continueMessage(state, pos, payloadSize, out);
      return true;
    }
    const s = state ?? this.createState(chunkStreamId);
    if (fmt !== CHUNK_TYPE.TYPE_3) s.extended = extended;
    s.timestampField = timestampField;
    s.messageLength = messageLength;
    s.typeId = typeId;
    s.streamId = streamId;
    // Type 0 carries the absolute timestamp; types 1 and 2 a delta; a type 3 chunk starting a
    // message adds the stored field again, whatever header set it (as ffmpeg and SRS do, so
    // after a type 0 it adds the absolute value). Deltas are added modulo 2^32.
    s.wireTimestamp = fmt === CHUNK_TYPE.TYPE_0 ? timestampField : addTimestampDelta(s.wireTimestamp, timestampField);
    s.timestamp = s.unwrapper.unwrap(s.wireTimestamp);
    if (payloadSize === messageLength) {
      this.emit(s, q.take(messageLength), out); // zero-copy when within one pushed view
    } else {
      s.parts = [q.take(payloadSize)];
      s.received = payloadSize;
      s.joinable = this.joinChunksInPlace;
      this.inFlight++;
    }
    return true;
  }

  /** Adds a continuation chunk's payload; `headerBytes` were consumed just before it. */
  private continueMessage(s: ChunkStreamState, headerBytes: number, payloadSize: number, out: RawMessage[]): void {
    const parts = s.parts as Uint8Array[];
    const part = this.queue.take(payloadSize);
    if (s.joinable) {
      // Only this chunk's header between the last part and this one: nothing of another chunk
      // stream's messages (which may be views that callers keep) lies in what the join rewrites.
      const last = parts[parts.length - 1];
      s.joinable = part.buffer === last.buffer && part.byteOffset === last.byteOffset + last.length + headerBytes;
    }
    parts.push(part);
    s.received += payloadSize;
    if (s.received < s.messageLength) return;
    s.parts = undefined;
    this.inFlight--;
    this.emit(s, s.joinable ? joinInPlace(parts, s.messageLength) : copyViews(new Uint8Array(s.messageLength), parts), out);
  }

  private emit(s: ChunkStreamState, payload: Uint8Array, out: RawMessage[]): void {
    const { chunkStreamId, typeId, streamId, timestamp } = s;
    out.push({ chunkStreamId, typeId, streamId, timestamp, payload });
    // §5.4.1, §5.4.2: these take effect at once, for the very next chunk (on any chunk stream
    // or message stream, as ffmpeg does), and are still returned to the caller.
    if (typeId === MESSAGE_TYPE.SET_CHUNK_SIZE) this.setPeerChunkSize(decodeSetChunkSize(payload), chunkStreamId);
    else if (typeId === MESSAGE_TYPE.ABORT) this.abort(decodeAbort(payload));
  }

  private setPeerChunkSize(size: number, chunkStreamId: number): void {
    if (size > this.maxChunkSize) {
      throw new LimitError(`peer chunk size ${size} exceeds the ${this.maxChunkSize}-byte limit`, {
        csid: chunkStreamId,
        chunkSize: size,
      });
    }
    this.peerChunkSize = size;
  }

  private abort(chunkStreamId: number): void {
    const s = this.streams.get(chunkStreamId);
    if (s?.parts === undefined) return;
    s.parts = undefined;
    s.received = 0;
    this.inFlight--;
  }

  private createState(chunkStreamId: number): ChunkStreamState {
    const s: ChunkStreamState = {
      chunkStreamId,
      timestampField: 0,
      extended: false,
      wireTimestamp: 0,
      messageLength: 0,
      typeId: 0,
      streamId: 0,
      unwrapper: new TimestampUnwrapper(),
      parts: undefined,
      received: 0,
      joinable: false,
      timestamp: 0,
    };
    this.streams.set(chunkStreamId, s);
    return s;
  }
}

/** §5.3.1.2: which chunk types may appear given the chunk stream's state. */
function checkFormat(fmt: ChunkType, chunkStreamId: number, state: ChunkStreamState | undefined): void {
  if (state === undefined) {
    // A chunk stream starts with type 0. Type 1 is tolerated, as SRS does: librtmp sends its
    // first control message on chunk stream 2 with a type 1 header (stream id 0, delta from 0).
    if (fmt === CHUNK_TYPE.TYPE_2 || fmt === CHUNK_TYPE.TYPE_3) {
      throw new ProtocolError(`type ${fmt} chunk on chunk stream ${chunkStreamId} before any full header`, {
        csid: chunkStreamId,
        fmt,
      });
    }
  } else if (state.parts !== undefined && fmt !== CHUNK_TYPE.TYPE_3) {
    throw new ProtocolError(`type ${fmt} header on chunk stream ${chunkStreamId} while a message is incomplete`, {
      csid: chunkStreamId,
      fmt,
      received: state.received,
      length: state.messageLength,
    });
  }
}

/** Moves each part down over the chunk header before it (a memmove, no allocation): the message
 *  then starts where its first part does. The parts lie in one buffer, in order. */
function joinInPlace(parts: readonly Uint8Array[], length: number): Uint8Array {
  const first = parts[0];
  const lastPart = parts[parts.length - 1];
  const region = new Uint8Array(first.buffer, first.byteOffset, lastPart.byteOffset + lastPart.length - first.byteOffset);
  let at = first.length;
  for (let i = 1; i < parts.length; i++) {
    const from = parts[i].byteOffset - first.byteOffset;
    region.copyWithin(at, from, from + parts[i].length);
    at += parts[i].length;
  }
  return region.subarray(0, length);
}
