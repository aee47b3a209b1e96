// RTMP handshake constants: packet layout (RTMP 1.0 §5.2) and the FP9 digest keys and versions.

/** C0/S0: the RTMP version this implementation speaks (RTMP 1.0 §5.2.2). */
export const RTMP_VERSION = 3;

/** C0/S0 is one byte; C1/S1 and C2/S2 are 1536 bytes each (RTMP 1.0 §5.2.3, §5.2.4). */
export const HANDSHAKE_VERSION_SIZE = 1;
export const HANDSHAKE_PACKET_SIZE = 1536;

/** C1/S1 fields (§5.2.3): time (4 bytes), zero (4 bytes; the FP9 scheme puts a version here),
 *  random data (1528 bytes). C2/S2 fields (§5.2.4): time, time2, random echo. */
export const HANDSHAKE_TIME_OFFSET = 0;
export const HANDSHAKE_VERSION_OFFSET = 4;
export const HANDSHAKE_TIME2_OFFSET = 4;
export const HANDSHAKE_RANDOM_OFFSET = 8;
export const HANDSHAKE_RANDOM_SIZE = HANDSHAKE_PACKET_SIZE - HANDSHAKE_RANDOM_OFFSET;

/** C0 values that announce RTMPE (Adobe's encrypted RTMP, as implemented by librtmp): 6 is
 *  RTMPE with Diffie-Hellman + RC4, 8 and 9 add XTEA and Blowfish to the digest. */
export const RTMPE_VERSION = 6;
export const RTMPE_XTEA_VERSION = 8;
export const RTMPE_BLOWFISH_VERSION = 9;
export const RTMPE_VERSIONS: readonly number[] = [RTMPE_VERSION, RTMPE_XTEA_VERSION, RTMPE_BLOWFISH_VERSION];

/** §5.2.2: "32-255 are not allowed (to allow distinguishing RTMP from text-based protocols,
 *  which always start with a printable character)". */
export const FIRST_DISALLOWED_VERSION = 32;

/** The first byte of a TLS record carrying a handshake (RFC 8446 §5.1, ContentType
 *  handshake(22)): what a plain port sees when an RTMPS client connects to it by mistake. */
export const TLS_HANDSHAKE_RECORD = 0x16;

/** FP9 digest and the S2/C2 signature are HMAC-SHA256 outputs. */
export const DIGEST_SIZE = 32;

/** FP9 digest placement: the sum of 4 offset bytes, modulo 728, added to the byte after them.
 *  728 = 764 − 4 − 32: the digest must fit in its 764-byte half of the random data. */
export const DIGEST_OFFSET_MODULO = 728;

/** Scheme 0 reads the offset from bytes 8..11 (digest at 12 + sum % 728); scheme 1 from bytes
 *  772..775 (digest at 776 + sum % 728). Same layout as librtmp, ffmpeg and nginx-rtmp. */
export const DIGEST_SCHEME_0_OFFSET_BYTES = 8;
export const DIGEST_SCHEME_1_OFFSET_BYTES = 772;

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** The 32 bytes that follow the ASCII text in both Genuine keys. */
const GENUINE_KEY_SUFFIX = [
  0xf0, 0xee, 0xc2, 0x4a, 0x80, 0x68, 0xbe, 0xe8, 0x2e, 0x00, 0xd0, 0xd1, 0x02, 0x9e, 0x7e, 0x57,
  0x6e, 0xec, 0x5d, 0x2d, 0x29, 0x80, 0x6f, 0xab, 0x93, 0xb8, 0xe6, 0x36, 0xcf, 0xeb, 0x31, 0xae,
];

/** The server's key, 68 bytes: "Genuine Adobe Flash Media Server 001" + the 32-byte suffix.
 *  Its first 36 bytes (the text) key the S1 digest; all 68 key the S2 signature. */
export const GENUINE_FMS_KEY = Uint8Array.from([...ascii('Genuine Adobe Flash Media Server 001'), ...GENUINE_KEY_SUFFIX]);
export const GENUINE_FMS_KEY_TEXT_SIZE = 36;

/** The client's key, 62 bytes: "Genuine Adobe Flash Player 001" + the same 32-byte suffix.
 *  Its first 30 bytes (the text) key the C1 digest; all 62 key the C2 signature. */
export const GENUINE_FP_KEY = Uint8Array.from([...ascii('Genuine Adobe Flash Player 001'), ...GENUINE_KEY_SUFFIX]);
export const GENUINE_FP_KEY_TEXT_SIZE = 30;

/** The version our server puts in S1 when it answers the digest scheme: 4.5.0.1, as FMS 4.5.
 *  Its first byte must be ≥ 3: ffmpeg (when playing) only validates S1 and S2 then, and
 *  some clients treat a lower server version as "no FP9 support". */
export const SERVER_VERSION = 0x04050001;

/** The version our client puts in C1 when it uses the digest scheme: 9.0.124.2, the Flash
 *  Player version ffmpeg announces. Servers only look for a digest when this is non-zero. */
export const CLIENT_VERSION = 0x09007c02;
