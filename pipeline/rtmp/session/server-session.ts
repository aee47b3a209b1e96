// The server side of an RTMP connection as a sans-I/O state machine (RTMP 1.0 §7.2):
// handshake → awaitConnect → connectPending → connected (with NetStreams) → closed.
// The service feeds received bytes and takes decisions (accept/reject); every call returns
// the bytes to send. Messages that arrive while a decision is pending wait in order.
import { LimitError, ProtocolError } from '../../core/errors.js';
import type { AmfValue } from '../amf/amf-value.js';
import { decodeCommandMessage, type CommandMessage } from '../messages/command-message.js';
import { MESSAGE_TYPE, type RawMessage } from '../messages/message-types.js';
import { PEER_BANDWIDTH_LIMIT } from '../messages/protocol-control.js';
import { USER_CONTROL_EVENT } from '../messages/user-control.js';
import { readConnectRequest } from './connect-request.js';
import { publisherDataEvent } from './publisher-data.js';
import { IDLE, splitQuery, type NetStreamPhase } from './net-stream.js';
import type { PublishType, SessionEvent } from './session-events.js';
import { SessionTransport } from './session-transport.js';
import { STATUS } from './status-codes.js';
import { CAPABILITIES, FMS_VERSION, MAX_NET_STREAMS, MAX_PENDING_MESSAGES, type ConnectionPhase, type ServerSessionOptions, type SessionOutput } from './server-session-options.js';

export { MAX_NET_STREAMS, MAX_PENDING_MESSAGES, type ConnectionPhase, type ServerSessionOptions, type SessionOutput } from './server-session-options.js';

export class ServerSession {
  private connPhase: ConnectionPhase = 'handshake';
  private readonly transport: SessionTransport;
  private readonly streams = new Map<number, NetStreamPhase>();
  private nextStreamId = 1;
  private connectTransactionId = 1;
  private objectEncoding: 0 | 3 = 0;
  private clientFourCcs: readonly string[] = [];
  private pending: RawMessage[] = [];

  constructor(private readonly opts: ServerSessionOptions) {
    this.transport = new SessionTransport('server', opts);
  }

  get phase(): ConnectionPhase {
    return this.connPhase;
  }

  get handshakeScheme(): string | undefined {
    return this.transport.handshakeScheme;
  }

  streamPhase(streamId: number): NetStreamPhase | undefined {
    return this.streams.get(streamId);
  }

  /** Feeds received bytes. Throws a PipelineError on a protocol violation: close the connection. */
  receive(bytes: Uint8Array): SessionOutput {
    const out: SessionOutput = { events: [], outbound: [] };
    if (this.connPhase === 'closed') return out;
    const t = this.transport.receive(bytes);
    out.outbound.push(...t.outbound);
    if (this.connPhase === 'handshake' && this.transport.handshakeDone) this.connPhase = 'awaitConnect';
    if (t.pingRoundTripMs !== undefined) out.events.push({ type: 'pingResponse', roundTripMs: t.pingRoundTripMs });
    for (const msg of t.messages) this.dispatch(msg, out);
    return out;
  }

  acceptConnect(): SessionOutput {
    this.expectPhase('connectPending', 'acceptConnect');
    const out: SessionOutput = { events: [], outbound: [] };
    const w = this.transport.writer;
    out.outbound.push(
      ...w.windowAckSize(this.opts.windowAckSize),
      ...w.setPeerBandwidth(this.opts.windowAckSize, PEER_BANDWIDTH_LIMIT.DYNAMIC),
      ...w.setChunkSize(this.opts.chunkSize),
    );
    const info: Record<string, AmfValue> = {
      level: 'status',
      code: STATUS.CONNECT_SUCCESS,
      description: 'Connection succeeded.',
      objectEncoding: this.objectEncoding,
    };
    const props: Record<string, AmfValue> = { fmsVer: FMS_VERSION, capabilities: CAPABILITIES, mode: 1 };
    // Enhanced RTMP v1: answer a client's fourCcList with the codecs this server takes.
    if (this.clientFourCcs.length > 0 && this.opts.fourCcList) props.fourCcList = [...this.opts.fourCcList];
    out.outbound.push(...w.command(0, '_result', this.connectTransactionId, props, info));
    this.connPhase = 'connected';
    this.drainPending(out);
    return out;
  }

  rejectConnect(description: string): Uint8Array[] {
    this.expectPhase('connectPending', 'rejectConnect');
    this.connPhase = 'closed';
    this.pending = [];
    return this.transport.writer.command(0, '_error', this.connectTransactionId, null, {
      level: 'error',
      code: STATUS.CONNECT_REJECTED,
      description,
    });
  }

  acceptPublish(streamId: number): SessionOutput {
    const name = this.pendingName(streamId, 'publishPending');
    const out: SessionOutput = { events: [], outbound: [] };
    this.streams.set(streamId, { kind: 'publishing', name });
    out.outbound.push(
      ...this.transport.writer.userControl({ type: USER_CONTROL_EVENT.STREAM_BEGIN, streamId }),
      ...this.transport.writer.onStatus(streamId, 'status', STATUS.PUBLISH_START, `${name} is now published.`, { details: name }),
    );
    this.drainPending(out);
    return out;
  }

  rejectPublish(streamId: number, code: string, description: string): SessionOutput {
    this.pendingName(streamId, 'publishPending');
    const out: SessionOutput = { events: [], outbound: [] };
    this.streams.set(streamId, IDLE);
    // Media sent before the answer has nowhere to go.
    this.pending = this.pending.filter((m) => !(m.streamId === streamId && isMediaOrData(m.typeId)));
    out.outbound.push(...this.transport.writer.onStatus(streamId, 'error', code, description));
    this.drainPending(out);
    return out;
  }

  acceptPlay(streamId: number, opts: { reset: boolean }): SessionOutput {
    const name = this.pendingName(streamId, 'playPending');
    const out: SessionOutput = { events: [], outbound: [] };
    const w = this.transport.writer;
    this.streams.set(streamId, { kind: 'playing', name, paused: false });
    out.outbound.push(...w.userControl({ type: USER_CONTROL_EVENT.STREAM_BEGIN, streamId }));
    if (opts.reset) out.outbound.push(...w.onStatus(streamId, 'status', STATUS.PLAY_RESET, `Playing and resetting ${name}.`, { details: name }));
    out.outbound.push(
      ...w.onStatus(streamId, 'status', STATUS.PLAY_START, `Started playing ${name}.`, { details: name }),
      ...w.data(streamId, '|RtmpSampleAccess', [true, true]),
      ...w.onStatus(streamId, 'status', STATUS.DATA_START, 'Data start.'),
    );
    this.drainPending(out);
    return out;
  }

  rejectPlay(streamId: number, code: string, description: string): SessionOutput {
    this.pendingName(streamId, 'playPending');
    const out: SessionOutput = { events: [], outbound: [] };
    this.streams.set(streamId, IDLE);
    out.outbound.push(...this.transport.writer.onStatus(streamId, 'error', code, description));
    this.drainPending(out);
    return out;
  }

  /** Audio, video or data for a playing stream; nothing while it is paused or not playing. */
  sendMedia(streamId: number, typeId: number, timestamp: number, payload: Uint8Array): Uint8Array[] {
    const s = this.streams.get(streamId);
    if (!s || s.kind !== 'playing' || s.paused) return [];
    return this.transport.writer.media(streamId, typeId, timestamp, payload);
  }

  /** Tells a player that a publisher started (or restarted) on its stream. */
  publishNotify(streamId: number): Uint8Array[] {
    const s = this.streams.get(streamId);
    if (!s || s.kind !== 'playing') return [];
    return [
      ...this.transport.writer.userControl({ type: USER_CONTROL_EVENT.STREAM_BEGIN, streamId }),
      ...this.transport.writer.onStatus(streamId, 'status', STATUS.PLAY_PUBLISH_NOTIFY, `${s.name} is now published.`, { details: s.name }),
    ];
  }

  /** Tells a player that its publisher stopped; the player stays attached and waits. */
  unpublishNotify(streamId: number): Uint8Array[] {
    const s = this.streams.get(streamId);
    if (!s || s.kind !== 'playing') return [];
    return [
      ...this.transport.writer.onStatus(streamId, 'status', STATUS.PLAY_UNPUBLISH_NOTIFY, `${s.name} is now unpublished.`, { details: s.name }),
      ...this.transport.writer.userControl({ type: USER_CONTROL_EVENT.STREAM_EOF, streamId }),
    ];
  }

  /** Ends a publish from the server side (a takeover or shutdown), with a status for the client. */
  stopPublish(streamId: number, code: string, description: string): Uint8Array[] {
    const s = this.streams.get(streamId);
    if (!s || s.kind !== 'publishing') return [];
    this.streams.set(streamId, IDLE);
    return this.transport.writer.onStatus(streamId, 'error', code, description);
  }

  ping(): Uint8Array[] {
    return this.connPhase === 'connected' ? this.transport.ping() : [];
  }

  close(): void {
    this.connPhase = 'closed';
    this.pending = [];
  }

  private get waiting(): boolean {
    if (this.connPhase === 'connectPending') return true;
    for (const s of this.streams.values()) if (s.kind === 'publishPending' || s.kind === 'playPending') return true;
    return false;
  }

  private dispatch(msg: RawMessage, out: SessionOutput): void {
    if (this.connPhase === 'closed') return;
    if (this.waiting) {
      if (this.pending.length >= MAX_PENDING_MESSAGES) {
        throw new LimitError(`more than ${MAX_PENDING_MESSAGES} messages sent while a request was pending`);
      }
      this.pending.push(msg);
      return;
    }
    switch (msg.typeId) {
      case MESSAGE_TYPE.COMMAND_AMF0:
      case MESSAGE_TYPE.COMMAND_AMF3:
        this.handleCommand(decodeCommandMessage(msg.typeId, msg.payload), msg.streamId, out);
        return;
      case MESSAGE_TYPE.DATA_AMF0:
      case MESSAGE_TYPE.DATA_AMF3:
        this.handleData(msg, out);
        return;
      case MESSAGE_TYPE.AUDIO:
      case MESSAGE_TYPE.VIDEO:
        if (this.isPublishing(msg.streamId)) {
          out.events.push({ type: 'media', streamId: msg.streamId, typeId: msg.typeId, timestamp: msg.timestamp, payload: msg.payload });
        } else {
          out.events.push({ type: 'notice', message: `media (type ${msg.typeId}) on stream ${msg.streamId}, which is not publishing: dropped` });
        }
        return;
      default:
        out.events.push({ type: 'notice', message: `message type ${msg.typeId} is not supported: ignored` });
    }
  }

  private drainPending(out: SessionOutput): void {
    while (this.pending.length > 0 && !this.waiting && this.connPhase !== 'closed') {
      this.dispatch(this.pending.shift() as RawMessage, out);
    }
  }

  private handleCommand(cmd: CommandMessage, streamId: number, out: SessionOutput): void {
    if (this.connPhase === 'awaitConnect') {
      if (cmd.name !== 'connect') throw new ProtocolError(`"${cmd.name}" before connect`, { command: cmd.name });
      const request = readConnectRequest(cmd.commandObject);
      this.connectTransactionId = cmd.transactionId;
      this.objectEncoding = request.objectEncoding;
      this.clientFourCcs = request.fourCcList;
      this.connPhase = 'connectPending';
      out.events.push({ type: 'connect', request });
      return;
    }
    const w = this.transport.writer;
    const arg = (i: number): AmfValue => cmd.args[i];
    switch (cmd.name) {
      case 'connect':
        throw new ProtocolError('connect received twice on one connection');
      case 'createStream': {
        if (this.streams.size >= MAX_NET_STREAMS) {
          out.outbound.push(...w.command(0, '_error', cmd.transactionId, null, { level: 'error', code: STATUS.CALL_FAILED, description: `at most ${MAX_NET_STREAMS} streams per connection` }));
          return;
        }
        const id = this.nextStreamId++;
        this.streams.set(id, IDLE);
        out.outbound.push(...w.command(0, '_result', cmd.transactionId, null, id));
        return;
      }
      case 'releaseStream':
      case 'FCPublish':
      case '_checkbw':
        if (cmd.transactionId > 0) out.outbound.push(...w.command(0, '_result', cmd.transactionId, null, undefined));
        return;
      case 'FCUnpublish': {
        if (cmd.transactionId > 0) out.outbound.push(...w.command(0, '_result', cmd.transactionId, null, undefined));
        const name = typeof arg(0) === 'string' ? splitQuery(arg(0) as string).name : undefined;
        for (const [id, s] of this.streams) {
          if (s.kind === 'publishing' && (name === undefined || s.name === name)) this.endStream(id, 'FCUnpublish', out);
        }
        return;
      }
      case 'publish':
        this.handlePublish(streamId, arg(0), arg(1), out);
        return;
      case 'play':
        this.handlePlay(streamId, cmd.args, out);
        return;
      case 'deleteStream': {
        const id = typeof arg(0) === 'number' ? (arg(0) as number) : streamId;
        if (this.streams.has(id)) {
          this.endStream(id, 'deleteStream', out);
          this.streams.delete(id);
        }
        return;
      }
      case 'closeStream':
        if (this.streams.has(streamId)) this.endStream(streamId, 'closeStream', out);
        return;
      case 'pause':
        this.handlePause(streamId, arg(0), arg(1), out);
        return;
      case 'receiveAudio':
      case 'receiveVideo':
        out.events.push({ type: 'receive', streamId, kind: cmd.name === 'receiveAudio' ? 'audio' : 'video', enabled: arg(0) !== false });
        return;
      case 'getStreamLength':
        // Live streams have no length (FMS answers 0 for them).
        out.outbound.push(...w.command(0, '_result', cmd.transactionId, null, 0));
        return;
      case '_result':
      case '_error':
      case 'onStatus':
      case 'onBWDone':
      case '_onbwcheck':
      case '_onbwdone':
        return;
      default:
        if (cmd.transactionId > 0) {
          out.outbound.push(...w.command(0, '_error', cmd.transactionId, null, { level: 'error', code: STATUS.CALL_FAILED, description: `Method not found (${cmd.name}).` }));
        }
        out.events.push({ type: 'notice', message: `unknown command "${cmd.name}": answered with an error` });
    }
  }

  private handlePublish(streamId: number, nameArg: AmfValue, typeArg: AmfValue, out: SessionOutput): void {
    const s = this.streams.get(streamId);
    if (!s) throw new ProtocolError(`publish on stream ${streamId}, which was not created`, { streamId });
    if (s.kind !== 'idle') {
      out.outbound.push(...this.transport.writer.onStatus(streamId, 'error', STATUS.PUBLISH_BAD_NAME, `stream ${streamId} is already ${s.kind}`));
      return;
    }
    const { name, query } = splitQuery(typeof nameArg === 'string' ? nameArg : '');
    if (name === '') {
      out.outbound.push(...this.transport.writer.onStatus(streamId, 'error', STATUS.PUBLISH_BAD_NAME, 'publish needs a stream name (the stream key)'));
      return;
    }
    const publishType: PublishType = typeArg === 'record' || typeArg === 'append' ? typeArg : 'live';
    this.streams.set(streamId, { kind: 'publishPending', name });
    out.events.push({ type: 'publish', streamId, name, query, publishType });
  }

  private handlePlay(streamId: number, args: AmfValue[], out: SessionOutput): void {
    const s = this.streams.get(streamId);
    if (!s) throw new ProtocolError(`play on stream ${streamId}, which was not created`, { streamId });
    const { name, query } = splitQuery(typeof args[0] === 'string' ? args[0] : '');
    if (s.kind !== 'idle' || name === '') {
      const why = name === '' ? 'play needs a stream name' : `stream ${streamId} is already ${s.kind}`;
      out.outbound.push(...this.transport.writer.onStatus(streamId, 'error', STATUS.PLAY_FAILED, why));
      return;
    }
    const start = typeof args[1] === 'number' ? args[1] : -2;
    const durationMs = typeof args[2] === 'number' ? args[2] : -1;
    const reset = args[3] !== false;
    this.streams.set(streamId, { kind: 'playPending', name });
    out.events.push({ type: 'play', streamId, name, query, start, durationMs, reset });
  }

  private handlePause(streamId: number, pausedArg: AmfValue, positionArg: AmfValue, out: SessionOutput): void {
    const s = this.streams.get(streamId);
    if (!s || s.kind !== 'playing') return;
    const paused = pausedArg === true;
    const positionMs = typeof positionArg === 'number' ? positionArg : 0;
    this.streams.set(streamId, { ...s, paused });
    const code = paused ? STATUS.PAUSE_NOTIFY : STATUS.UNPAUSE_NOTIFY;
    out.outbound.push(...this.transport.writer.onStatus(streamId, 'status', code, `${paused ? 'Paused' : 'Unpaused'} ${s.name}.`, { details: s.name }));
    out.events.push({ type: 'pause', streamId, paused, positionMs });
  }

  /** Stops whatever a stream was doing, reporting unpublish or stopPlay once. */
  private endStream(streamId: number, reason: 'FCUnpublish' | 'closeStream' | 'deleteStream', out: SessionOutput): void {
    const s = this.streams.get(streamId);
    if (!s) return;
    if (s.kind === 'publishing') {
      out.outbound.push(...this.transport.writer.onStatus(streamId, 'status', STATUS.UNPUBLISH_SUCCESS, `${s.name} is now unpublished.`, { details: s.name }));
      out.events.push({ type: 'unpublish', streamId, reason });
    } else if (s.kind === 'playing' && reason !== 'FCUnpublish') {
      out.events.push({ type: 'stopPlay', streamId, reason });
    }
    this.streams.set(streamId, IDLE);
  }

  private handleData(msg: RawMessage, out: SessionOutput): void {
    if (this.isPublishing(msg.streamId)) out.events.push(publisherDataEvent(msg));
    else out.events.push({ type: 'notice', message: `data message on stream ${msg.streamId}, which is not publishing: dropped` });
  }

  private isPublishing(streamId: number): boolean {
    return this.streams.get(streamId)?.kind === 'publishing';
  }

  private pendingName(streamId: number, kind: 'publishPending' | 'playPending'): string {
    const s = this.streams.get(streamId);
    if (!s || s.kind !== kind) throw new Error(`no ${kind} decision is due on stream ${streamId}`);
    return s.name;
  }

  private expectPhase(phase: ConnectionPhase, call: string): void {
    if (this.connPhase !== phase) throw new Error(`${call}() in phase ${this.connPhase}`);
  }
}

function isMediaOrData(typeId: number): boolean {
  return typeId === MESSAGE_TYPE.AUDIO || typeId === MESSAGE_TYPE.VIDEO || typeId === MESSAGE_TYPE.DATA_AMF0 || typeId === MESSAGE_TYPE.DATA_AMF3;
}
