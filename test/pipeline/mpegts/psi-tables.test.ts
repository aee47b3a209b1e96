// PAT and PMT sections (ISO/IEC 13818-1 §2.4.4.3, §2.4.4.8) and their packets: exact bytes,
// CRCs checked by the independent reader, only the given streams listed.
import { describe, expect, it } from 'vitest';
import { encodePatSection, encodePmtSection, writePsiPacket } from '../../../pipeline/mpegts/psi-tables.js';
import { crc32Bitwise, parsePackets, parsePat, parsePmt, parseSection } from '../../helpers/ts-inspect.js';

function packet(pid: number, cc: number, section: Uint8Array): Uint8Array {
  const out = new Uint8Array(188);
  writePsiPacket(out, 0, pid, cc, section);
  return out;
}

describe('encodePatSection', () => {
  it('writes program 1 → PMT PID 0x1000 with transport_stream_id 1, version 0, current', () => {
    const pat = encodePatSection(1, 0x1000);
    const body = [0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00, 0x00, 0x01, 0xf0, 0x00];
    expect([...pat.subarray(0, 12)]).toEqual(body);
    expect(new DataView(pat.buffer).getUint32(12)).toBe(crc32Bitwise(Uint8Array.from(body)));
  });
});

describe('encodePmtSection', () => {
  it('lists video then audio with PCR_PID and no descriptors', () => {
    const pmt = encodePmtSection(1, 0x100, [
      { streamType: 0x1b, pid: 0x100 },
      { streamType: 0x0f, pid: 0x101 },
    ]);
    expect([...pmt.subarray(0, pmt.length - 4)]).toEqual([
      0x02, 0xb0, 0x17, 0x00, 0x01, 0xc1, 0x00, 0x00, 0xe1, 0x00, 0xf0, 0x00, 0x1b, 0xe1, 0x00, 0xf0, 0x00, 0x0f, 0xe1, 0x01, 0xf0, 0x00,
    ]);
    expect(crc32Bitwise(pmt)).toBe(0);
  });

  it.each([
    ['audio only', 0x101, [{ streamType: 0x0f, pid: 0x101 }]],
    ['video only', 0x100, [{ streamType: 0x1b, pid: 0x100 }]],
    ['MP3 audio only', 0x101, [{ streamType: 0x03, pid: 0x101 }]],
  ])('%s: the PMT holds exactly the given stream', (_name, pcrPid, streams) => {
    const [p] = parsePackets(packet(0x1000, 0, encodePmtSection(1, pcrPid, streams)));
    const section = parseSection(p);
    expect(section.crcOk).toBe(true);
    expect(parsePmt(section)).toEqual({ programNumber: 1, pcrPid, streams });
  });
});

describe('writePsiPacket', () => {
  it('starts the payload with pointer_field 0 and stuffs the rest with 0xFF', () => {
    const bytes = packet(0, 7, encodePatSection(1, 0x1000));
    expect([...bytes.subarray(0, 5)]).toEqual([0x47, 0x40, 0x00, 0x17, 0x00]);
    expect(bytes.subarray(5 + 16).every((b) => b === 0xff)).toBe(true);
    const [p] = parsePackets(bytes);
    const section = parseSection(p);
    expect(section).toMatchObject({ tableId: 0, idExtension: 1, version: 0, currentNext: true, sectionNumber: 0, lastSectionNumber: 0, crcOk: true });
    expect(parsePat(section)).toEqual({ transportStreamId: 1, programs: [{ programNumber: 1, pmtPid: 0x1000 }] });
  });
});
