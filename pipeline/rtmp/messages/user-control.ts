// User Control message bodies, type 4 (RTMP 1.0 §6.2 and the event list of §7.1.7).
import { ProtocolError } from '../../core/errors.js';
import { MESSAGE_TYPE } from './message-types.js';

/** §7.1.7 event types; the event data follows the 2-byte type. */
export const USER_CONTROL_EVENT = {
  STREAM_BEGIN: 0,
  STREAM_EOF: 1,
  STREAM_DRY: 2,
  SET_BUFFER_LENGTH: 3,
  STREAM_IS_RECORDED: 4,
  PING_REQUEST: 6,
  PING_RESPONSE: 7,
} as const;

type StreamEventType =
  | typeof USER_CONTROL_EVENT.STREAM_BEGIN
  | typeof USER_CONTROL_EVENT.STREAM_EOF
  | typeof USER_CONTROL_EVENT.STREAM_DRY
  | typeof USER_CONTROL_EVENT.STREAM_IS_RECORDED;

/** Events whose only data is a message stream id. */
export interface StreamEvent {
  readonly type: StreamEventType;
  readonly streamId: number;
}

/** §7.1.7: the client's buffer length for a stream, sent before it starts playing. */
export interface SetBufferLengthEvent {
  readonly type: typeof USER_CONTROL_EVENT.SET_BUFFER_LENGTH;
  readonly streamId: number;
  readonly bufferLengthMs: number;
}

/** Ping Request and Ping Response carry the requester's local time in ms (mod 2^32). */
export interface PingEvent {
  readonly type: typeof USER_CONTROL_EVENT.PING_REQUEST | typeof USER_CONTROL_EVENT.PING_RESPONSE;
  readonly timestamp: number;
}

/** An event type this module does not know (librtmp's SWF verification 26/27, buffer
 *  empty/ready 31/32, ...): kept as raw data rather than rejected. */
export interface UnknownUserControlEvent {
  readonly type: 'unknown';
  readonly eventType: number;
  readonly data: Uint8Array;
}

export type UserControlEvent = StreamEvent | SetBufferLengthEvent | PingEvent | UnknownUserControlEvent;

/** Bytes of event data each known event type needs. */
const EVENT_DATA_SIZE: Readonly<Record<number, number>> = {
  [USER_CONTROL_EVENT.STREAM_BEGIN]: 4,
  [USER_CONTROL_EVENT.STREAM_EOF]: 4,
  [USER_CONTROL_EVENT.STREAM_DRY]: 4,
  [USER_CONTROL_EVENT.SET_BUFFER_LENGTH]: 8,
  [USER_CONTROL_EVENT.STREAM_IS_RECORDED]: 4,
  [USER_CONTROL_EVENT.PING_REQUEST]: 4,
  [USER_CONTROL_EVENT.PING_RESPONSE]: 4,
};

export function decodeUserControl(payload: Uint8Array): UserControlEvent {
  if (payload.length < 2) {
    throw new ProtocolError(`User Control body of ${payload.length} bytes has no event type`, {
      typeId: MESSAGE_TYPE.USER_CONTROL,
      length: payload.length,
    });
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const eventType = view.getUint16(0);
  const needed = EVENT_DATA_SIZE[eventType];
  if (needed === undefined) return { type: 'unknown', eventType, data: payload.subarray(2) };
  if (payload.length < 2 + needed) {
    throw new ProtocolError(`User Control event ${eventType} needs ${needed} bytes of data, got ${payload.length - 2}`, {
      typeId: MESSAGE_TYPE.USER_CONTROL,
      eventType,
      length: payload.length,
    });
  }
  const value = view.getUint32(2);
  switch (eventType) {
    case USER_CONTROL_EVENT.SET_BUFFER_LENGTH:
      return { type: eventType, streamId: value, bufferLengthMs: view.getUint32(6) };
    case USER_CONTROL_EVENT.PING_REQUEST:
    case USER_CONTROL_EVENT.PING_RESPONSE:
      return { type: eventType, timestamp: value };
    default:
      return { type: eventType as StreamEventType, streamId: value };
  }
}

export function encodeUserControl(event: UserControlEvent): Uint8Array {
  if (event.type === 'unknown') {
    const out = new Uint8Array(2 + event.data.length);
    new DataView(out.buffer).setUint16(0, event.eventType);
    out.set(event.data, 2);
    return out;
  }
  const out = new Uint8Array(2 + EVENT_DATA_SIZE[event.type]);
  const view = new DataView(out.buffer);
  view.setUint16(0, event.type);
  if ('timestamp' in event) {
    view.setUint32(2, event.timestamp >>> 0); // Ping Request / Ping Response
  } else {
    view.setUint32(2, event.streamId >>> 0);
    if (event.type === USER_CONTROL_EVENT.SET_BUFFER_LENGTH) view.setUint32(6, event.bufferLengthMs >>> 0);
  }
  return out;
}
