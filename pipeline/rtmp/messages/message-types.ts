// RTMP message type ids (RTMP 1.0 §5.4 protocol control, §6.2 user control, §7.1 messages)
// and the RawMessage that the chunk layer hands to sessions.

export const MESSAGE_TYPE = {
  SET_CHUNK_SIZE: 1,
  ABORT: 2,
  ACKNOWLEDGEMENT: 3,
  USER_CONTROL: 4,
  WINDOW_ACK_SIZE: 5,
  SET_PEER_BANDWIDTH: 6,
  AUDIO: 8,
  VIDEO: 9,
  DATA_AMF3: 15,
  SHARED_OBJECT_AMF3: 16,
  COMMAND_AMF3: 17,
  DATA_AMF0: 18,
  SHARED_OBJECT_AMF0: 19,
  COMMAND_AMF0: 20,
  AGGREGATE: 22,
} as const;

export type MessageTypeId = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE];

/** One complete RTMP message, reassembled from its chunks. */
export interface RawMessage {
  /** Chunk stream id it arrived on (2 is reserved for protocol control). */
  readonly chunkStreamId: number;
  /** Message type id (MESSAGE_TYPE); unknown ids are passed through for the session to reject. */
  readonly typeId: number;
  /** Message stream id (0 for the NetConnection). */
  readonly streamId: number;
  /** Timestamp in milliseconds, unwrapped past 2^32 (so it may exceed 0xFFFFFFFF). */
  readonly timestamp: number;
  /** The message body; a view, possibly into a buffer shared with other messages. */
  readonly payload: Uint8Array;
}

/** The chunk stream ids Onramp sends on, by convention of FMS and librtmp. */
export const CHUNK_STREAM = {
  PROTOCOL_CONTROL: 2,
  COMMAND: 3,
  DATA: 5,
  AUDIO: 6,
  VIDEO: 7,
} as const;
