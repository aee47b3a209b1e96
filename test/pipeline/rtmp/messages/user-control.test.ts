// User Control events (RTMP 1.0 §6.2, §7.1.7): bytes, round trips, unknown events, rejections.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { decodeUserControl, encodeUserControl, USER_CONTROL_EVENT, type UserControlEvent } from '../../../../pipeline/rtmp/messages/user-control.js';

const E = USER_CONTROL_EVENT;

describe('User Control events', () => {
  const cases: { name: string; event: UserControlEvent; bytes: number[] }[] = [
    { name: 'Stream Begin', event: { type: E.STREAM_BEGIN, streamId: 1 }, bytes: [0, 0, 0, 0, 0, 1] },
    { name: 'Stream EOF', event: { type: E.STREAM_EOF, streamId: 2 }, bytes: [0, 1, 0, 0, 0, 2] },
    { name: 'Stream Dry', event: { type: E.STREAM_DRY, streamId: 3 }, bytes: [0, 2, 0, 0, 0, 3] },
    {
      name: 'Set Buffer Length',
      event: { type: E.SET_BUFFER_LENGTH, streamId: 1, bufferLengthMs: 3000 },
      bytes: [0, 3, 0, 0, 0, 1, 0, 0, 0x0b, 0xb8],
    },
    { name: 'Stream Is Recorded', event: { type: E.STREAM_IS_RECORDED, streamId: 0xffffffff }, bytes: [0, 4, 0xff, 0xff, 0xff, 0xff] },
    { name: 'Ping Request', event: { type: E.PING_REQUEST, timestamp: 0x0d0f }, bytes: [0, 6, 0, 0, 0x0d, 0x0f] },
    { name: 'Ping Response', event: { type: E.PING_RESPONSE, timestamp: 0x12345678 }, bytes: [0, 7, 0x12, 0x34, 0x56, 0x78] },
    { name: 'unknown event 5', event: { type: 'unknown', eventType: 5, data: Uint8Array.of() }, bytes: [0, 5] },
    { name: 'unknown event 31 (librtmp buffer empty)', event: { type: 'unknown', eventType: 31, data: Uint8Array.of(0, 0, 0, 1) }, bytes: [0, 31, 0, 0, 0, 1] },
    { name: 'unknown event 0xffff', event: { type: 'unknown', eventType: 0xffff, data: Uint8Array.of(9) }, bytes: [0xff, 0xff, 9] },
  ];
  it.each(cases)('$name: bytes and round trip', ({ event, bytes }) => {
    expect(Array.from(encodeUserControl(event))).toEqual(bytes);
    expect(decodeUserControl(Uint8Array.from(bytes))).toEqual(event);
  });

  it.each([
    ['no event type', [0]],
    ['Stream Begin without a stream id', [0, 0, 0, 0, 1]],
    ['Set Buffer Length without the length', [0, 3, 0, 0, 0, 1]],
    ['Ping Request without a timestamp', [0, 6]],
  ])('rejects %s', (_name, bytes) => {
    expect(() => decodeUserControl(Uint8Array.from(bytes))).toThrow(ProtocolError);
  });

  it('decodes a body that is a view into a larger buffer', () => {
    const buf = Uint8Array.of(0xaa, 0, 6, 0, 0, 0, 42, 0xbb);
    expect(decodeUserControl(buf.subarray(1, 7))).toEqual({ type: E.PING_REQUEST, timestamp: 42 });
  });

  it('any body of 2 or more bytes decodes to an event or a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 12 }), (body) => {
        try {
          const event = decodeUserControl(body);
          expect(decodeUserControl(encodeUserControl(event))).toEqual(event);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});
