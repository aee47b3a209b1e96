// Properties of the chunk layer: split invariance, decode(encode(x)) = x, only coded errors on garbage.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPipelineError } from '../../../../pipeline/core/errors.js';
import { ChunkDecoder } from '../../../../pipeline/rtmp/chunk/chunk-decoder.js';
import { ChunkEncoder, type OutgoingMessage } from '../../../../pipeline/rtmp/chunk/chunk-encoder.js';
import type { RawMessage } from '../../../../pipeline/rtmp/messages/message-types.js';
import { encodeSetChunkSize } from '../../../../pipeline/rtmp/messages/protocol-control.js';
import { bytes, messageChunks, splitAt } from '../../../helpers/chunk-builder.js';

const WRAP = 0x100000000;

interface Plain {
  csid: number;
  typeId: number;
  streamId: number;
  timestamp: number;
  payload: number[];
}

const plain = (m: RawMessage | OutgoingMessage): Plain => ({
  csid: m.chunkStreamId,
  typeId: m.typeId,
  streamId: m.streamId,
  timestamp: m.timestamp,
  payload: Array.from(m.payload),
});

interface DecodeResult {
  messages: Plain[];
  error?: string;
}

/** Decodes the pieces (with joinChunksInPlace, copies of them: that decoder rewrites its input). */
function decodePieces(pieces: Uint8Array[], joinChunksInPlace = false): DecodeResult {
  const d = new ChunkDecoder({ joinChunksInPlace });
  const raw: RawMessage[] = [];
  let error: string | undefined;
  try {
    for (const p of pieces) raw.push(...d.push(joinChunksInPlace ? p.slice() : p));
  } catch (err) {
    if (!isPipelineError(err)) throw err;
    error = err.code;
  }
  // Read only now: with joinChunksInPlace, later joins must not have changed earlier messages.
  const messages = raw.map(plain);
  return error === undefined ? { messages } : { messages, error };
}

// A step of the sending side: a message, or a change of chunk size announced with Set Chunk Size.
type Step = { kind: 'message'; csid: number; typeId: number; streamId: number; dt: number; payload: Uint8Array } | { kind: 'chunkSize'; size: number; dt: number };

const dtArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: -50, max: 0 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 26 }) }, // 25 steps stay below 2^31
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('message' as const),
      csid: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(3, 4, 5, 6, 7) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 65599 }) }),
      typeId: fc.oneof(fc.constantFrom(8, 9, 18, 20), fc.integer({ min: 3, max: 255 })), // never 1 or 2: they act on the decoder
      streamId: fc.oneof(fc.constantFrom(0, 1), fc.nat({ max: WRAP - 1 })),
      dt: dtArb,
      payload: fc.uint8Array({ maxLength: 600 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('chunkSize' as const), size: fc.integer({ min: 1, max: 700 }), dt: dtArb }) },
);
const startArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0xffffff - 2000, max: 0xffffff + 10 }),
  fc.integer({ min: WRAP - 3000, max: WRAP - 1 }),
  fc.nat({ max: WRAP - 1 }),
);
const sessionArb = fc.record({ start: startArb, initialChunkSize: fc.integer({ min: 1, max: 300 }), steps: fc.array(stepArb, { maxLength: 25 }) });

/**
 * Encodes a session; returns the wire bytes and the messages the receiver should see. The
 * receiver unwraps per chunk stream and takes a chunk stream's first timestamp as it is on the
 * wire (mod 2^32), so a chunk stream first used after the sender's clock passed 2^32 comes out
 * a whole number of 2^32 lower (until it steps back below zero, where the receiver moves it up
 * one epoch rather than go negative); all else is identical.
 */
function encodeSession(s: { start: number; initialChunkSize: number; steps: Step[] }): { wire: Uint8Array; expected: Plain[] } {
  const enc = new ChunkEncoder();
  const parts: Uint8Array[] = [];
  const expected: Plain[] = [];
  const epochOffset = new Map<number, number>();
  let now = s.start;
  const send = (msg: OutgoingMessage): void => {
    parts.push(...enc.encode(msg));
    const csid = msg.chunkStreamId;
    let offset = epochOffset.get(csid) ?? msg.timestamp - (msg.timestamp % WRAP);
    if (msg.timestamp - offset < 0) offset -= WRAP; // stepping back below 0: the receiver moves up an epoch
    epochOffset.set(csid, offset);
    expected.push({ ...plain(msg), timestamp: msg.timestamp - offset });
  };
  const setChunkSize = (size: number): void => {
    send({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: now, payload: encodeSetChunkSize(size) });
    enc.setChunkSize(size);
  };
  setChunkSize(s.initialChunkSize);
  for (const step of s.steps) {
    now = Math.max(0, now + step.dt);
    if (step.kind === 'chunkSize') setChunkSize(step.size);
    else send({ chunkStreamId: step.csid, typeId: step.typeId, streamId: step.streamId, timestamp: now, payload: step.payload });
  }
  return { wire: bytes(...parts), expected };
}

describe('chunk layer properties', () => {
  it('decode(encode(messages)) = messages, for any split of the wire bytes', () => {
    fc.assert(
      fc.property(sessionArb, fc.array(fc.nat(), { maxLength: 30 }), (session, cuts) => {
        const { wire, expected } = encodeSession(session);
        expect(decodePieces(splitAt(wire, cuts))).toEqual({ messages: expected });
      }),
      { numRuns: 300 },
    );
  });

  it('one byte at a time gives the same messages as all at once', () => {
    fc.assert(
      fc.property(sessionArb, (session) => {
        const { wire, expected } = encodeSession(session);
        const pieces = Array.from(wire, (b) => Uint8Array.of(b));
        expect(decodePieces(pieces)).toEqual(decodePieces([wire]));
        expect(decodePieces([wire]).messages).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('hand-built streams that omit extended timestamps on continuations decode the same for any split', () => {
    const msgArb = fc.record({
      csid: fc.constantFrom(4, 6, 70),
      typeId: fc.constantFrom(8, 9),
      streamId: fc.constant(1),
      timestamp: fc.oneof(fc.nat({ max: 0xffffff }), fc.integer({ min: 0xffffff, max: WRAP - 1 })),
      payload: fc.uint8Array({ maxLength: 400 }),
      omit: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(msgArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (msgs, cuts) => {
        const wire = bytes(...msgs.map((m) => messageChunks(m, 128, { omitExtendedOnContinuation: m.omit })));
        expect(decodePieces(splitAt(wire, cuts))).toEqual(decodePieces([wire]));
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes raise only coded errors, the same for any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 20 }), (garbage, cuts) => {
        const whole = decodePieces([garbage]);
        const split = decodePieces(splitAt(garbage, cuts));
        expect(split.error).toBe(whole.error);
        if (whole.error === undefined) expect(split.messages).toEqual(whole.messages);
        expect(decodePieces(splitAt(garbage, cuts), true), 'joining chunks in place changes nothing').toEqual(split);
      }),
      { numRuns: 500 },
    );
  });

  it('corrupted valid streams raise only coded errors', () => {
    fc.assert(
      fc.property(sessionArb, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 5 }), (session, flips) => {
        const { wire } = encodeSession(session);
        for (const [at, value] of flips) if (wire.length > 0) wire[at % wire.length] = value;
        // Throws only if the error is not a PipelineError; joining in place gives the same result.
        expect(decodePieces([wire], true)).toEqual(decodePieces([wire]));
      }),
      { numRuns: 300 },
    );
  });
});

describe('long streams cross 0xFFFFFF and 2^32 monotonically', () => {
  const series = (start: number, count: number): number[] => Array.from({ length: count }, (_, i) => start + 33 * i);

  it.each([
    ['0xFFFFFF - 100', 0xffffff - 100],
    ['2^32 - 1000', WRAP - 1000],
  ])('encoder to decoder, starting at %s', (_name, start) => {
    const enc = new ChunkEncoder();
    const times = series(start, 200);
    const wire = bytes(...times.flatMap((t, i) => enc.encode({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: t, payload: new Uint8Array(100 + (i % 3) * 150) })));
    const out = new ChunkDecoder().push(wire).map((m) => m.timestamp);
    expect(out).toEqual(times);
  });

  it('hand-built type 0 chunks with absolute timestamps mod 2^32, audio and video interleaved', () => {
    const times = series(WRAP - 1000, 100);
    const wire = bytes(
      ...times.flatMap((t) => [
        messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: t % WRAP, payload: new Array(300).fill(1) }, 128),
        messageChunks({ csid: 4, typeId: 8, streamId: 1, timestamp: (t + 10) % WRAP, payload: new Array(20).fill(2) }, 128),
      ]),
    );
    const out = new ChunkDecoder().push(wire);
    expect(out.filter((m) => m.typeId === 9).map((m) => m.timestamp)).toEqual(times);
    expect(out.filter((m) => m.typeId === 8).map((m) => m.timestamp)).toEqual(times.map((t) => t + 10));
  });
});

describe('joining chunks in place (joinChunksInPlace)', () => {
  /** Messages on chunk streams 3..3+n−1 (each its own), their chunks interleaved in `order`. */
  function interleaved(payloads: readonly Uint8Array[], chunkSize: number, order: readonly number[], extendedFrom: number): { wire: Uint8Array; expected: Plain[] } {
    const chunkLists = payloads.map((payload, i) => {
      const msg = { csid: 3 + i, typeId: 9, streamId: 1, timestamp: extendedFrom + i, payload };
      // One chunk per element: the type 0 chunk, then type 3 continuations.
      const all = messageChunks(msg, chunkSize);
      const list: number[][] = [];
      let at = 0;
      for (let k = 0; at < all.length; k++) {
        const header = k === 0 ? (msg.timestamp >= 0xffffff ? 16 : 12) : msg.timestamp >= 0xffffff ? 5 : 1;
        const size = header + Math.min(chunkSize, payload.length - k * chunkSize);
        list.push(all.slice(at, at + size));
        at += size;
      }
      return list;
    });
    const next = chunkLists.map(() => 0);
    const out: number[][] = [];
    // Take the chunk lists in the order given (each index picks a list with chunks left), then the rest.
    for (const pick of order) {
      const open = chunkLists.map((l, i) => i).filter((i) => next[i] < chunkLists[i].length);
      if (open.length === 0) break;
      const i = open[pick % open.length];
      out.push(chunkLists[i][next[i]++]);
    }
    chunkLists.forEach((l, i) => { while (next[i] < l.length) out.push(l[next[i]++]); });
    const expected = payloads.map((payload, i) => ({ csid: 3 + i, typeId: 9, streamId: 1, timestamp: extendedFrom + i, payload: Array.from(payload) }));
    return { wire: bytes(...out), expected };
  }

  it('gives the same messages as copying, and never changes a message already returned (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 128 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(0, 0xffffff),
        (payloads, chunkSize, order, cuts, extendedFrom) => {
          const { wire, expected } = interleaved(payloads, chunkSize, order, extendedFrom);
          const decoder = new ChunkDecoder({ joinChunksInPlace: true });
          decoder.push(bytes(setChunkSizeChunkBytes(chunkSize)));
          const got: RawMessage[] = [];
          for (const piece of splitAt(wire, cuts)) got.push(...decoder.push(piece));
          // The views themselves, read only now: a later join must not have rewritten them.
          const byStream = (ms: Plain[]) => [...ms].sort((a, b) => a.csid - b.csid);
          expect(byStream(got.map(plain))).toEqual(byStream(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('joins a message in the buffer it came in when only its chunk headers lie between its chunks, and copies otherwise', () => {
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const whole = bytes(setChunkSizeChunkBytes(128), messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload }, 128));
    const [, joined] = new ChunkDecoder({ joinChunksInPlace: true }).push(whole);
    expect(joined.payload.buffer, 'no copy').toBe(whole.buffer);
    expect(Array.from(joined.payload)).toEqual(Array.from(payload));
    const untouched = bytes(setChunkSizeChunkBytes(128), messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload }, 128));
    const [, copied] = new ChunkDecoder().push(untouched);
    expect(copied.payload.buffer, 'without the option: a copy').not.toBe(untouched.buffer);
    expect(untouched, 'and the input is left as it was').toEqual(bytes(setChunkSizeChunkBytes(128), messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload }, 128)));
    // An audio message on another chunk stream between the video message's chunks: copied.
    const video = messageChunks({ csid: 6, typeId: 9, streamId: 1, timestamp: 0, payload }, 128);
    const audio = messageChunks({ csid: 4, typeId: 8, streamId: 1, timestamp: 0, payload: [0xaf, 1, 2] }, 128);
    const mixed = bytes(setChunkSizeChunkBytes(128), video.slice(0, 12 + 128), audio, video.slice(12 + 128));
    const [, a, v] = new ChunkDecoder({ joinChunksInPlace: true }).push(mixed);
    expect(a.payload.buffer, 'the audio message is a view').toBe(mixed.buffer);
    expect(v.payload.buffer, 'the interleaved video message is copied').not.toBe(mixed.buffer);
    expect(Array.from(a.payload)).toEqual([0xaf, 1, 2]);
    expect(Array.from(v.payload)).toEqual(Array.from(payload));
  });
});

function setChunkSizeChunkBytes(size: number): number[] {
  return messageChunks({ csid: 2, typeId: 1, streamId: 0, timestamp: 0, payload: Array.from(encodeSetChunkSize(size)) }, 128);
}
