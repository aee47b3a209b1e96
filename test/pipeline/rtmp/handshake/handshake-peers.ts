// Real RTMP peers the handshake was run against (live in handshake-interop.test.ts, replayed from
// fixtures in handshake-peers.test.ts): tool, command line, seed of our side, and expected outcome.
import type { HandshakeProof, HandshakeScheme } from '../../../../pipeline/rtmp/handshake/index.js';

/** Our side's clock during captures and replays: constant, so every time field is 0. */
export const PEER_CLOCK_MS = 1000;

/** A real client connecting to our ServerHandshake. */
export interface RealClient {
  name: string;
  tool: string;
  args: (url: string) => string[];
  serverSeed: number;
  scheme: HandshakeScheme;
  clientVersion: number;
  c2Proof: HandshakeProof;
  /** Printed by the client when it judged our S1/S2 genuine. */
  logOk?: RegExp;
  /** Printed by the client when it rejected our S1/S2. */
  logBad: RegExp;
}

/** A real server our ClientHandshake connects to. */
export interface RealServer {
  name: string;
  tool: string;
  /** Fixed port, or undefined to pick a free one. */
  port?: number;
  args: (port: number) => string[];
  clientSeed: number;
  serverScheme: HandshakeScheme;
  serverVersion: number;
  serverDigestValid: boolean | undefined;
  s2Proof: HandshakeProof;
  logOk?: RegExp;
  logBad: RegExp;
}

export const REAL_CLIENTS: RealClient[] = [
  {
    // Playing, ffmpeg checks our S1 digest and S2 signature and aborts on a mismatch.
    name: 'ffmpeg-play',
    tool: 'ffmpeg',
    args: (url) => ['-nostdin', '-v', 'debug', '-i', url, '-f', 'null', '-'],
    serverSeed: 11,
    scheme: 'digest',
    clientVersion: 0x09007c02,
    c2Proof: 'digest',
    logBad: /Signature mismatch|validating failed/,
  },
  {
    // Publishing, ffmpeg sends an FP9 C1 but answers with an echo of S1 as C2.
    name: 'ffmpeg-publish',
    tool: 'ffmpeg',
    args: (url) => ['-nostdin', '-v', 'debug', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '5', '-f', 'flv', url],
    serverSeed: 12,
    scheme: 'digest',
    clientVersion: 0x09007c02,
    c2Proof: 'echo',
    logBad: /Signature mismatch|validating failed/,
  },
  {
    name: 'rtmpdump-plain',
    tool: 'rtmpdump',
    args: (url) => ['-V', '-r', url, '-o', '/dev/null'],
    serverSeed: 13,
    scheme: 'plain',
    clientVersion: 0,
    c2Proof: 'echo',
    logBad: /Couldn't verify|not genuine/i,
  },
  {
    // A SWF hash and size make librtmp use the FP9 handshake (version 10.0.45.2) and verify us.
    name: 'rtmpdump-fp9',
    tool: 'rtmpdump',
    args: (url) => ['-V', '-r', url, '-w', '0'.repeat(64), '-x', '1000', '-o', '/dev/null'],
    serverSeed: 14,
    scheme: 'digest',
    clientVersion: 0x0a002d02,
    c2Proof: 'digest',
    logOk: /Genuine Adobe Flash Media Server/,
    logBad: /Couldn't verify|not genuine/i,
  },
];

export const REAL_SERVERS: RealServer[] = [
  {
    // ffmpeg's listen mode answers plain (S1 version 0, S2 echo) and checks C2's time and random echo.
    name: 'ffmpeg-listen',
    tool: 'ffmpeg',
    args: (port) => ['-nostdin', '-v', 'debug', '-listen', '1', '-i', `rtmp://127.0.0.1:${port}/live/test`, '-f', 'null', '-'],
    clientSeed: 21,
    serverScheme: 'plain',
    serverVersion: 0,
    serverDigestValid: undefined,
    s2Proof: 'echo',
    logBad: /Erroneous C2|Unable to read handshake|Handshake C\d Error/i,
  },
  {
    // librtmp's server (FMS 3.5.1.1) answers FP9 and verifies our C2 signature; it only listens on 1935.
    name: 'rtmpsrv',
    tool: 'rtmpsrv',
    port: 1935,
    args: () => ['-z'],
    clientSeed: 23,
    serverScheme: 'digest',
    serverVersion: 0x03050101,
    serverDigestValid: true,
    s2Proof: 'digest',
    logOk: /Genuine Adobe Flash Player/,
    logBad: /Client not genuine|Couldn't verify/i,
  },
];
