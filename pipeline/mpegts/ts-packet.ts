// The 4-byte transport packet header (ISO/IEC 13818-1 §2.4.3.2, §2.4.3.3) and the PCR-only packet.
import { writeAdaptationField } from './adaptation-field.js';
import { ADAPTATION_FIELD_CONTROL_ADAPTATION_ONLY, TS_HEADER_SIZE, TS_PAYLOAD_SIZE, TS_SYNC_BYTE } from './ts-constants.js';

/**
 * Writes sync_byte, payload_unit_start_indicator, PID, adaptation_field_control and
 * continuity_counter at `at`. transport_error_indicator, transport_priority and
 * transport_scrambling_control are always 0: Onramp's segments are unscrambled.
 */
export function writeTsHeader(
  out: Uint8Array,
  at: number,
  pid: number,
  payloadUnitStart: boolean,
  adaptationFieldControl: number,
  continuityCounter: number,
): void {
  out[at] = TS_SYNC_BYTE;
  out[at + 1] = (payloadUnitStart ? 0x40 : 0) | ((pid >> 8) & 0x1f);
  out[at + 2] = pid & 0xff;
  out[at + 3] = ((adaptationFieldControl & 0b11) << 4) | (continuityCounter & 0x0f);
}

/**
 * Writes an adaptation-field-only packet (adaptation_field_control '10') that carries just a PCR:
 * how PCRs stay ≤ 100 ms apart when no PES starts in time (§2.7.2). Its continuity_counter must
 * repeat the previous packet's value, as no payload follows (§2.4.3.3).
 */
export function writePcrOnlyPacket(out: Uint8Array, at: number, pid: number, continuityCounter: number, pcrBase: number): void {
  writeTsHeader(out, at, pid, false, ADAPTATION_FIELD_CONTROL_ADAPTATION_ONLY, continuityCounter);
  writeAdaptationField(out, at + TS_HEADER_SIZE, TS_PAYLOAD_SIZE, { pcrBase });
}
