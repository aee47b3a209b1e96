// pipeline/codecs/mp3: MPEG-1/2/2.5 audio frame headers.
export { parseMp3FrameHeader, MP3_HEADER_SIZE, type Mp3FrameHeader } from './mp3-frame-header.js';
