// RTMP data messages (RTMP 1.0 §7.1.2): type 18 (AMF0) and type 15 (AMF3), and stream metadata.
import { ProtocolError } from '../../core/errors.js';
import { openAmfBody } from '../amf/amf-message-body.js';
import { amfPropertiesOf, describeAmfValue } from '../amf/amf-types.js';
import type { AmfObject, AmfValue } from '../amf/amf-value.js';
import { Amf0Encoder } from '../amf/amf0-encoder.js';
import { MESSAGE_TYPE } from './message-types.js';

/** The handler name a publisher uses to ask the server to keep a data frame for players. */
export const SET_DATA_FRAME = '@setDataFrame';
/** The data frame carrying stream metadata (FLV spec, onMetaData). */
export const ON_META_DATA = 'onMetaData';

/** A data message: a handler name, then its values (e.g. onMetaData, an ECMA array). */
export interface DataMessage {
  name: string;
  values: AmfValue[];
}

/** Decodes a type 18 (AMF0) or type 15 (AMF3 form) data body; the name must be a string. */
export function decodeDataMessage(typeId: number, payload: Uint8Array): DataMessage {
  const what = 'RTMP data message';
  const types = { typeId, amf0Type: MESSAGE_TYPE.DATA_AMF0, amf3Type: MESSAGE_TYPE.DATA_AMF3 };
  const decoder = openAmfBody(payload, types, what);
  const name = decoder.readValue();
  if (typeof name !== 'string') {
    throw new ProtocolError(`${what}: the handler name is a ${describeAmfValue(name)}, not a string`, { typeId });
  }
  return { name, values: decoder.readRemaining(`${what} "${name}" values`) };
}

/** Encodes a data message as a type 18 (AMF0) body (see encodeCommandMessage for why AMF0). */
export function encodeDataMessage(msg: DataMessage): Uint8Array {
  const encoder = new Amf0Encoder();
  encoder.writeValue(msg.name);
  for (const value of msg.values) encoder.writeValue(value);
  return encoder.finish();
}

/**
 * The form players receive of a frame a publisher set: @setDataFrame("onMetaData", m) becomes
 * onMetaData(m), as RTMP servers forward it. A publisher's bare onMetaData(m) is already in that
 * form and is returned as is. Any other message gives undefined.
 */
export function metadataForPlayers(msg: DataMessage): DataMessage | undefined {
  if (msg.name === SET_DATA_FRAME && msg.values[0] === ON_META_DATA) {
    return { name: ON_META_DATA, values: msg.values.slice(1) };
  }
  return msg.name === ON_META_DATA ? msg : undefined;
}

/**
 * The properties of an onMetaData message (player form, see metadataForPlayers), whether sent
 * as an ECMA array (ffmpeg, OBS) or as an object; undefined when there are none.
 */
export function metadataProperties(msg: DataMessage): AmfObject | undefined {
  return msg.name === ON_META_DATA ? amfPropertiesOf(msg.values[0]) : undefined;
}
