// Splits an Aggregate Message, type 22, into its sub-messages (RTMP 1.0 §7.1.6).
import { ProtocolError } from '../../core/errors.js';
import { MESSAGE_TYPE, type RawMessage } from './message-types.js';

/** §7.1.6: each sub-message has an FLV-style tag header: type u8, size u24, timestamp u24,
 *  timestamp extension u8 (the high byte), stream id u24. */
export const AGGREGATE_TAG_HEADER_SIZE = 11;
/** Each sub-message body is followed by a u32 back pointer (the size of the tag before it). */
export const AGGREGATE_BACK_POINTER_SIZE = 4;

/**
 * The sub-messages of an aggregate, in order. Sub-message timestamps are offsets: the first
 * sub-message gets the aggregate's timestamp and later ones add their difference from it
 * (signed, mod 2^32). Stream and chunk stream ids come from the aggregate. Payloads are views
 * into the aggregate's payload. Back pointer values are not checked (as ffmpeg does not),
 * but they must be present; anything that overruns the body is a ProtocolError.
 */
export function splitAggregateMessage(aggregate: RawMessage): RawMessage[] {
  const body = aggregate.payload;
  const out: RawMessage[] = [];
  let firstTimestamp = 0;
  let at = 0;
  while (at < body.length) {
    const context = { typeId: MESSAGE_TYPE.AGGREGATE, offset: at, length: body.length };
    if (body.length - at < AGGREGATE_TAG_HEADER_SIZE) {
      throw new ProtocolError(`aggregate sub-message header truncated at offset ${at}`, context);
    }
    const typeId = body[at];
    const size = (body[at + 1] << 16) | (body[at + 2] << 8) | body[at + 3];
    const tagTimestamp = ((body[at + 7] << 24) | (body[at + 4] << 16) | (body[at + 5] << 8) | body[at + 6]) >>> 0;
    const start = at + AGGREGATE_TAG_HEADER_SIZE;
    const end = start + size;
    if (end + AGGREGATE_BACK_POINTER_SIZE > body.length) {
      throw new ProtocolError(`aggregate sub-message of ${size} bytes at offset ${at} overruns the body`, { ...context, size });
    }
    if (typeId === MESSAGE_TYPE.AGGREGATE) {
      throw new ProtocolError(`aggregate nested in an aggregate at offset ${at}`, context);
    }
    if (out.length === 0) firstTimestamp = tagTimestamp;
    const offset = (tagTimestamp - firstTimestamp) | 0; // signed 32-bit difference
    out.push({
      chunkStreamId: aggregate.chunkStreamId,
      typeId,
      streamId: aggregate.streamId,
      timestamp: Math.max(0, aggregate.timestamp + offset),
      payload: body.subarray(start, end),
    });
    at = end + AGGREGATE_BACK_POINTER_SIZE;
  }
  return out;
}
