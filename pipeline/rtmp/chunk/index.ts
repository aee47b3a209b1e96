// The RTMP chunk stream layer (RTMP 1.0 §5.3): decoder, encoder, headers and timestamp unwrapping.
export { ChunkDecoder, type ChunkDecoderOptions } from './chunk-decoder.js';
export { ChunkEncoder, MAX_ENCODED_MESSAGE_LENGTH, type ChunkEncoderOptions, type OutgoingMessage } from './chunk-encoder.js';
export {
  basicHeaderSize,
  CHUNK_TYPE,
  DEFAULT_CHUNK_SIZE,
  EXTENDED_TIMESTAMP_MARKER,
  EXTENDED_TIMESTAMP_SIZE,
  isValidChunkStreamId,
  MAX_CHUNK_STREAM_ID,
  MAX_ONE_BYTE_CHUNK_STREAM_ID,
  MAX_TWO_BYTE_CHUNK_STREAM_ID,
  MESSAGE_HEADER_SIZE,
  MIN_CHUNK_STREAM_ID,
  peekBasicHeader,
  writeBasicHeader,
  type BasicHeader,
  type ChunkType,
} from './chunk-header.js';
export { addTimestampDelta, TIMESTAMP_HALF_RANGE, TIMESTAMP_MODULUS, TimestampUnwrapper } from './timestamp-unwrapper.js';
