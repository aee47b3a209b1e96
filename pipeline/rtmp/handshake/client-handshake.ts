// Client side of the RTMP handshake (RTMP 1.0 §5.2 plain, and the FP9 digest scheme) as a sans-I/O state machine.
import { ByteQueue } from '../../core/byte-queue.js';
import { ProtocolError } from '../../core/errors.js';
import {
  CLIENT_VERSION,
  GENUINE_FMS_KEY,
  GENUINE_FMS_KEY_TEXT_SIZE,
  GENUINE_FP_KEY,
  GENUINE_FP_KEY_TEXT_SIZE,
  HANDSHAKE_PACKET_SIZE,
  HANDSHAKE_VERSION_OFFSET,
  HANDSHAKE_VERSION_SIZE,
  RTMP_VERSION,
} from './handshake-constants.js';
import { findDigest, insertDigest, responseKey, signResponse, verifyResponse, type DigestScheme } from './handshake-digest.js';
import { HandshakeClock, buildChallenge, buildEcho, buildRandomResponse, echoesRandom, readU32 } from './handshake-packet.js';
import type { ClientHandshakePhase, HandshakeOptions, HandshakeProgress, HandshakeProof, HandshakeScheme } from './handshake-types.js';
import { checkServerVersion } from './handshake-version.js';

const C1_DIGEST_KEY = GENUINE_FP_KEY.subarray(0, GENUINE_FP_KEY_TEXT_SIZE);
const S1_DIGEST_KEY = GENUINE_FMS_KEY.subarray(0, GENUINE_FMS_KEY_TEXT_SIZE);

export interface ClientHandshakeOptions extends HandshakeOptions {
  /** Send an FP9 digest in C1 (default true, like librtmp with FP9 and ffmpeg). */
  digest?: boolean;
  /** Where to put it (default 0: offset from bytes 8..11, as ffmpeg does for plain rtmp://). */
  digestScheme?: DigestScheme;
}

/**
 * start() gives C0+C1; push() takes S0+S1+S2 in any split. C2 goes out as soon as S1 is in
 * (§5.2.1: the client waits for S1 before sending C2, and for S2 before sending anything else).
 * Lenient where ffmpeg and librtmp abort: a missing or wrong server digest or S2 signature is
 * recorded (`serverDigestValid`, `s2Proof`), not fatal; without a valid S1 digest C2 echoes S1.
 */
export class ClientHandshake {
  private readonly queue = new ByteQueue();
  private readonly clock: HandshakeClock;
  private readonly useDigest: boolean;
  private readonly preferredScheme: DigestScheme;
  private c1: Uint8Array | undefined;
  private c1Digest: Uint8Array | undefined;
  private s2Key: Uint8Array | undefined; // key a digest-scheme S2 is signed with
  private _phase: ClientHandshakePhase = 'idle';
  private _serverScheme: HandshakeScheme | undefined;
  private _serverVersion: number | undefined;
  private _serverDigestValid: boolean | undefined;
  private _s2Proof: HandshakeProof | undefined;

  constructor(private readonly opts: ClientHandshakeOptions) {
    this.clock = new HandshakeClock(() => opts.nowMs());
    this.useDigest = opts.digest ?? true;
    this.preferredScheme = opts.digestScheme ?? 0;
  }

  get phase(): ClientHandshakePhase { return this._phase; }
  /** Our C1's digest scheme, or undefined when C1 is plain. */
  get digestScheme(): DigestScheme | undefined { return this.useDigest ? this.preferredScheme : undefined; }
  /** 'digest' when S1 carried a valid FMS digest (and we sent one), else 'plain'; set once S1 is read. */
  get serverScheme(): HandshakeScheme | undefined { return this._serverScheme; }
  /** S1 bytes 4..7 as a u32 (e.g. 0x04050001 = 4.5.0.1 from us, 0 from plain servers). */
  get serverVersion(): number | undefined { return this._serverVersion; }
  /** Whether S1's FMS digest verified; undefined when S1's version is zero (no digest claimed). */
  get serverDigestValid(): boolean | undefined { return this._serverDigestValid; }
  /** How S2 proved the server read C1; set when the handshake is done. */
  get s2Proof(): HandshakeProof | undefined { return this._s2Proof; }
  /** The nowMs() value the C1 time field counts from (the epoch of our chunk timestamps). */
  get epochMs(): number { return this.clock.epochMs; }

  /** C0+C1, as one buffer. */
  start(): Uint8Array[] {
    if (this._phase !== 'idle') throw new ProtocolError(`ClientHandshake.start() called in phase ${this._phase}`);
    const c1 = buildChallenge(this.opts, this.clock.elapsed(), this.useDigest ? CLIENT_VERSION : 0);
    if (this.useDigest) this.c1Digest = insertDigest(c1, this.preferredScheme, C1_DIGEST_KEY).digest;
    this.c1 = c1;
    this._phase = 'awaitS0S1';
    const out = new Uint8Array(HANDSHAKE_VERSION_SIZE + HANDSHAKE_PACKET_SIZE);
    out[0] = RTMP_VERSION;
    out.set(c1, HANDSHAKE_VERSION_SIZE);
    return [out];
  }

  push(bytes: Uint8Array): HandshakeProgress {
    if (this._phase === 'done') return { output: [], done: true, leftover: bytes.length > 0 ? [bytes] : [] };
    if (this._phase === 'failed') throw new ProtocolError('RTMP handshake already failed');
    if (this._phase === 'idle') throw new ProtocolError('RTMP handshake bytes received before C0+C1 was sent');
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
    if (this._phase === 'awaitS0S1') {
      if (this.queue.length >= HANDSHAKE_VERSION_SIZE) checkServerVersion(this.queue.byteAt(0));
      if (this.queue.length < HANDSHAKE_VERSION_SIZE + HANDSHAKE_PACKET_SIZE) return { output, done: false, leftover: [] };
      this.queue.skip(HANDSHAKE_VERSION_SIZE);
      output.push(this.answer(this.queue.take(HANDSHAKE_PACKET_SIZE)));
      this._phase = 'awaitS2';
    }
    if (this.queue.length < HANDSHAKE_PACKET_SIZE) return { output, done: false, leftover: [] };
    this._s2Proof = this.judgeS2(this.queue.take(HANDSHAKE_PACKET_SIZE));
    this._phase = 'done';
    this.c1 = undefined;
    this.c1Digest = undefined;
    this.s2Key = undefined;
    return { output, done: true, leftover: this.queue.drain() };
  }

  /** C2 for this S1. */
  private answer(s1: Uint8Array): Uint8Array {
    const readTime = this.clock.elapsed();
    this._serverVersion = readU32(s1, HANDSHAKE_VERSION_OFFSET);
    const s1Digest = this._serverVersion !== 0 ? findDigest(s1, S1_DIGEST_KEY, this.preferredScheme) : undefined;
    this._serverDigestValid = this._serverVersion !== 0 ? s1Digest !== undefined : undefined;
    if (s1Digest && this.c1Digest) {
      this._serverScheme = 'digest';
      this.s2Key = responseKey(GENUINE_FMS_KEY, this.c1Digest);
      const c2 = buildRandomResponse(this.opts);
      signResponse(c2, responseKey(GENUINE_FP_KEY, s1Digest.digest));
      return c2;
    }
    // A plain server, or a plain C1 (the server then expects an echo even if S1 has a digest).
    this._serverScheme = 'plain';
    return buildEcho(s1, readTime);
  }

  private judgeS2(s2: Uint8Array): HandshakeProof {
    if (this.s2Key && verifyResponse(s2, this.s2Key)) return 'digest';
    if (this.c1 && echoesRandom(s2, this.c1)) return 'echo';
    return 'none';
  }
}
