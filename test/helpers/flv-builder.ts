// Hand-written byte builders for FLV tag bodies and files, independent of pipeline/flv's encoders.
// Each helper spells out the wire layout of FLV v10.1 Annex E / Enhanced RTMP v2 byte by byte.

/** A piece of a byte string: a byte, a list of bytes, a byte array, or ASCII text (FourCCs). */
export type Part = number | readonly number[] | Uint8Array | string;

export function bytes(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p & 0xff);
    else if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

export const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
export const u24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
/** Two's-complement 24-bit: −33 → FF FF DF. */
export const si24 = (v: number): number[] => u24(v < 0 ? v + 0x1000000 : v);
export const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** Legacy video first byte: FrameType UB[4] | CodecID UB[4]. */
export const legacyVideoByte = (frameType: number, codecId: number): number => (frameType << 4) | codecId;

/** Extended video first byte: IsExVideoHeader 1 | FrameType UB[3] | VideoPacketType UB[4]. */
export const exVideoByte = (frameType: number, packetType: number): number => 0x80 | (frameType << 4) | packetType;

/** Legacy audio first byte: SoundFormat UB[4] | SoundRate UB[2] | SoundSize UB[1] | SoundType UB[1]. */
export const legacyAudioByte = (soundFormat: number, rate: number, size: number, type: number): number =>
  (soundFormat << 4) | (rate << 2) | (size << 1) | type;

/** Extended audio first byte: SoundFormat 9 (ExHeader) | AudioPacketType UB[4]. */
export const exAudioByte = (packetType: number): number => 0x90 | packetType;

/** AvMultitrackType UB[4] | packet type UB[4]. */
export const multitrackByte = (multitrackType: number, packetType: number): number => (multitrackType << 4) | packetType;

/** One ModEx entry: size − 1 as UI8 (or 0xFF then size − 1 as UI16), data, ModExType UB[4] | next packet type UB[4]. */
export function modExEntry(data: readonly number[] | Uint8Array, modExType: number, nextPacketType: number): number[] {
  const size = data.length;
  const sizeBytes = size - 1 < 0xff ? [size - 1] : [0xff, ...u16(size - 1)];
  return [...sizeBytes, ...data, (modExType << 4) | nextPacketType];
}

/** A TimestampOffsetNano ModEx entry (type 0, three data bytes). */
export const timestampOffsetNano = (ns: number, nextPacketType: number): number[] => modExEntry(u24(ns), 0, nextPacketType);

/** One multitrack track: [FourCC], trackId UI8, [sizeOfTrack UI24], body. */
export function track(opts: { fourCc?: string; trackId: number; sized: boolean; body: Part[] }): Uint8Array {
  const body = bytes(...opts.body);
  return bytes(opts.fourCc ?? [], opts.trackId, opts.sized ? u24(body.length) : [], body);
}

/** The FLV file header: "FLV", version, flags (audio 0x04, video 0x01), DataOffset, padding to DataOffset. */
export function flvHeader(opts: { audio?: boolean; video?: boolean; version?: number; dataOffset?: number } = {}): Uint8Array {
  const dataOffset = opts.dataOffset ?? 9;
  const flags = (opts.audio === false ? 0 : 0x04) | (opts.video === false ? 0 : 0x01);
  return bytes('FLV', opts.version ?? 1, flags, u32(dataOffset), new Array<number>(dataOffset - 9).fill(0));
}

/** One FLV tag followed by its PreviousTagSize (11 + DataSize unless overridden). */
export function flvTag(tagType: number, timestampMs: number, body: Part, previousTagSize?: number): Uint8Array {
  const b = bytes(body);
  return bytes(
    tagType,
    u24(b.length),
    u24(timestampMs & 0xffffff),
    (timestampMs >>> 24) & 0xff,
    u24(0),
    b,
    u32(previousTagSize ?? 11 + b.length),
  );
}

/** A whole FLV file: header, PreviousTagSize0 = 0, then the tags. */
export function flvFile(tags: readonly Uint8Array[], header: Uint8Array = flvHeader()): Uint8Array {
  return bytes(header, u32(0), ...tags);
}
