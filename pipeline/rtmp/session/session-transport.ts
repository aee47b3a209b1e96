// The layer every RTMP session shares: handshake, chunk decoding, acknowledgements (§5.4.3),
// ping replies (§7.1.7) and aggregate splitting (§7.1.6). Hands application messages up.
import { ChunkDecoder } from '../chunk/chunk-decoder.js';
import { ClientHandshake } from '../handshake/client-handshake.js';
import type { HandshakeOptions, HandshakeProgress } from '../handshake/index.js';
import { ServerHandshake } from '../handshake/server-handshake.js';
import { splitAggregateMessage } from '../messages/aggregate-message.js';
import { MESSAGE_TYPE, type RawMessage } from '../messages/message-types.js';
import { decodeWindowAckSize } from '../messages/protocol-control.js';
import { decodeUserControl, USER_CONTROL_EVENT, type UserControlEvent } from '../messages/user-control.js';
import { MessageWriter } from './message-writer.js';

export interface TransportOptions extends HandshakeOptions {
  readonly maxMessageSize?: number;
  /** The received buffers are the session's own (fresh socket reads): messages split into chunks
   *  are joined inside them rather than copied (ChunkDecoderOptions.joinChunksInPlace). */
  readonly joinChunksInPlace?: boolean;
}

export interface TransportOutput {
  /** Commands, data and media; protocol control is handled here. */
  readonly messages: RawMessage[];
  /** User control events other than pings (Stream Begin, Stream EOF, Set Buffer Length...). */
  readonly userControl: UserControlEvent[];
  readonly outbound: Uint8Array[];
  /** Round-trip time of a Ping Response to our Ping Request, when one arrived. */
  readonly pingRoundTripMs?: number;
}

type Handshake = ServerHandshake | ClientHandshake;

export class SessionTransport {
  readonly writer = new MessageWriter();
  private readonly decoder: ChunkDecoder;
  private handshake: Handshake | undefined;
  /** Window set by the peer's Window Acknowledgement Size; 0 until it sends one. */
  private peerWindowAckSize = 0;
  private lastAckAt = 0;
  private scheme: string | undefined;

  constructor(
    role: 'server' | 'client',
    private readonly opts: TransportOptions,
  ) {
    this.decoder = new ChunkDecoder({ maxMessageSize: opts.maxMessageSize, joinChunksInPlace: opts.joinChunksInPlace ?? false });
    this.handshake = role === 'server' ? new ServerHandshake(opts) : new ClientHandshake(opts);
  }

  get handshakeDone(): boolean {
    return this.handshake === undefined;
  }

  /** The handshake's scheme once known ('plain' or 'digest'), for logs. */
  get handshakeScheme(): string | undefined {
    return this.scheme;
  }

  /** Client only: C0 and C1. */
  startClient(): Uint8Array[] {
    if (!(this.handshake instanceof ClientHandshake)) throw new Error('startClient() on a server transport');
    return this.handshake.start();
  }

  receive(bytes: Uint8Array): TransportOutput {
    const out: TransportOutput = { messages: [], userControl: [], outbound: [] };
    let chunkBytes: Uint8Array[] = [bytes];
    if (this.handshake) {
      const progress: HandshakeProgress = this.handshake.push(bytes);
      out.outbound.push(...progress.output);
      if (!progress.done) return out;
      if (this.handshake instanceof ServerHandshake) this.scheme = this.handshake.scheme;
      this.handshake = undefined;
      chunkBytes = progress.leftover;
    }
    let pingRoundTripMs: number | undefined;
    for (const b of chunkBytes) {
      for (const msg of this.decoder.push(b)) {
        const rtt = this.handleMessage(msg, out);
        if (rtt !== undefined) pingRoundTripMs = rtt;
      }
    }
    this.maybeAcknowledge(out.outbound);
    return pingRoundTripMs === undefined ? out : { ...out, pingRoundTripMs };
  }

  /** A Ping Request carrying our clock, so the response gives a round-trip time. */
  ping(): Uint8Array[] {
    return this.writer.userControl({ type: USER_CONTROL_EVENT.PING_REQUEST, timestamp: this.nowU32() });
  }

  private handleMessage(msg: RawMessage, out: TransportOutput): number | undefined {
    switch (msg.typeId) {
      case MESSAGE_TYPE.SET_CHUNK_SIZE:
      case MESSAGE_TYPE.ABORT:
      case MESSAGE_TYPE.ACKNOWLEDGEMENT:
      case MESSAGE_TYPE.SET_PEER_BANDWIDTH:
        return undefined; // chunk size and abort were applied by the decoder; the rest need nothing
      case MESSAGE_TYPE.WINDOW_ACK_SIZE:
        this.peerWindowAckSize = decodeWindowAckSize(msg.payload);
        return undefined;
      case MESSAGE_TYPE.USER_CONTROL: {
        const event = decodeUserControl(msg.payload);
        if (event.type === USER_CONTROL_EVENT.PING_REQUEST) {
          out.outbound.push(...this.writer.userControl({ type: USER_CONTROL_EVENT.PING_RESPONSE, timestamp: event.timestamp }));
          return undefined;
        }
        if (event.type === USER_CONTROL_EVENT.PING_RESPONSE) return (this.nowU32() - event.timestamp) >>> 0;
        out.userControl.push(event);
        return undefined;
      }
      case MESSAGE_TYPE.AGGREGATE:
        out.messages.push(...splitAggregateMessage(msg));
        return undefined;
      default:
        out.messages.push(msg);
        return undefined;
    }
  }

  /** §5.4.3: acknowledge once the bytes received since the last acknowledgement reach the
   *  window the peer announced. The sequence number is the total received, mod 2^32. */
  private maybeAcknowledge(outbound: Uint8Array[]): void {
    if (this.peerWindowAckSize <= 0) return;
    const received = this.decoder.bytesReceived;
    if (received - this.lastAckAt >= this.peerWindowAckSize) {
      this.lastAckAt = received;
      outbound.push(...this.writer.acknowledgement(received % 0x100000000));
    }
  }

  private nowU32(): number {
    return Math.floor(this.opts.nowMs()) >>> 0;
  }
}
