// The pipeline's shared foundations: bytes, bits, errors and limits.
export * from './errors.js';
export * from './limits.js';
export { ByteReader } from './byte-reader.js';
export { ByteWriter } from './byte-writer.js';
export { ByteQueue } from './byte-queue.js';
export { BitReader } from './bit-reader.js';
