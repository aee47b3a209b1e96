// RTMP command messages (RTMP 1.0 §7.1.1): type 20 (AMF0) and type 17 (AMF3), decode and encode.
import { ProtocolError } from '../../core/errors.js';
import { openAmfBody } from '../amf/amf-message-body.js';
import { describeAmfValue } from '../amf/amf-types.js';
import type { AmfValue } from '../amf/amf-value.js';
import { Amf0Encoder } from '../amf/amf0-encoder.js';
import { MESSAGE_TYPE } from './message-types.js';

/** A command: name, transaction id, command object (null when there is none), then arguments. */
export interface CommandMessage {
  name: string;
  transactionId: number;
  commandObject: AmfValue;
  args: AmfValue[];
}

/**
 * Decodes a type 20 (AMF0) or type 17 (AMF3 form) command body. The name must be a string and
 * the transaction id a number (ProtocolError otherwise); any value type may follow.
 */
export function decodeCommandMessage(typeId: number, payload: Uint8Array): CommandMessage {
  const what = 'RTMP command message';
  const types = { typeId, amf0Type: MESSAGE_TYPE.COMMAND_AMF0, amf3Type: MESSAGE_TYPE.COMMAND_AMF3 };
  const decoder = openAmfBody(payload, types, what);
  const name = decoder.readValue();
  if (typeof name !== 'string') {
    throw new ProtocolError(`${what}: the command name is a ${describeAmfValue(name)}, not a string`, { typeId });
  }
  const transactionId = decoder.readValue();
  if (typeof transactionId !== 'number') {
    throw new ProtocolError(`${what} "${name}": the transaction id is a ${describeAmfValue(transactionId)}, not a number`, {
      typeId,
      name,
    });
  }
  // A command that stops after its transaction id carries no command object: read it as null,
  // the value §7.2 prescribes when there is nothing to send.
  const commandObject = decoder.atEnd ? null : decoder.readValue();
  const args = decoder.readRemaining(`${what} "${name}" arguments`);
  return { name, transactionId, commandObject, args };
}

/**
 * Encodes a command as a type 20 (AMF0) body. Onramp answers in AMF0 even to a client that
 * connected with objectEncoding 3: Flash Player reads type 20 whatever it asked for, and
 * librtmp, ffmpeg and OBS read nothing else. A value AMF0 has no type for (ByteArray, Vector,
 * Dictionary, E4X XML) is still sent, as AMF3 behind the avmplus-object marker: the one place
 * where AMF3 is needed, and what Flash Player itself writes in a type 20 body.
 */
export function encodeCommandMessage(cmd: CommandMessage): Uint8Array {
  const encoder = new Amf0Encoder();
  encoder.writeValue(cmd.name).writeValue(cmd.transactionId).writeValue(cmd.commandObject);
  for (const arg of cmd.args) encoder.writeValue(arg);
  return encoder.finish();
}
