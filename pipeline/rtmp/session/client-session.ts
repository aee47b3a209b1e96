// The client side of an RTMP connection as a sans-I/O state machine, for relays, tests and the
// benchmark: handshake → connect → createStream → publish or play → ready → closed (RTMP 1.0 §7.2).
import { ProtocolError } from '../../core/errors.js';
import type { AmfObject, AmfValue } from '../amf/amf-value.js';
import { decodeCommandMessage } from '../messages/command-message.js';
import { decodeDataMessage } from '../messages/data-message.js';
import { MESSAGE_TYPE } from '../messages/message-types.js';
import { asAmfObject } from './connect-request.js';
import { SessionTransport, type TransportOptions } from './session-transport.js';
import { STATUS } from './status-codes.js';

export type ClientPhase = 'handshake' | 'connecting' | 'creatingStream' | 'starting' | 'ready' | 'closed';

export interface ClientSessionOptions extends TransportOptions {
  readonly app: string;
  readonly tcUrl: string;
  readonly mode: 'publish' | 'play';
  /** Stream name (with an optional "?query"). */
  readonly name: string;
  readonly flashVer?: string;
  /** Enhanced RTMP: codecs to announce in connect. */
  readonly fourCcList?: readonly string[];
  /** Outgoing chunk size, announced once connected (default 4096). */
  readonly chunkSize?: number;
  /** play's start argument: -2 live or recorded, -1 live only (default -2). */
  readonly playStart?: number;
}

export type ClientEvent =
  | { readonly type: 'connected'; readonly properties: AmfObject; readonly info: AmfObject }
  | { readonly type: 'ready'; readonly streamId: number }
  | { readonly type: 'status'; readonly level: string; readonly code: string; readonly description: string }
  | { readonly type: 'media'; readonly typeId: number; readonly timestamp: number; readonly payload: Uint8Array }
  | { readonly type: 'data'; readonly timestamp: number; readonly name: string; readonly values: AmfValue[]; readonly payload: Uint8Array }
  | { readonly type: 'rejected'; readonly code: string; readonly description: string };

export interface ClientOutput {
  readonly events: ClientEvent[];
  readonly outbound: Uint8Array[];
}

const TX = { CONNECT: 1, RELEASE_STREAM: 2, FC_PUBLISH: 3, CREATE_STREAM: 4 } as const;

export class ClientSession {
  private clientPhase: ClientPhase = 'handshake';
  private readonly transport: SessionTransport;
  private id = 0;

  constructor(private readonly opts: ClientSessionOptions) {
    this.transport = new SessionTransport('client', opts);
  }

  get phase(): ClientPhase {
    return this.clientPhase;
  }

  get streamId(): number {
    return this.id;
  }

  /** C0 and C1: send these first. */
  start(): Uint8Array[] {
    return this.transport.startClient();
  }

  receive(bytes: Uint8Array): ClientOutput {
    const out: ClientOutput = { events: [], outbound: [] };
    if (this.clientPhase === 'closed') return out;
    const t = this.transport.receive(bytes);
    out.outbound.push(...t.outbound);
    if (this.clientPhase === 'handshake' && this.transport.handshakeDone) {
      this.clientPhase = 'connecting';
      out.outbound.push(...this.connectCommand());
    }
    for (const msg of t.messages) {
      if (this.phase === 'closed') break;
      if (msg.typeId === MESSAGE_TYPE.COMMAND_AMF0 || msg.typeId === MESSAGE_TYPE.COMMAND_AMF3) {
        const cmd = decodeCommandMessage(msg.typeId, msg.payload);
        this.handleCommand(cmd.name, cmd.transactionId, cmd.commandObject, cmd.args, out);
      } else if (msg.typeId === MESSAGE_TYPE.AUDIO || msg.typeId === MESSAGE_TYPE.VIDEO) {
        out.events.push({ type: 'media', typeId: msg.typeId, timestamp: msg.timestamp, payload: msg.payload });
      } else if (msg.typeId === MESSAGE_TYPE.DATA_AMF0 || msg.typeId === MESSAGE_TYPE.DATA_AMF3) {
        const data = decodeDataMessage(msg.typeId, msg.payload);
        out.events.push({ type: 'data', timestamp: msg.timestamp, name: data.name, values: data.values, payload: msg.payload });
      }
    }
    return out;
  }

  /** Audio (8), video (9) or AMF0 data (18) on the published stream. */
  sendMedia(typeId: number, timestamp: number, payload: Uint8Array): Uint8Array[] {
    if (this.clientPhase !== 'ready' || this.opts.mode !== 'publish') throw new Error(`sendMedia() in phase ${this.clientPhase}`);
    return this.transport.writer.media(this.id, typeId, timestamp, payload);
  }

  /** @setDataFrame("onMetaData", metadata), as encoders send it. */
  sendMetadata(metadata: AmfObject): Uint8Array[] {
    if (this.clientPhase !== 'ready') throw new Error(`sendMetadata() in phase ${this.clientPhase}`);
    return this.transport.writer.data(this.id, '@setDataFrame', ['onMetaData', metadata]);
  }

  /** FCUnpublish (when publishing) and deleteStream, as OBS and ffmpeg end a session. */
  stop(): Uint8Array[] {
    if (this.clientPhase === 'closed') return [];
    const w = this.transport.writer;
    const out: Uint8Array[] = [];
    if (this.clientPhase === 'ready' && this.opts.mode === 'publish') out.push(...w.command(0, 'FCUnpublish', 5, null, this.opts.name));
    if (this.id > 0) out.push(...w.command(0, 'deleteStream', 6, null, this.id));
    this.clientPhase = 'closed';
    return out;
  }

  ping(): Uint8Array[] {
    return this.transport.ping();
  }

  private connectCommand(): Uint8Array[] {
    const cmdObj: AmfObject = {
      app: this.opts.app,
      type: 'nonprivate',
      flashVer: this.opts.flashVer ?? 'FMLE/3.0 (compatible; Onramp)',
      tcUrl: this.opts.tcUrl,
    };
    if (this.opts.mode === 'play') {
      Object.assign(cmdObj, { fpad: false, capabilities: 15, audioCodecs: 4071, videoCodecs: 252, videoFunction: 1 });
    }
    if (this.opts.fourCcList) cmdObj.fourCcList = [...this.opts.fourCcList];
    return this.transport.writer.command(0, 'connect', TX.CONNECT, cmdObj);
  }

  private handleCommand(name: string, tx: number, cmdObj: AmfValue, args: AmfValue[], out: ClientOutput): void {
    const w = this.transport.writer;
    if (name === '_result' && tx === TX.CONNECT && this.clientPhase === 'connecting') {
      out.events.push({ type: 'connected', properties: asAmfObject(cmdObj) ?? {}, info: asAmfObject(args[0]) ?? {} });
      out.outbound.push(...w.setChunkSize(this.opts.chunkSize ?? 4096));
      if (this.opts.mode === 'publish') {
        out.outbound.push(
          ...w.command(0, 'releaseStream', TX.RELEASE_STREAM, null, this.opts.name),
          ...w.command(0, 'FCPublish', TX.FC_PUBLISH, null, this.opts.name),
        );
      }
      out.outbound.push(...w.command(0, 'createStream', TX.CREATE_STREAM, null));
      this.clientPhase = 'creatingStream';
      return;
    }
    if (name === '_result' && tx === TX.CREATE_STREAM && this.clientPhase === 'creatingStream') {
      if (typeof args[0] !== 'number') throw new ProtocolError('createStream result carries no stream id');
      this.id = args[0];
      this.clientPhase = 'starting';
      if (this.opts.mode === 'publish') {
        out.outbound.push(...w.command(this.id, 'publish', 0, null, this.opts.name, 'live'));
      } else {
        out.outbound.push(...w.command(this.id, 'play', 0, null, this.opts.name, this.opts.playStart ?? -2));
      }
      return;
    }
    if (name === '_error' && tx === TX.CONNECT) {
      const info = asAmfObject(args[0]) ?? {};
      out.events.push({ type: 'rejected', code: String(info.code ?? STATUS.CONNECT_REJECTED), description: String(info.description ?? '') });
      this.clientPhase = 'closed';
      return;
    }
    if (name === 'onStatus') {
      const info = asAmfObject(args[0]) ?? {};
      const code = String(info.code ?? '');
      const level = String(info.level ?? '');
      const description = String(info.description ?? '');
      out.events.push({ type: 'status', level, code, description });
      if (this.clientPhase === 'starting' && (code === STATUS.PUBLISH_START || code === STATUS.PLAY_START)) {
        this.clientPhase = 'ready';
        out.events.push({ type: 'ready', streamId: this.id });
      } else if (level === 'error' && this.clientPhase === 'starting') {
        out.events.push({ type: 'rejected', code, description });
        this.clientPhase = 'closed';
      }
    }
  }
}
