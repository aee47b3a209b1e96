// The server session's options, phases, output and named limits.
import type { SessionEvent } from './session-events.js';
import type { TransportOptions } from './session-transport.js';

/** Messages held while the service decides on a connect, publish or play. Real clients send a
 *  handful (FCPublish, createStream, @setDataFrame); more is a client not waiting for replies. */
export const MAX_PENDING_MESSAGES = 256;
/** NetStreams one connection may create (OBS and ffmpeg use one). */
export const MAX_NET_STREAMS = 16;

export type ConnectionPhase = 'handshake' | 'awaitConnect' | 'connectPending' | 'connected' | 'closed';

export interface ServerSessionOptions extends TransportOptions {
  /** Outgoing chunk size, announced after connect. */
  readonly chunkSize: number;
  /** Window Acknowledgement Size and Set Peer Bandwidth announced after connect. */
  readonly windowAckSize: number;
  /** Enhanced RTMP FourCCs this server accepts, returned to clients that sent a fourCcList. */
  readonly fourCcList?: readonly string[];
}

export interface SessionOutput {
  readonly events: SessionEvent[];
  readonly outbound: Uint8Array[];
}

export const FMS_VERSION = 'FMS/3,5,7,7009';
export const CAPABILITIES = 31;

