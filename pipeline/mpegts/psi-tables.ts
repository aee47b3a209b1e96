// Program-specific information: the PAT and PMT sections (ISO/IEC 13818-1 §2.4.4.3, §2.4.4.8)
// and their carriage in one transport packet each (§2.4.4.1 pointer_field, §2.4.4.2 stuffing).
import { crc32Mpeg2 } from './crc32-mpeg2.js';
import { writeTsHeader } from './ts-packet.js';
import {
  ADAPTATION_FIELD_CONTROL_PAYLOAD_ONLY,
  TABLE_ID_PAT,
  TABLE_ID_PMT,
  TRANSPORT_STREAM_ID,
  TS_HEADER_SIZE,
  TS_PACKET_SIZE,
} from './ts-constants.js';

/** One elementary stream of the PMT's loop (§2.4.4.8). */
export interface PmtStream {
  readonly streamType: number;
  readonly pid: number;
}

/** version_number of both tables: Onramp never changes a program within one stream. */
const VERSION_NUMBER = 0;
/** table_id through section_length. */
const SECTION_HEADER_SIZE = 3;
/** Fields between section_length and the table body (id, version, section numbers). */
const SECTION_SYNTAX_SIZE = 5;
const CRC_SIZE = 4;
/** After stuffing_byte after the last section of a packet (§2.4.4.2). */
const PSI_STUFFING_BYTE = 0xff;

/** A long-form section around `body`: header, the 16-bit id (tsid or program number), CRC_32. */
function section(tableId: number, idExtension: number, body: readonly number[]): Uint8Array {
  const sectionLength = SECTION_SYNTAX_SIZE + body.length + CRC_SIZE;
  const out = new Uint8Array(SECTION_HEADER_SIZE + sectionLength);
  out[0] = tableId;
  // section_syntax_indicator '1', '0', reserved '11', section_length (12 bits; ≤ 1021, §2.4.4.3).
  out[1] = 0xb0 | (sectionLength >> 8);
  out[2] = sectionLength & 0xff;
  out[3] = idExtension >> 8;
  out[4] = idExtension & 0xff;
  out[5] = 0xc0 | (VERSION_NUMBER << 1) | 0x01; // reserved '11', version_number, current_next_indicator '1'
  out[6] = 0; // section_number
  out[7] = 0; // last_section_number
  out.set(body, 8);
  const crc = crc32Mpeg2(out.subarray(0, out.length - CRC_SIZE));
  new DataView(out.buffer).setUint32(out.length - CRC_SIZE, crc);
  return out;
}

/** program_association_section with one program (§2.4.4.3, Table 2-30). */
export function encodePatSection(programNumber: number, pmtPid: number): Uint8Array {
  return section(TABLE_ID_PAT, TRANSPORT_STREAM_ID, [programNumber >> 8, programNumber & 0xff, 0xe0 | (pmtPid >> 8), pmtPid & 0xff]);
}

/** TS_program_map_section listing exactly `streams`, without descriptors (§2.4.4.8, Table 2-33). */
export function encodePmtSection(programNumber: number, pcrPid: number, streams: readonly PmtStream[]): Uint8Array {
  const body = [0xe0 | (pcrPid >> 8), pcrPid & 0xff, 0xf0, 0x00]; // reserved, PCR_PID; reserved, program_info_length 0
  for (const s of streams) body.push(s.streamType, 0xe0 | (s.pid >> 8), s.pid & 0xff, 0xf0, 0x00); // ES_info_length 0
  return section(TABLE_ID_PMT, programNumber, body);
}

/**
 * Writes one packet carrying `section` at `at`: payload_unit_start_indicator 1, pointer_field 0
 * (§2.4.4.2), the section, then 0xFF stuffing to the end (sections here are far below 183 bytes).
 */
export function writePsiPacket(out: Uint8Array, at: number, pid: number, continuityCounter: number, section: Uint8Array): void {
  writeTsHeader(out, at, pid, true, ADAPTATION_FIELD_CONTROL_PAYLOAD_ONLY, continuityCounter);
  out[at + TS_HEADER_SIZE] = 0; // pointer_field
  out.set(section, at + TS_HEADER_SIZE + 1);
  out.fill(PSI_STUFFING_BYTE, at + TS_HEADER_SIZE + 1 + section.length, at + TS_PACKET_SIZE);
}
