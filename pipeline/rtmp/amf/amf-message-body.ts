// The AMF body of RTMP command and data messages (RTMP 1.0 §7.1.1, §7.1.2): AMF0, or AMF3 form.
import { ByteReader } from '../../core/byte-reader.js';
import { ProtocolError, UnsupportedError } from '../../core/errors.js';
import { Amf0Decoder } from './amf0-decoder.js';

/** Type 17 and 15 bodies start with this format byte, then AMF0 values that may switch to AMF3. */
export const AMF3_BODY_FORMAT_BYTE = 0x00;

/**
 * Opens the AMF body of a command or data message. An AMF3-form body (type 17/15) is AMF0
 * after a 0x00 format byte, each AMF3 value announced by the avmplus-object marker (AMF0 spec
 * §3.1). One decoder per body keeps the AMF0 and AMF3 reference tables for the whole body.
 */
export function openAmfBody(
  payload: Uint8Array,
  types: { readonly typeId: number; readonly amf0Type: number; readonly amf3Type: number },
  what: string,
): Amf0Decoder {
  const reader = new ByteReader(payload, what);
  if (types.typeId === types.amf3Type) {
    const format = reader.u8();
    if (format !== AMF3_BODY_FORMAT_BYTE) {
      throw new ProtocolError(`${what}: format byte 0x${format.toString(16).padStart(2, '0')}, expected 0x00`, {
        typeId: types.typeId,
        format,
      });
    }
  } else if (types.typeId !== types.amf0Type) {
    throw new UnsupportedError(
      `${what}: message type ${types.typeId} is neither ${types.amf0Type} (AMF0) nor ${types.amf3Type} (AMF3)`,
      { typeId: types.typeId },
    );
  }
  return new Amf0Decoder(reader);
}
