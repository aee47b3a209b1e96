// Hand-written RTMP chunk bytes (RTMP 1.0 §5.3.1) for tests, independent of ChunkEncoder.

export type Bytes = number[];

export interface ChunkSpec {
  readonly fmt: 0 | 1 | 2 | 3;
  readonly csid: number;
  /** The timestamp field (absolute for type 0, delta for 1/2); ≥ 0xFFFFFF is written extended. */
  readonly timestamp?: number;
  readonly length?: number;
  readonly typeId?: number;
  readonly streamId?: number;
  /** Type 3 only: 4 extended timestamp bytes to write after the basic header. */
  readonly extended?: number;
  readonly payload?: ArrayLike<number>;
}

export function u24(v: number): Bytes {
  return [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function u32(v: number): Bytes {
  return [(v >>> 24) & 0xff, ...u24(v)];
}

export function u32le(v: number): Bytes {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** §5.3.1.1: 1 byte for csid 2..63, 2 bytes for 64..319, 3 bytes above. */
export function basicHeader(fmt: number, csid: number): Bytes {
  if (csid < 64) return [(fmt << 6) | csid];
  if (csid < 320) return [fmt << 6, csid - 64];
  return [(fmt << 6) | 1, (csid - 64) & 0xff, (csid - 64) >>> 8];
}

/** One chunk: basic header, message header for its type, extended timestamp, payload. */
export function chunk(spec: ChunkSpec): Bytes {
  const out = basicHeader(spec.fmt, spec.csid);
  const ts = spec.timestamp ?? 0;
  if (spec.fmt < 3) {
    out.push(...u24(Math.min(ts, 0xffffff)));
    if (spec.fmt < 2) out.push(...u24(spec.length ?? spec.payload?.length ?? 0), spec.typeId ?? 0);
    if (spec.fmt === 0) out.push(...u32le(spec.streamId ?? 0));
    if (ts >= 0xffffff) out.push(...u32(ts));
  } else if (spec.extended !== undefined) {
    out.push(...u32(spec.extended));
  }
  out.push(...Array.from(spec.payload ?? []));
  return out;
}

export interface MessageSpec {
  readonly csid: number;
  readonly typeId: number;
  readonly streamId: number;
  /** Absolute timestamp as written in the type 0 header (mod 2^32 is the caller's job). */
  readonly timestamp: number;
  readonly payload: ArrayLike<number>;
}

/** A message as one type 0 chunk then type 3 continuations, as §5.3.2.1 shows. */
export function messageChunks(msg: MessageSpec, chunkSize: number, opts: { omitExtendedOnContinuation?: boolean } = {}): Bytes {
  const payload = Array.from(msg.payload);
  const first = payload.slice(0, chunkSize);
  const out = chunk({ fmt: 0, csid: msg.csid, timestamp: msg.timestamp, length: payload.length, typeId: msg.typeId, streamId: msg.streamId, payload: first });
  const extended = msg.timestamp >= 0xffffff && !opts.omitExtendedOnContinuation ? msg.timestamp : undefined;
  for (let at = chunkSize; at < payload.length; at += chunkSize) {
    out.push(...chunk({ fmt: 3, csid: msg.csid, extended, payload: payload.slice(at, at + chunkSize) }));
  }
  return out;
}

/** A Set Chunk Size message (§5.4.1) in one type 0 chunk on csid 2. */
export function setChunkSizeChunk(size: number): Bytes {
  return chunk({ fmt: 0, csid: 2, typeId: 1, payload: u32(size) });
}

/** An Abort message (§5.4.2) in one type 0 chunk on csid 2. */
export function abortChunk(csid: number): Bytes {
  return chunk({ fmt: 0, csid: 2, typeId: 2, payload: u32(csid) });
}

export function bytes(...parts: ArrayLike<number>[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...Array.from(p));
  return Uint8Array.from(out);
}

/** Splits `data` at the given cut points (any integers; taken mod length+1, deduplicated). */
export function splitAt(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    out.push(data.slice(prev, p)); // copies, so no piece shares a buffer with another
    prev = p;
  }
  return out;
}
