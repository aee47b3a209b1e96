// Protocol control message bodies (RTMP 1.0 §5.4.1–§5.4.5): bytes, round trips, rejections.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import {
  decodeAbort,
  decodeAcknowledgement,
  decodeSetChunkSize,
  decodeSetPeerBandwidth,
  decodeWindowAckSize,
  encodeAbort,
  encodeAcknowledgement,
  encodeSetChunkSize,
  encodeSetPeerBandwidth,
  encodeWindowAckSize,
  PEER_BANDWIDTH_LIMIT,
  type PeerBandwidthLimitType,
} from '../../../../pipeline/rtmp/messages/protocol-control.js';

const u8 = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('u32 protocol control bodies', () => {
  const codecs = [
    { name: 'Set Chunk Size', decode: decodeSetChunkSize, encode: encodeSetChunkSize, values: [1, 128, 4096, 0x7fffffff] },
    { name: 'Abort', decode: decodeAbort, encode: encodeAbort, values: [2, 65599, 0xffffffff] },
    { name: 'Acknowledgement', decode: decodeAcknowledgement, encode: encodeAcknowledgement, values: [0, 2500000, 0xffffffff] },
    { name: 'Window Acknowledgement Size', decode: decodeWindowAckSize, encode: encodeWindowAckSize, values: [0, 2500000, 0xffffffff] },
  ];
  const cases = codecs.flatMap((c) => c.values.map((value) => ({ ...c, value })));
  it.each(cases)('$name $value round-trips', ({ decode, encode, value }) => {
    expect(decode(encode(value))).toBe(value);
  });

  it.each(codecs)('$name is big-endian', ({ decode }) => {
    expect(decode(u8(0x00, 0x00, 0x10, 0x00))).toBe(4096);
  });

  it.each(codecs)('$name rejects a short body', ({ decode }) => {
    expect(() => decode(u8(0, 0, 1))).toThrow(ProtocolError);
  });

  it('Acknowledgement writes the byte count modulo 2^32', () => {
    expect(Array.from(encodeAcknowledgement(0x100000005))).toEqual([0, 0, 0, 5]);
  });

  it.each([
    ['zero', u8(0, 0, 0, 0)],
    ['the top bit set', u8(0x80, 0, 0, 0x80)],
  ])('Set Chunk Size rejects %s', (_name, body) => {
    expect(() => decodeSetChunkSize(body)).toThrow(ProtocolError);
  });

  it.each([0, -1, 0x80000000, 2.5])('encodeSetChunkSize rejects %d', (n) => {
    expect(() => encodeSetChunkSize(n)).toThrow(ProtocolError);
  });

  it('every valid chunk size round-trips', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (n) => decodeSetChunkSize(encodeSetChunkSize(n)) === n));
  });
});

describe('Set Peer Bandwidth', () => {
  const cases: { name: string; windowSize: number; limitType: PeerBandwidthLimitType; bytes: number[] }[] = [
    { name: 'hard', windowSize: 2500000, limitType: PEER_BANDWIDTH_LIMIT.HARD, bytes: [0x00, 0x26, 0x25, 0xa0, 0] },
    { name: 'soft', windowSize: 5000000, limitType: PEER_BANDWIDTH_LIMIT.SOFT, bytes: [0x00, 0x4c, 0x4b, 0x40, 1] },
    { name: 'dynamic', windowSize: 0xffffffff, limitType: PEER_BANDWIDTH_LIMIT.DYNAMIC, bytes: [0xff, 0xff, 0xff, 0xff, 2] },
  ];
  it.each(cases)('$name: bytes and round trip', ({ windowSize, limitType, bytes }) => {
    expect(Array.from(encodeSetPeerBandwidth(windowSize, limitType))).toEqual(bytes);
    expect(decodeSetPeerBandwidth(Uint8Array.from(bytes))).toEqual({ windowSize, limitType });
  });

  it('rejects an unknown limit type', () => {
    expect(() => decodeSetPeerBandwidth(u8(0, 0, 0, 1, 3))).toThrow(ProtocolError);
  });

  it('rejects a short body', () => {
    expect(() => decodeSetPeerBandwidth(u8(0, 0, 0, 1))).toThrow(ProtocolError);
  });

  it('ignores trailing bytes', () => {
    expect(decodeSetPeerBandwidth(u8(0, 0, 0, 1, 2, 9))).toEqual({ windowSize: 1, limitType: 2 });
  });
});
