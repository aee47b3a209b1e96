// C0/S0 version byte policy (RTMP 1.0 §5.2.2): what a peer's requested version means to us.
import { ProtocolError, UnsupportedError } from '../../core/errors.js';
import { FIRST_DISALLOWED_VERSION, RTMP_VERSION, RTMPE_VERSIONS, TLS_HANDSHAKE_RECORD } from './handshake-constants.js';

function rejectForeign(version: number, packet: 'C0' | 'S0'): void {
  if (RTMPE_VERSIONS.includes(version)) {
    throw new UnsupportedError(`encrypted RTMPE (${packet}=${version}) is not supported; use RTMPS`, { version });
  }
  if (version === TLS_HANDSHAKE_RECORD) {
    throw new ProtocolError(`${packet}=0x16 is a TLS record: the peer speaks RTMPS (TLS) to a plain RTMP endpoint`, { version });
  }
  if (version >= FIRST_DISALLOWED_VERSION) {
    throw new ProtocolError(`${packet}=${version} is not an RTMP version (32-255 are disallowed; text protocol such as HTTP?)`, { version });
  }
}

/** Server side. 3 is RTMP. RTMPE (6, 8, 9) is unsupported; 0x16 (TLS) and 32..255 are not
 *  RTMP at all. Any other value below 32 (deprecated 0..2, reserved 4..31) is accepted and
 *  answered with S0=3, as §5.2.2 says: "A server that does not recognize the client's
 *  requested version SHOULD respond with 3. The client MAY choose to degrade to version 3". */
export function checkClientVersion(c0: number): void {
  rejectForeign(c0, 'C0');
}

/** Client side: we asked for 3 and only continue with 3 (the server may not upgrade us). */
export function checkServerVersion(s0: number): void {
  rejectForeign(s0, 'S0');
  if (s0 !== RTMP_VERSION) {
    throw new ProtocolError(`server answered RTMP version ${s0}; only ${RTMP_VERSION} is spoken`, { version: s0 });
  }
}
