// FLV file writing (FLV v10.1 E.2–E.4.1): the file header and tags with their PreviousTagSize.
import { LimitError, ProtocolError } from '../core/errors.js';
import { ByteWriter } from '../core/byte-writer.js';
import {
  FLV_HEADER_SIZE,
  FLV_SIGNATURE,
  FLV_TAG_HEADER_SIZE,
  FLV_VERSION,
  MAX_FLV_DATA_SIZE,
  TYPE_FLAGS_AUDIO,
  TYPE_FLAGS_VIDEO,
} from './flv-constants.js';
import type { FlvRecord } from './flv-record.js';

const WHAT = 'FLV file';
const TIMESTAMP_WRAP = 0x1_0000_0000;

/** The 9-byte FLV header followed by PreviousTagSize0 (13 bytes): what starts every FLV file. */
export function encodeFlvHeader(types: { readonly audio: boolean; readonly video: boolean }): Uint8Array {
  const w = new ByteWriter(FLV_HEADER_SIZE + 4);
  for (const c of FLV_SIGNATURE) w.u8(c.charCodeAt(0));
  w.u8(FLV_VERSION);
  w.u8((types.audio ? TYPE_FLAGS_AUDIO : 0) | (types.video ? TYPE_FLAGS_VIDEO : 0));
  w.u32(FLV_HEADER_SIZE); // DataOffset
  w.u32(0); // PreviousTagSize0
  return w.finish();
}

/**
 * One tag as three views: the 11-byte tag header, the body (not copied) and PreviousTagSize.
 * The timestamp is written modulo 2^32 (Timestamp UI24 plus TimestampExtended as the high byte),
 * since FLV cannot hold the unwrapped milliseconds of a stream longer than 49.7 days.
 */
export function encodeFlvRecord(record: FlvRecord): Uint8Array[] {
  const { tagType, timestampMs, body } = record;
  if (!Number.isInteger(timestampMs) || timestampMs < 0) throw new ProtocolError(`${WHAT}: timestampMs ${timestampMs} is not a non-negative integer`);
  if (body.length > MAX_FLV_DATA_SIZE) throw new LimitError(`${WHAT}: body of ${body.length} bytes exceeds the UI24 DataSize`);
  const ts = timestampMs % TIMESTAMP_WRAP;
  const header = new ByteWriter(FLV_TAG_HEADER_SIZE)
    .u8(tagType)
    .u24(body.length)
    .u24(ts % 0x1000000)
    .u8(Math.floor(ts / 0x1000000))
    .u24(0) // StreamID
    .finish();
  const previousTagSize = new ByteWriter(4).u32(FLV_TAG_HEADER_SIZE + body.length).finish();
  return [header, body, previousTagSize];
}
