// Server side of the RTMP handshake (RTMP 1.0 §5.2 plain, and the FP9 digest scheme) as a sans-I/O state machine.
import { ByteQueue } from '../../core/byte-queue.js';
import { ProtocolError } from '../../core/errors.js';
import {
  GENUINE_FMS_KEY,
  GENUINE_FMS_KEY_TEXT_SIZE,
  GENUINE_FP_KEY,
  GENUINE_FP_KEY_TEXT_SIZE,
  HANDSHAKE_PACKET_SIZE,
  HANDSHAKE_VERSION_OFFSET,
  HANDSHAKE_VERSION_SIZE,
  RTMP_VERSION,
  SERVER_VERSION,
} from './handshake-constants.js';
import { findDigest, insertDigest, responseKey, signResponse, verifyResponse, type DigestScheme } from './handshake-digest.js';
import { HandshakeClock, buildChallenge, buildEcho, buildRandomResponse, echoesRandom, readU32 } from './handshake-packet.js';
import type { HandshakeOptions, HandshakeProgress, HandshakeProof, HandshakeScheme, ServerHandshakePhase } from './handshake-types.js';
import { checkClientVersion } from './handshake-version.js';

const C1_DIGEST_KEY = GENUINE_FP_KEY.subarray(0, GENUINE_FP_KEY_TEXT_SIZE);
const S1_DIGEST_KEY = GENUINE_FMS_KEY.subarray(0, GENUINE_FMS_KEY_TEXT_SIZE);

/**
 * Reads C0+C1, answers S0+S1+S2 in one write, then reads C2.
 * - C0: see checkClientVersion (3; RTMPE → UnsupportedError; TLS/text → ProtocolError).
 * - C1 with a non-zero version and a valid FP digest (either scheme) → digest answer: S1 with
 *   SERVER_VERSION and an FMS digest in the client's scheme, S2 signed with a key derived from
 *   the client's digest. Otherwise the plain answer: S1 = time, zero, random; S2 echoes C1.
 * - C2 is never rejected (many clients send garbage); how it verified is in `c2Proof`.
 */
export class ServerHandshake {
  private readonly queue = new ByteQueue();
  private readonly clock: HandshakeClock;
  private s1: Uint8Array | undefined;
  private c2Key: Uint8Array | undefined; // key a digest-scheme C2 is signed with
  private _phase: ServerHandshakePhase = 'awaitC0C1';
  private _scheme: HandshakeScheme | undefined;
  private _digestScheme: DigestScheme | undefined;
  private _c0Version: number | undefined;
  private _clientVersion: number | undefined;
  private _c2Proof: HandshakeProof | undefined;

  constructor(private readonly opts: HandshakeOptions) {
    this.clock = new HandshakeClock(() => opts.nowMs());
  }

  get phase(): ServerHandshakePhase { return this._phase; }
  /** 'digest' when C1 carried a valid FP digest; set once C1 is read. */
  get scheme(): HandshakeScheme | undefined { return this._scheme; }
  /** Where the client's digest was found (and ours placed), in the digest scheme. */
  get digestScheme(): DigestScheme | undefined { return this._digestScheme; }
  /** The RTMP version the client asked for in C0 (answered with 3 whatever it was). */
  get c0Version(): number | undefined { return this._c0Version; }
  /** C1 bytes 4..7 as a u32 (0 from plain clients; e.g. 0x09007c02 = 9.0.124.2 from ffmpeg). */
  get clientVersion(): number | undefined { return this._clientVersion; }
  /** How C2 proved the client read S1; set when the handshake is done. */
  get c2Proof(): HandshakeProof | undefined { return this._c2Proof; }
  /** The nowMs() value the S1 time field counts from (the epoch of our chunk timestamps). */
  get epochMs(): number { return this.clock.epochMs; }

  push(bytes: Uint8Array): HandshakeProgress {
    if (this._phase === 'done') return { output: [], done: true, leftover: bytes.length > 0 ? [bytes] : [] };
    if (this._phase === 'failed') throw new ProtocolError('RTMP handshake already failed');
    this.queue.push(bytes);
    try {
      return this.advance();
    } catch (err) {
      this._phase = 'failed';
      throw err;
    }
  }

  private advance(): HandshakeProgress {
    const output: Uint8Array[] = [];
    if (this._phase === 'awaitC0C1') {
      if (this._c0Version === undefined && this.queue.length >= HANDSHAKE_VERSION_SIZE) {
        // Checked as soon as it arrives: RTMPE, TLS and HTTP are refused without waiting for C1.
        this._c0Version = this.queue.byteAt(0);
        checkClientVersion(this._c0Version);
      }
      if (this.queue.length < HANDSHAKE_VERSION_SIZE + HANDSHAKE_PACKET_SIZE) return { output, done: false, leftover: [] };
      this.queue.skip(HANDSHAKE_VERSION_SIZE);
      output.push(this.answer(this.queue.take(HANDSHAKE_PACKET_SIZE)));
      this._phase = 'awaitC2';
    }
    if (this.queue.length < HANDSHAKE_PACKET_SIZE) return { output, done: false, leftover: [] };
    this._c2Proof = this.judgeC2(this.queue.take(HANDSHAKE_PACKET_SIZE));
    this._phase = 'done';
    this.s1 = undefined;
    this.c2Key = undefined;
    return { output, done: true, leftover: this.queue.drain() };
  }

  /** S0+S1+S2 for this C1, as one buffer. */
  private answer(c1: Uint8Array): Uint8Array {
    const readTime = this.clock.elapsed();
    this._clientVersion = readU32(c1, HANDSHAKE_VERSION_OFFSET);
    // FP9: a client announces the digest scheme with a non-zero version (the spec's "zero" field).
    const c1Digest = this._clientVersion !== 0 ? findDigest(c1, C1_DIGEST_KEY) : undefined;
    const out = new Uint8Array(HANDSHAKE_VERSION_SIZE + 2 * HANDSHAKE_PACKET_SIZE);
    out[0] = RTMP_VERSION;
    let s1: Uint8Array;
    let s2: Uint8Array;
    if (c1Digest) {
      this._scheme = 'digest';
      this._digestScheme = c1Digest.scheme;
      s1 = buildChallenge(this.opts, readTime, SERVER_VERSION);
      const s1Digest = insertDigest(s1, c1Digest.scheme, S1_DIGEST_KEY);
      s2 = buildRandomResponse(this.opts);
      signResponse(s2, responseKey(GENUINE_FMS_KEY, c1Digest.digest));
      this.c2Key = responseKey(GENUINE_FP_KEY, s1Digest.digest);
    } else {
      this._scheme = 'plain';
      s1 = buildChallenge(this.opts, readTime, 0);
      s2 = buildEcho(c1, readTime);
    }
    out.set(s1, HANDSHAKE_VERSION_SIZE);
    out.set(s2, HANDSHAKE_VERSION_SIZE + HANDSHAKE_PACKET_SIZE);
    this.s1 = s1;
    return out;
  }

  private judgeC2(c2: Uint8Array): HandshakeProof {
    if (this.c2Key && verifyResponse(c2, this.c2Key)) return 'digest';
    // Publishing ffmpeg and most plain clients echo S1 even after a digest S1.
    if (this.s1 && echoesRandom(c2, this.s1)) return 'echo';
    return 'none';
  }
}
