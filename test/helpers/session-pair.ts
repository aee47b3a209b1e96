// A client and server session wired back to back in memory (no sockets), with deterministic
// randomness and clock, for command-flow tests.
import { ChunkDecoder } from '../../pipeline/rtmp/chunk/chunk-decoder.js';
import { ChunkEncoder } from '../../pipeline/rtmp/chunk/chunk-encoder.js';
import type { AmfValue } from '../../pipeline/rtmp/amf/amf-value.js';
import { decodeCommandMessage, encodeCommandMessage, type CommandMessage } from '../../pipeline/rtmp/messages/command-message.js';
import type { RawMessage } from '../../pipeline/rtmp/messages/message-types.js';
import { ClientSession, type ClientEvent, type ClientSessionOptions } from '../../pipeline/rtmp/session/client-session.js';
import { ServerSession } from '../../pipeline/rtmp/session/server-session.js';
import type { SessionEvent } from '../../pipeline/rtmp/session/session-events.js';
import { ClientHandshake } from '../../pipeline/rtmp/handshake/client-handshake.js';

export function counterRandom(seed = 1): (n: number) => Uint8Array {
  let x = seed;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  };
}

export const SERVER_OPTS = { randomBytes: counterRandom(7), nowMs: () => 1000, chunkSize: 4096, windowAckSize: 2_500_000, fourCcList: ['avc1', 'hvc1'] };

import { concat } from './bytes.js';
export { concat };

/**
 * A raw client: handshake done by ClientHandshake, then commands written with its own chunk
 * encoder, and the server's replies decoded into messages.
 */
export class RawClient {
  readonly server = new ServerSession(SERVER_OPTS);
  readonly events: SessionEvent[] = [];
  readonly replies: RawMessage[] = [];
  private readonly enc = new ChunkEncoder();
  private readonly dec = new ChunkDecoder();

  constructor() {
    const hs = new ClientHandshake({ randomBytes: counterRandom(3), nowMs: () => 0 });
    const s0s1s2 = this.server.receive(concat(hs.start()));
    const c2 = hs.push(concat(s0s1s2.outbound));
    this.feed(concat(c2.output));
  }

  feed(bytes: Uint8Array): void {
    const out = this.server.receive(bytes);
    this.take(out);
  }

  take(out: { events: SessionEvent[]; outbound: Uint8Array[] }): void {
    this.events.push(...out.events);
    if (out.outbound.length > 0) this.replies.push(...this.dec.push(concat(out.outbound)));
  }

  command(name: string, tx: number, obj: AmfValue, args: AmfValue[] = [], streamId = 0): void {
    const payload = encodeCommandMessage({ name, transactionId: tx, commandObject: obj, args });
    this.feed(concat(this.enc.encode({ chunkStreamId: 3, typeId: 20, streamId, timestamp: 0, payload })));
  }

  send(typeId: number, streamId: number, timestamp: number, payload: Uint8Array, chunkStreamId = 6): void {
    this.feed(concat(this.enc.encode({ chunkStreamId, typeId, streamId, timestamp, payload })));
  }

  /** Commands the server sent, decoded, oldest first; clears them. */
  takeCommands(): CommandMessage[] {
    const cmds = this.replies.filter((m) => m.typeId === 20).map((m) => decodeCommandMessage(m.typeId, m.payload));
    this.replies.length = 0;
    return cmds;
  }

  takeEvents(): SessionEvent[] {
    return this.events.splice(0);
  }

  connected(app = 'live'): void {
    this.command('connect', 1, { app, tcUrl: `rtmp://127.0.0.1/${app}`, flashVer: 'FMLE/3.0', objectEncoding: 0 });
    this.take(this.server.acceptConnect());
    this.takeCommands();
    this.takeEvents();
  }
}

/** A ClientSession and a ServerSession exchanging bytes until both are quiet. */
export function pump(client: ClientSession, server: ServerSession, first: Uint8Array[], onServerEvent: (e: SessionEvent) => Uint8Array[] = () => []): ClientEvent[] {
  const clientEvents: ClientEvent[] = [];
  let toServer = first;
  for (let round = 0; round < 50 && toServer.length > 0; round++) {
    const s = server.receive(concat(toServer));
    const back = [...s.outbound];
    for (const e of s.events) back.push(...onServerEvent(e));
    toServer = [];
    if (back.length > 0) {
      const c = client.receive(concat(back));
      clientEvents.push(...c.events);
      toServer = c.outbound;
    }
  }
  return clientEvents;
}

export function clientOpts(mode: 'publish' | 'play', name = 'key'): ClientSessionOptions {
  return { randomBytes: counterRandom(5), nowMs: () => 0, app: 'live', tcUrl: 'rtmp://127.0.0.1:1935/live', mode, name };
}
