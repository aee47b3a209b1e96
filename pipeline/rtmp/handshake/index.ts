// The RTMP handshake (RTMP 1.0 §5.2 plain and the FP9 HMAC-SHA256 digest scheme), server and client, sans I/O.
//
// Choices, each explained where it is made:
// - C0: 3 is RTMP; RTMPE (6, 8, 9) → UnsupportedError; 0x16 (a TLS ClientHello) and 32..255
//   (text protocols) → ProtocolError; any other value < 32 is answered with S0=3 as §5.2.2
//   advises (handshake-version.ts).
// - Server: digest answer only for a C1 with a non-zero version and a valid FP digest in either
//   scheme, placed in the client's scheme, S1 version 4.5.0.1; C2 is never fatal (c2Proof).
// - Client: digest C1 by default, scheme 0, version 9.0.124.2 (as ffmpeg); lenient about the
//   server's digest and S2 (serverDigestValid, s2Proof); C2 as soon as S1 is in.
// - Time fields count milliseconds from the handshake's start (construction / start()), as u32.
export * from './handshake-constants.js';
export * from './handshake-types.js';
export {
  computeDigest,
  digestOffset,
  findDigest,
  insertDigest,
  responseKey,
  signResponse,
  validateDigest,
  verifyResponse,
  DIGEST_SCHEMES,
  type DigestLocation,
  type DigestScheme,
} from './handshake-digest.js';
export { formatHandshakeVersion } from './handshake-packet.js';
export { checkClientVersion, checkServerVersion } from './handshake-version.js';
export { ServerHandshake } from './server-handshake.js';
export { ClientHandshake, type ClientHandshakeOptions } from './client-handshake.js';
