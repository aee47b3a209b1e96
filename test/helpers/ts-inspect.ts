// An independent MPEG-TS reader for assertions (ISO/IEC 13818-1 §2.4): packets, adaptation
// fields and PCRs, PAT/PMT with CRC checks, PES reassembly with PTS/DTS. Shares no code with
// pipeline/mpegts on purpose, so a bug there cannot hide itself here.

export const PACKET_SIZE = 188;

export interface AdaptationInfo {
  readonly length: number;
  readonly discontinuity: boolean;
  readonly randomAccess: boolean;
  /** program_clock_reference_base (90 kHz, 33 bits) and extension, when PCR_flag is set. */
  readonly pcrBase?: number;
  readonly pcrExtension?: number;
  /** Trailing 0xFF bytes after the flagged fields. */
  readonly stuffing: number;
}

export interface PacketInfo {
  readonly index: number;
  readonly pid: number;
  readonly payloadUnitStart: boolean;
  readonly adaptationFieldControl: number;
  readonly continuityCounter: number;
  readonly adaptation?: AdaptationInfo;
  readonly payload: Uint8Array;
}

export interface Section {
  readonly tableId: number;
  readonly idExtension: number;
  readonly version: number;
  readonly currentNext: boolean;
  readonly sectionNumber: number;
  readonly lastSectionNumber: number;
  readonly body: Uint8Array;
  readonly crcOk: boolean;
}

export interface Pat {
  readonly transportStreamId: number;
  readonly programs: { programNumber: number; pmtPid: number }[];
}

export interface Pmt {
  readonly programNumber: number;
  readonly pcrPid: number;
  readonly streams: { streamType: number; pid: number }[];
}

export interface PesInfo {
  readonly pid: number;
  readonly streamId: number;
  /** PES_packet_length as written (0 = unbounded). */
  readonly packetLength: number;
  readonly dataAlignment: boolean;
  readonly pts?: number;
  readonly dts?: number;
  readonly payload: Uint8Array;
  /** Index of the packet that starts this PES, and its adaptation field. */
  readonly firstPacket: number;
  readonly adaptation?: AdaptationInfo;
  readonly packetCount: number;
}

/** CRC-32/MPEG-2, bit by bit (deliberately unlike the pipeline's table-driven one). */
export function crc32Bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const top = ((crc >>> 31) ^ (byte >> bit)) & 1;
      crc = ((crc << 1) ^ (top ? 0x04c11db7 : 0)) >>> 0;
    }
  }
  return crc >>> 0;
}

function parseAdaptation(p: Uint8Array, length: number): AdaptationInfo {
  if (length === 0) return { length, discontinuity: false, randomAccess: false, stuffing: 0 };
  const flags = p[5];
  let at = 6;
  let pcrBase: number | undefined;
  let pcrExtension: number | undefined;
  if (flags & 0x10) {
    pcrBase = p[at] * 2 ** 25 + p[at + 1] * 2 ** 17 + p[at + 2] * 2 ** 9 + p[at + 3] * 2 + (p[at + 4] >> 7);
    if ((p[at + 4] & 0x7e) !== 0x7e) throw new Error('PCR reserved bits are not all 1');
    pcrExtension = ((p[at + 4] & 1) << 8) | p[at + 5];
    at += 6;
  }
  if (flags & 0x0f) throw new Error('unexpected adaptation field flags (OPCR/splicing/private/extension)');
  const end = 5 + length;
  for (let i = at; i < end; i++) if (p[i] !== 0xff) throw new Error(`adaptation stuffing byte is 0x${p[i].toString(16)}`);
  return { length, discontinuity: (flags & 0x80) !== 0, randomAccess: (flags & 0x40) !== 0, pcrBase, pcrExtension, stuffing: end - at };
}

/** Splits a stream into packets; throws on a wrong size or a missing sync byte. */
export function parsePackets(ts: Uint8Array): PacketInfo[] {
  if (ts.length % PACKET_SIZE !== 0) throw new Error(`stream length ${ts.length} is not a multiple of 188`);
  const out: PacketInfo[] = [];
  for (let index = 0; index * PACKET_SIZE < ts.length; index++) {
    const p = ts.subarray(index * PACKET_SIZE, (index + 1) * PACKET_SIZE);
    if (p[0] !== 0x47) throw new Error(`packet ${index} has no sync byte`);
    if (p[1] & 0x80) throw new Error(`packet ${index} has transport_error_indicator set`);
    if (p[3] & 0xc0) throw new Error(`packet ${index} is scrambled`);
    const afc = (p[3] >> 4) & 3;
    if (afc === 0) throw new Error(`packet ${index} has reserved adaptation_field_control 00`);
    let payloadStart = 4;
    let adaptation: AdaptationInfo | undefined;
    if (afc & 2) {
      const length = p[4];
      if (afc === 2 && length !== 183) throw new Error(`adaptation-only packet ${index} has length ${length}`);
      if (afc === 3 && length > 182) throw new Error(`packet ${index} adaptation field too long: ${length}`);
      adaptation = parseAdaptation(p, length);
      payloadStart = 5 + length;
    }
    out.push({
      index,
      pid: ((p[1] & 0x1f) << 8) | p[2],
      payloadUnitStart: (p[1] & 0x40) !== 0,
      adaptationFieldControl: afc,
      continuityCounter: p[3] & 0x0f,
      adaptation,
      payload: afc & 1 ? p.subarray(payloadStart) : new Uint8Array(0),
    });
  }
  return out;
}

/** The section starting in a PSI packet's payload (pointer_field honoured), CRC checked. */
export function parseSection(packet: PacketInfo): Section {
  if (!packet.payloadUnitStart) throw new Error('PSI packet without payload_unit_start_indicator');
  const pl = packet.payload;
  const start = 1 + pl[0];
  const s = pl.subarray(start);
  if ((s[1] & 0xc0) !== 0x80) throw new Error('section_syntax_indicator/zero bits wrong');
  const sectionLength = ((s[1] & 0x0f) << 8) | s[2];
  const whole = s.subarray(0, 3 + sectionLength);
  if (whole.length !== 3 + sectionLength) throw new Error('section runs past the packet');
  for (let i = start + whole.length; i < pl.length; i++) if (pl[i] !== 0xff) throw new Error('PSI stuffing byte is not 0xFF');
  const crcOk = crc32Bitwise(whole) === 0;
  return {
    tableId: s[0],
    idExtension: (s[3] << 8) | s[4],
    version: (s[5] >> 1) & 0x1f,
    currentNext: (s[5] & 1) === 1,
    sectionNumber: s[6],
    lastSectionNumber: s[7],
    body: whole.subarray(8, whole.length - 4),
    crcOk,
  };
}

export function parsePat(section: Section): Pat {
  if (section.tableId !== 0) throw new Error('not a PAT');
  const programs: Pat['programs'] = [];
  for (let i = 0; i + 4 <= section.body.length; i += 4) {
    const b = section.body;
    programs.push({ programNumber: (b[i] << 8) | b[i + 1], pmtPid: ((b[i + 2] & 0x1f) << 8) | b[i + 3] });
  }
  return { transportStreamId: section.idExtension, programs };
}

export function parsePmt(section: Section): Pmt {
  if (section.tableId !== 2) throw new Error('not a PMT');
  const b = section.body;
  const pcrPid = ((b[0] & 0x1f) << 8) | b[1];
  const programInfoLength = ((b[2] & 0x0f) << 8) | b[3];
  const streams: Pmt['streams'] = [];
  for (let i = 4 + programInfoLength; i + 5 <= b.length; ) {
    streams.push({ streamType: b[i], pid: ((b[i + 1] & 0x1f) << 8) | b[i + 2] });
    i += 5 + (((b[i + 3] & 0x0f) << 8) | b[i + 4]);
  }
  return { programNumber: section.idExtension, pcrPid, streams };
}

function readTimestamp(b: Uint8Array, at: number, prefix: number): number {
  if (b[at] >> 4 !== prefix) throw new Error(`timestamp prefix ${b[at] >> 4} != ${prefix}`);
  if ((b[at] & 1) === 0 || (b[at + 2] & 1) === 0 || (b[at + 4] & 1) === 0) throw new Error('timestamp marker bit is 0');
  return ((b[at] >> 1) & 7) * 2 ** 30 + ((b[at + 1] << 7) | (b[at + 2] >> 1)) * 2 ** 15 + ((b[at + 3] << 7) | (b[at + 4] >> 1));
}

function parsePes(pid: number, group: PacketInfo[]): PesInfo {
  const data = concat(group.map((p) => p.payload));
  if (data[0] !== 0 || data[1] !== 0 || data[2] !== 1) throw new Error(`PES on PID ${pid} has no start code`);
  const packetLength = (data[4] << 8) | data[5];
  if ((data[6] & 0xc0) !== 0x80) throw new Error('PES header marker bits wrong');
  const flags = data[7] >> 6;
  const headerLength = data[8];
  let pts: number | undefined;
  let dts: number | undefined;
  if (flags === 1) throw new Error('PTS_DTS_flags 01 is forbidden');
  if (flags & 2) pts = readTimestamp(data, 9, flags === 3 ? 3 : 2);
  if (flags === 3) dts = readTimestamp(data, 14, 1);
  const payload = data.subarray(9 + headerLength);
  if (packetLength !== 0 && packetLength !== data.length - 6) throw new Error(`PES_packet_length ${packetLength} but ${data.length - 6} bytes follow`);
  const first = group[0];
  return { pid, streamId: data[3], packetLength, dataAlignment: (data[6] & 0x04) !== 0, pts, dts, payload, firstPacket: first.index, adaptation: first.adaptation, packetCount: group.length };
}

import { concat } from './bytes.js';
export { concat };

/** Every PES on `pid`, from payload_unit_start to the next one (adaptation-only packets skipped). */
export function reassemblePes(packets: readonly PacketInfo[], pid: number): PesInfo[] {
  const out: PesInfo[] = [];
  let group: PacketInfo[] | undefined;
  for (const p of packets) {
    if (p.pid !== pid || p.payload.length === 0) continue;
    if (p.payloadUnitStart) {
      if (group) out.push(parsePes(pid, group));
      group = [p];
    } else if (group) group.push(p);
    else throw new Error(`PID ${pid} payload before any payload_unit_start`);
  }
  if (group) out.push(parsePes(pid, group));
  return out;
}

export interface TsSummary {
  readonly packets: PacketInfo[];
  readonly pats: Pat[];
  readonly pmts: Pmt[];
  readonly badCrcs: number;
}

/** Reads PAT and every PMT it points to; counts sections whose CRC fails. */
export function inspectTs(ts: Uint8Array): TsSummary {
  const packets = parsePackets(ts);
  const pats: Pat[] = [];
  const pmts: Pmt[] = [];
  let badCrcs = 0;
  const pmtPids = new Set<number>();
  for (const p of packets) {
    if (p.pid === 0) {
      const s = parseSection(p);
      if (!s.crcOk) badCrcs++;
      const pat = parsePat(s);
      pats.push(pat);
      for (const prog of pat.programs) pmtPids.add(prog.pmtPid);
    } else if (pmtPids.has(p.pid)) {
      const s = parseSection(p);
      if (!s.crcOk) badCrcs++;
      pmts.push(parsePmt(s));
    }
  }
  return { packets, pats, pmts, badCrcs };
}

/**
 * Continuity problems (§2.4.3.3): per PID, each packet with payload carries the previous
 * value + 1 mod 16; adaptation-only packets repeat the previous value. `initial` gives the
 * expected first value per PID when known (after a restored muxer).
 */
export function continuityErrors(packets: readonly PacketInfo[], initial: ReadonlyMap<number, number> = new Map()): string[] {
  const errors: string[] = [];
  const last = new Map<number, number>();
  for (const p of packets) {
    const prev = last.get(p.pid);
    const hasPayload = (p.adaptationFieldControl & 1) === 1;
    if (prev === undefined) {
      const want = initial.get(p.pid);
      if (want !== undefined && hasPayload && p.continuityCounter !== want) errors.push(`packet ${p.index} PID ${p.pid}: cc ${p.continuityCounter}, expected first ${want}`);
    } else {
      const want = hasPayload ? (prev + 1) % 16 : prev;
      if (p.continuityCounter !== want) errors.push(`packet ${p.index} PID ${p.pid}: cc ${p.continuityCounter}, expected ${want}`);
    }
    last.set(p.pid, p.continuityCounter);
  }
  return errors;
}

/** PCRs on `pid` in stream order, as 90 kHz bases unwrapped past 2^33, with their packet index. */
export function pcrs(packets: readonly PacketInfo[], pid: number): { index: number; base: number; raw: number; discontinuity: boolean }[] {
  const out: { index: number; base: number; raw: number; discontinuity: boolean }[] = [];
  let offset = 0;
  let prevRaw: number | undefined;
  for (const p of packets) {
    if (p.pid !== pid || p.adaptation?.pcrBase === undefined) continue;
    const raw = p.adaptation.pcrBase;
    if (prevRaw !== undefined && raw < prevRaw && prevRaw - raw > 2 ** 32) offset += 2 ** 33;
    prevRaw = raw;
    out.push({ index: p.index, base: raw + offset, raw, discontinuity: p.adaptation.discontinuity });
  }
  return out;
}

/** PCR problems (§2.7.2): a gap over `maxInterval` (90 kHz) or a step back, except at a flagged discontinuity. */
export function pcrErrors(packets: readonly PacketInfo[], pid: number, maxInterval = 9000): string[] {
  const errors: string[] = [];
  const list = pcrs(packets, pid);
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1];
    const b = list[i];
    if (b.discontinuity) continue;
    if (b.base < a.base) errors.push(`PCR goes back at packet ${b.index}: ${a.base} -> ${b.base}`);
    if (b.base - a.base > maxInterval) errors.push(`PCR gap of ${b.base - a.base} at packet ${b.index}`);
  }
  return errors;
}
