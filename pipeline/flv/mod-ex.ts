// E-RTMP v2 ModEx: the packet-type modifier loop shared by ExAudioTagHeader and ExVideoTagHeader.
import { ProtocolError } from '../core/errors.js';
import type { ByteReader } from '../core/byte-reader.js';
import type { ByteWriter } from '../core/byte-writer.js';
import {
  MAX_TIMESTAMP_OFFSET_NS,
  MOD_EX_SIZE_ESCAPE,
  PACKET_MOD_EX_TYPE,
  TIMESTAMP_OFFSET_NANO_SIZE,
} from './flv-constants.js';

/** The packet type that follows the ModEx entries, and what they said. */
export interface ModExResult {
  readonly packetType: number;
  readonly timestampOffsetNs: number | undefined;
}

/**
 * Reads ModEx entries while `packetType` is `modExPacketType` (7 for audio and video):
 * modExDataSize = UI8 + 1 (UI16 + 1 when that is 256), modExData, then
 * UB[4] PacketModExType and UB[4] the next packet type. Entries of unknown ModEx types are
 * skipped: their data is sized, so the rest of the packet stays readable.
 */
export function readModEx(r: ByteReader, packetType: number, modExPacketType: number): ModExResult {
  let type = packetType;
  let timestampOffsetNs: number | undefined;
  while (type === modExPacketType) {
    let modExDataSize = r.u8() + 1;
    if (modExDataSize === MOD_EX_SIZE_ESCAPE) modExDataSize = r.u16() + 1;
    const modExData = r.bytesView(modExDataSize);
    const next = r.u8();
    const modExType = next >> 4;
    type = next & 0x0f;
    if (modExType === PACKET_MOD_EX_TYPE.TIMESTAMP_OFFSET_NANO) {
      if (modExData.length < TIMESTAMP_OFFSET_NANO_SIZE) {
        throw new ProtocolError(`E-RTMP ModEx: TimestampOffsetNano needs ${TIMESTAMP_OFFSET_NANO_SIZE} bytes, has ${modExData.length}`);
      }
      timestampOffsetNs = (modExData[0] << 16) | (modExData[1] << 8) | modExData[2];
    }
  }
  return { packetType: type, timestampOffsetNs };
}

/** Writes one TimestampOffsetNano entry (after a header whose packet type is ModEx). */
export function writeTimestampOffsetNano(w: ByteWriter, timestampOffsetNs: number, nextPacketType: number): void {
  if (!Number.isInteger(timestampOffsetNs) || timestampOffsetNs < 0 || timestampOffsetNs > MAX_TIMESTAMP_OFFSET_NS) {
    throw new ProtocolError(`E-RTMP ModEx: timestampOffsetNs ${timestampOffsetNs} is not a UI24`);
  }
  w.u8(TIMESTAMP_OFFSET_NANO_SIZE - 1);
  w.u24(timestampOffsetNs);
  w.u8((PACKET_MOD_EX_TYPE.TIMESTAMP_OFFSET_NANO << 4) | nextPacketType);
}

/**
 * Peeks past ModEx entries starting at `offset` (the byte after the one holding `packetType`),
 * without parsing their content. Returns the final packet type and the offset after it, or
 * null when the body ends first.
 */
export function skipModEx(body: Uint8Array, offset: number, packetType: number, modExPacketType: number): { packetType: number; offset: number } | null {
  let at = offset;
  let type = packetType;
  while (type === modExPacketType) {
    if (at >= body.length) return null;
    let size = body[at++] + 1;
    if (size === MOD_EX_SIZE_ESCAPE) {
      if (at + 2 > body.length) return null;
      size = ((body[at] << 8) | body[at + 1]) + 1;
      at += 2;
    }
    at += size;
    if (at >= body.length) return null;
    type = body[at++] & 0x0f;
  }
  return { packetType: type, offset: at };
}
