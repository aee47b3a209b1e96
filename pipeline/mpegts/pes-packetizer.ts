// One PES packet split into transport packets (ISO/IEC 13818-1 §2.4.3.2–§2.4.3.5): the first
// packet starts the PES, the last is filled by adaptation-field stuffing, payload is bulk-copied.
import { adaptationFieldSize, NO_ADAPTATION_FLAGS, writeAdaptationField, type AdaptationFieldFlags } from './adaptation-field.js';
import type { ContinuityCounters } from './continuity-counters.js';
import { pesHeaderSize, writePesHeader, type PesHeaderFields } from './pes-packet.js';
import { writeTsHeader } from './ts-packet.js';
import {
  ADAPTATION_FIELD_CONTROL_BOTH,
  ADAPTATION_FIELD_CONTROL_PAYLOAD_ONLY,
  CONTINUITY_COUNTER_MODULUS,
  TS_HEADER_SIZE,
  TS_PACKET_SIZE,
  TS_PAYLOAD_SIZE,
} from './ts-constants.js';

export interface PesLayout {
  /** Transport packets the PES takes. */
  readonly packets: number;
  /** Stuffing bytes in the last packet's adaptation field (0–183). */
  readonly stuffing: number;
}

/**
 * Packets for a PES of `pesLength` bytes whose first packet carries an adaptation field of
 * `firstFieldSize` bytes: as few as hold it, the room left over being stuffing (§2.4.3.5:
 * stuffing in PES-carrying packets is done with the adaptation field, never inside the PES).
 */
export function pesLayout(pesLength: number, firstFieldSize: number): PesLayout {
  const firstRoom = TS_PAYLOAD_SIZE - firstFieldSize;
  const packets = pesLength <= firstRoom ? 1 : 1 + Math.ceil((pesLength - firstRoom) / TS_PAYLOAD_SIZE);
  return { packets, stuffing: packets * TS_PAYLOAD_SIZE - firstFieldSize - pesLength };
}

/** Bytes `writePesPackets` will write for this header, payload and first-packet flags. */
export function pesPacketsSize(header: PesHeaderFields, firstFlags: AdaptationFieldFlags): number {
  return pesLayout(pesHeaderSize(header) + header.payloadLength, adaptationFieldSize(firstFlags)).packets * TS_PACKET_SIZE;
}

/**
 * Writes the PES (header, then `payload`, whose total length must be header.payloadLength) as
 * transport packets at `at` on `pid`; the first packet carries `firstFlags` in its adaptation
 * field. Returns the bytes written.
 *
 * The payload views are first copied whole, one after another, to the end of the PES's packets;
 * each packet's share is then moved down to its place (copyWithin, a memmove) before that
 * packet's headers are written in front of it. Nothing is allocated per packet (a subarray per
 * 184 bytes was most of the muxer's garbage). A share never moves up: it starts after the headers
 * of the packets still to come, and lands after its own packet's headers only.
 */
export function writePesPackets(
  out: Uint8Array,
  at: number,
  pid: number,
  counters: ContinuityCounters,
  header: PesHeaderFields,
  payload: readonly Uint8Array[],
  firstFlags: AdaptationFieldFlags,
): number {
  const headerSize = pesHeaderSize(header);
  const firstFieldSize = adaptationFieldSize(firstFlags);
  const { packets, stuffing } = pesLayout(headerSize + header.payloadLength, firstFieldSize);
  const end = at + packets * TS_PACKET_SIZE;
  let source = end - header.payloadLength;
  for (let v = 0, p = source; v < payload.length; p += payload[v].length, v++) out.set(payload[v], p);
  // Every packet carries payload, so each advances the PID's counter (§2.4.3.3): taken once here.
  const firstCounter = counters.peek(pid);
  counters.set(pid, (firstCounter + packets) % CONTINUITY_COUNTER_MODULUS);
  for (let i = 0; i < packets; i++) {
    const start = at + i * TS_PACKET_SIZE;
    const fieldSize = (i === 0 ? firstFieldSize : 0) + (i === packets - 1 ? stuffing : 0);
    const payloadStart = start + TS_HEADER_SIZE + fieldSize + (i === 0 ? headerSize : 0);
    const share = start + TS_PACKET_SIZE - payloadStart;
    if (source !== payloadStart) out.copyWithin(payloadStart, source, source + share);
    source += share;
    const control = fieldSize > 0 ? ADAPTATION_FIELD_CONTROL_BOTH : ADAPTATION_FIELD_CONTROL_PAYLOAD_ONLY;
    writeTsHeader(out, start, pid, i === 0, control, (firstCounter + i) % CONTINUITY_COUNTER_MODULUS);
    let p = start + TS_HEADER_SIZE;
    if (fieldSize > 0) {
      writeAdaptationField(out, p, fieldSize, i === 0 ? firstFlags : NO_ADAPTATION_FLAGS);
      p += fieldSize;
    }
    if (i === 0) writePesHeader(out, p, header);
  }
  return packets * TS_PACKET_SIZE;
}
