// Outbound side of a session: turns commands, control and media into chunks (RTMP 1.0 §5.4, §7.1).
import type { AmfObject, AmfValue } from '../amf/amf-value.js';
import { ChunkEncoder } from '../chunk/chunk-encoder.js';
import { encodeCommandMessage } from '../messages/command-message.js';
import { encodeDataMessage } from '../messages/data-message.js';
import { CHUNK_STREAM, MESSAGE_TYPE } from '../messages/message-types.js';
import {
  encodeAcknowledgement,
  encodeSetChunkSize,
  encodeSetPeerBandwidth,
  encodeWindowAckSize,
  type PeerBandwidthLimitType,
} from '../messages/protocol-control.js';
import { encodeUserControl, type UserControlEvent } from '../messages/user-control.js';
import { statusInfo, type StatusLevel } from './status-codes.js';

export class MessageWriter {
  private readonly encoder = new ChunkEncoder();

  get chunkSize(): number {
    return this.encoder.chunkSize;
  }

  /** Sends Set Chunk Size, then switches the encoder to it (§5.4.1). */
  setChunkSize(size: number): Uint8Array[] {
    const out = this.control(MESSAGE_TYPE.SET_CHUNK_SIZE, encodeSetChunkSize(size));
    this.encoder.setChunkSize(size);
    return out;
  }

  windowAckSize(size: number): Uint8Array[] {
    return this.control(MESSAGE_TYPE.WINDOW_ACK_SIZE, encodeWindowAckSize(size));
  }

  setPeerBandwidth(size: number, limitType: PeerBandwidthLimitType): Uint8Array[] {
    return this.control(MESSAGE_TYPE.SET_PEER_BANDWIDTH, encodeSetPeerBandwidth(size, limitType));
  }

  acknowledgement(sequenceNumber: number): Uint8Array[] {
    return this.control(MESSAGE_TYPE.ACKNOWLEDGEMENT, encodeAcknowledgement(sequenceNumber));
  }

  userControl(event: UserControlEvent): Uint8Array[] {
    return this.control(MESSAGE_TYPE.USER_CONTROL, encodeUserControl(event));
  }

  command(streamId: number, name: string, transactionId: number, commandObject: AmfValue, ...args: AmfValue[]): Uint8Array[] {
    const payload = encodeCommandMessage({ name, transactionId, commandObject, args });
    // Commands on a NetStream travel on their own chunk stream so they never wait behind media.
    const chunkStreamId = streamId === 0 ? CHUNK_STREAM.COMMAND : CHUNK_STREAM.DATA;
    return this.encoder.encode({ chunkStreamId, typeId: MESSAGE_TYPE.COMMAND_AMF0, streamId, timestamp: 0, payload });
  }

  /** onStatus on a NetStream (§7.2.2): transaction id 0, null command object, then the info. */
  onStatus(streamId: number, level: StatusLevel, code: string, description: string, extra: AmfObject = {}): Uint8Array[] {
    return this.command(streamId, 'onStatus', 0, null, statusInfo(level, code, description, extra));
  }

  data(streamId: number, name: string, values: AmfValue[], timestamp = 0): Uint8Array[] {
    const payload = encodeDataMessage({ name, values });
    return this.encoder.encode({ chunkStreamId: CHUNK_STREAM.DATA, typeId: MESSAGE_TYPE.DATA_AMF0, streamId, timestamp, payload });
  }

  /** A media or data message passed through untouched (audio 8, video 9, data 18). */
  media(streamId: number, typeId: number, timestamp: number, payload: Uint8Array): Uint8Array[] {
    const chunkStreamId =
      typeId === MESSAGE_TYPE.AUDIO ? CHUNK_STREAM.AUDIO : typeId === MESSAGE_TYPE.VIDEO ? CHUNK_STREAM.VIDEO : CHUNK_STREAM.DATA;
    return this.encoder.encode({ chunkStreamId, typeId, streamId, timestamp, payload });
  }

  private control(typeId: number, payload: Uint8Array): Uint8Array[] {
    return this.encoder.encode({ chunkStreamId: CHUNK_STREAM.PROTOCOL_CONTROL, typeId, streamId: 0, timestamp: 0, payload });
  }
}
