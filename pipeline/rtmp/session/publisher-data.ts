// A publisher's data message as the service sees it (RTMP 1.0 §7.1.2; FLV onMetaData):
// @setDataFrame(name, ...values) is kept and sent to every player without the wrapper,
// @clearDataFrame forgets it, anything else passes through once.
import type { AmfValue } from '../amf/amf-value.js';
import { decodeDataMessage, encodeDataMessage, SET_DATA_FRAME } from '../messages/data-message.js';
import { MESSAGE_TYPE, type RawMessage } from '../messages/message-types.js';
import type { SessionEvent } from './session-events.js';

export function publisherDataEvent(msg: RawMessage): SessionEvent {
  const data = decodeDataMessage(msg.typeId, msg.payload);
  const { streamId, timestamp } = msg;
  if (data.name === '@clearDataFrame') return { type: 'clearData', streamId };
  if (data.name === SET_DATA_FRAME && typeof data.values[0] === 'string') {
    const [name, ...values] = data.values as [string, ...AmfValue[]];
    return { type: 'data', streamId, timestamp, name, values, payload: encodeDataMessage({ name, values }), keep: true };
  }
  // Players get AMF0; an AMF3 data message is re-encoded.
  const payload = msg.typeId === MESSAGE_TYPE.DATA_AMF0 ? msg.payload : encodeDataMessage(data);
  return { type: 'data', streamId, timestamp, name: data.name, values: data.values, payload, keep: data.name === 'onMetaData' };
}
