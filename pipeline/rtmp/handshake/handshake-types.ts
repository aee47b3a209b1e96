// Shared types of the sans-I/O RTMP handshake state machines: injected sources and results.

/** What a handshake needs from outside; injected so tests are deterministic. */
export interface HandshakeOptions {
  /** n random bytes for C1/S1 random data and digest-scheme C2/S2. */
  randomBytes(n: number): Uint8Array;
  /** A millisecond clock (any epoch; only differences are used, floored and wrapped to u32). */
  nowMs(): number;
}

/** The outcome of one push(). */
export interface HandshakeProgress {
  /** Bytes to send now, in order (may be empty). */
  output: Uint8Array[];
  /** True once the handshake is complete; from then on the connection carries chunks. */
  done: boolean;
  /** Bytes received past the end of the handshake (the start of the chunk stream, e.g. a
   *  connect command sent right behind C2), as views of the pushed input, not copies. */
  leftover: Uint8Array[];
}

/** plain: RTMP 1.0 §5.2 (random data, echoed back). digest: the FP9 HMAC-SHA256 scheme. */
export type HandshakeScheme = 'plain' | 'digest';

/** How the peer's final packet (C2 or S2) proved it read ours:
 *  'digest' the FP9 signature keyed by our digest verifies; 'echo' it echoes our random data
 *  (§5.2.4); 'none' neither (many clients send anything; this is recorded, not fatal). */
export type HandshakeProof = 'digest' | 'echo' | 'none';

/** 'failed' after a push() threw; the connection is to be closed. */
export type ServerHandshakePhase = 'awaitC0C1' | 'awaitC2' | 'done' | 'failed';

/** 'failed' after a push() threw; the connection is to be closed. */
export type ClientHandshakePhase = 'idle' | 'awaitS0S1' | 'awaitS2' | 'done' | 'failed';

export type HandshakePhase = ServerHandshakePhase | ClientHandshakePhase;
