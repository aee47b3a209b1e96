// FLV files: FlvFileReader (header, PreviousTagSize, extended timestamps, any split) and the writer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LimitError, ProtocolError, TruncatedError, UnsupportedError } from '../../../pipeline/core/errors.js';
import { MAX_MESSAGE_SIZE } from '../../../pipeline/core/limits.js';
import { encodeFlvHeader, encodeFlvRecord, FlvFileReader, type FlvRecord } from '../../../pipeline/flv/index.js';
import { bytes, flvFile, flvHeader, flvTag, u24, u32 } from '../../helpers/flv-builder.js';

const RECORDS: FlvRecord[] = [
  { tagType: 18, timestampMs: 0, body: bytes(0x02, 0x00, 0x0a, 'onMetaData') },
  { tagType: 9, timestampMs: 0, body: bytes(0x17, 0x00, u24(0), 0x01, 0x64) },
  { tagType: 8, timestampMs: 0, body: bytes(0xaf, 0x00, 0x12, 0x10) },
  { tagType: 9, timestampMs: 33, body: bytes(0x27, 0x01, 0xff, 0xff, 0xdf, 0x00, 0x00, 0x00, 0x01, 0x41) },
  { tagType: 8, timestampMs: 0x00ffffff, body: bytes(0xaf, 0x01, 0x21) },
  { tagType: 9, timestampMs: 0x12345678, body: bytes(0x90, 'av01') },
  { tagType: 8, timestampMs: 0xffffffff, body: bytes() },
];
const FILE = flvFile(RECORDS.map((r) => flvTag(r.tagType, r.timestampMs, r.body)));

function readAll(chunks: Uint8Array[]): FlvRecord[] {
  const reader = new FlvFileReader();
  const out = chunks.flatMap((c) => reader.push(c));
  out.push(...reader.flush());
  return out;
}

describe('FlvFileReader', () => {
  it('reads the header and every tag of a hand-built file', () => {
    const reader = new FlvFileReader();
    expect(reader.header).toBeNull();
    const records = reader.push(FILE);
    expect(reader.flush()).toEqual([]);
    expect(reader.header).toEqual({ version: 1, audio: true, video: true });
    expect(records).toEqual(RECORDS);
  });

  it('takes TimestampExtended as the high 8 bits of the timestamp', () => {
    const [record] = readAll([flvFile([bytes(9, u24(1), 0x56, 0x78, 0x9a, 0x12, u24(0), 0x17, u32(12))])]);
    expect(record.timestampMs).toBe(0x12567_89a);
  });

  it('reads the type flags of an audio-only file', () => {
    const reader = new FlvFileReader();
    reader.push(flvFile([], flvHeader({ video: false })));
    expect(reader.header).toEqual({ version: 1, audio: true, video: false });
  });

  it('skips header bytes up to DataOffset', () => {
    expect(readAll([flvFile([flvTag(8, 5, bytes(0xaf, 0x01))], flvHeader({ dataOffset: 15 }))])).toEqual([{ tagType: 8, timestampMs: 5, body: bytes(0xaf, 0x01) }]);
  });

  it('gives the same records one byte at a time', () => {
    expect(readAll(Array.from(FILE, (b) => Uint8Array.of(b)))).toEqual(RECORDS);
  });

  it('gives identical records for any split of the file', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(FILE.length), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, FILE.length]) {
          chunks.push(FILE.subarray(prev, p));
          prev = p;
        }
        expect(readAll(chunks)).toEqual(RECORDS);
      }),
    );
  });

  it('returns bodies as views into the pushed bytes when they lie in one piece', () => {
    const [, video] = readAll([FILE]);
    expect(video.body.buffer).toBe(FILE.buffer);
  });

  it('tolerates a file cut after a tag but before its PreviousTagSize', () => {
    expect(readAll([FILE.subarray(0, FILE.length - 4)])).toEqual(RECORDS);
  });

  it('reads a header-only file as no records', () => {
    expect(readAll([flvFile([])])).toEqual([]);
  });
});

const full = (...tags: Uint8Array[]) => flvFile(tags);
const READ_ERRORS: { name: string; file: Uint8Array; error: typeof ProtocolError; message: RegExp }[] = [
  { name: 'a wrong signature', file: bytes('FLX', 1, 5, u32(9), u32(0)), error: ProtocolError, message: /signature/ },
  { name: 'DataOffset below 9', file: bytes('FLV', 1, 5, u32(8), u32(0)), error: ProtocolError, message: /DataOffset 8/ },
  { name: 'a non-zero PreviousTagSize0', file: bytes(flvHeader(), u32(7)), error: ProtocolError, message: /PreviousTagSize 7, expected 0/ },
  { name: 'a PreviousTagSize that does not match the tag', file: full(flvTag(9, 0, bytes(0x17, 0x02), 12)), error: ProtocolError, message: /PreviousTagSize 12, expected 13/ },
  { name: 'a filtered (encrypted) tag', file: full(bytes(0x20 | 9, u24(1), u24(0), 0, u24(0), 0x17, u32(12))), error: UnsupportedError, message: /filtered/ },
  { name: 'an unknown TagType', file: full(flvTag(7, 0, bytes(1))), error: UnsupportedError, message: /TagType 7/ },
  { name: `a DataSize over MAX_MESSAGE_SIZE`, file: full(bytes(9, u24(MAX_MESSAGE_SIZE + 1), u24(0), 0, u24(0))), error: LimitError, message: /DataSize/ },
];

const FLUSH_ERRORS: { name: string; file: Uint8Array; message: RegExp }[] = [
  { name: 'no bytes at all', file: bytes(), message: /file header/ },
  { name: 'a cut header', file: FILE.subarray(0, 5), message: /file header/ },
  { name: 'a cut tag header', file: FILE.subarray(0, 13 + 5), message: /incomplete tag/ },
  { name: 'a cut tag body', file: FILE.subarray(0, 13 + 11 + 2), message: /incomplete tag/ },
  { name: 'a cut PreviousTagSize', file: FILE.subarray(0, FILE.length - 2), message: /incomplete PreviousTagSize/ },
];

describe('FlvFileReader errors', () => {
  it.each(READ_ERRORS)('refuses $name', ({ file, error, message }) => {
    expect(() => readAll([file])).toThrow(error);
    expect(() => readAll([file])).toThrow(message);
  });

  it.each(FLUSH_ERRORS)('flush() reports $name as truncated', ({ file, message }) => {
    const reader = new FlvFileReader();
    expect(reader.push(file).length).toBeLessThanOrEqual(RECORDS.length);
    expect(() => reader.flush()).toThrow(TruncatedError);
    expect(() => reader.flush()).toThrow(message);
  });

  it('returns the records before a bad tag, then throws on it', () => {
    const reader = new FlvFileReader();
    const good = flvTag(8, 1, bytes(0xaf, 0x01));
    expect(reader.push(flvFile([good]))).toHaveLength(1);
    expect(() => reader.push(flvTag(7, 2, bytes(1)))).toThrow(UnsupportedError);
  });
});

describe('FLV writer', () => {
  it('writes the header with PreviousTagSize0', () => {
    expect(encodeFlvHeader({ audio: true, video: true })).toEqual(bytes('FLV', 1, 0x05, u32(9), u32(0)));
    expect(encodeFlvHeader({ audio: false, video: true })).toEqual(bytes('FLV', 1, 0x01, u32(9), u32(0)));
    expect(encodeFlvHeader({ audio: true, video: false })).toEqual(bytes('FLV', 1, 0x04, u32(9), u32(0)));
  });

  it('writes the same bytes as the hand-built file', () => {
    const parts = [encodeFlvHeader({ audio: true, video: true }), ...RECORDS.flatMap(encodeFlvRecord)];
    expect(bytes(...parts)).toEqual(FILE);
  });

  it('returns the body itself, not a copy', () => {
    const body = bytes(0xaf, 0x01);
    expect(encodeFlvRecord({ tagType: 8, timestampMs: 0, body })[1]).toBe(body);
  });

  it('writes unwrapped timestamps modulo 2^32', () => {
    const [header] = encodeFlvRecord({ tagType: 9, timestampMs: 2 ** 32 + 0x01020304, body: bytes() });
    expect(header).toEqual(bytes(9, u24(0), 0x02, 0x03, 0x04, 0x01, u24(0)));
  });

  it('refuses negative or fractional timestamps', () => {
    expect(() => encodeFlvRecord({ tagType: 9, timestampMs: -1, body: bytes() })).toThrow(ProtocolError);
    expect(() => encodeFlvRecord({ tagType: 9, timestampMs: 1.5, body: bytes() })).toThrow(ProtocolError);
  });

  it('refuses a body larger than a UI24 DataSize', () => {
    expect(() => encodeFlvRecord({ tagType: 9, timestampMs: 0, body: new Uint8Array(0x1000000) })).toThrow(LimitError);
  });

  it('reader(writer(records)) = records', () => {
    const record = fc.record({
      tagType: fc.constantFrom(8 as const, 9 as const, 18 as const),
      timestampMs: fc.integer({ min: 0, max: 0xffffffff }),
      body: fc.uint8Array({ maxLength: 40 }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 10 }), fc.boolean(), fc.boolean(), (records, audio, video) => {
        const reader = new FlvFileReader();
        const out = [encodeFlvHeader({ audio, video }), ...records.flatMap(encodeFlvRecord)].flatMap((c) => reader.push(c));
        expect(reader.flush()).toEqual([]);
        expect(reader.header).toEqual({ version: 1, audio, video });
        expect(out).toEqual(records);
      }),
    );
  });
});
