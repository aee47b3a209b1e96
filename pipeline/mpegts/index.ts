// MPEG-2 transport stream muxing for HLS segments (ISO/IEC 13818-1): the muxer and its parts.
export { TsMuxer, type TsMuxerOptions, type TsMuxerState } from './ts-muxer.js';
export * from './ts-constants.js';
export { crc32Mpeg2 } from './crc32-mpeg2.js';
export { toMpegClock, wrap33 } from './mpeg-clock.js';
export { PCR_DELAY, pcrForDts } from './pcr-clock.js';
export { encodePatSection, encodePmtSection, type PmtStream } from './psi-tables.js';
export { encodePesHeader, PES_MAX_PACKET_LENGTH, type PesHeaderFields } from './pes-packet.js';
export { pesLayout, type PesLayout } from './pes-packetizer.js';
