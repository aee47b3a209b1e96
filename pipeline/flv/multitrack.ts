// E-RTMP v2 multitrack framing, shared by audio and video: AvMultitrackType, FourCCs, track ids and sizes.
import { LimitError, ProtocolError, UnsupportedError } from '../core/errors.js';
import type { ByteReader } from '../core/byte-reader.js';
import type { ByteWriter } from '../core/byte-writer.js';
import { MAX_TRACKS } from '../core/limits.js';
import { AV_MULTITRACK_TYPE } from './flv-constants.js';
import { checkU8 } from './field-checks.js';

/** One track of a multitrack packet: its codec, id and body (a view into the packet). */
export interface MultitrackEntry<C> {
  readonly codec: C;
  readonly trackId: number;
  readonly body: Uint8Array;
}

/**
 * Reads the tracks that follow the (AvMultitrackType, packet type) byte:
 * [FourCC unless ManyTracksManyCodecs], then per track [FourCC if ManyTracksManyCodecs],
 * trackId UI8, [sizeOfTrack UI24 unless OneTrack], body.
 */
export function readMultitrack<C>(r: ByteReader, multitrackType: number, readCodec: (r: ByteReader) => C, what: string): MultitrackEntry<C>[] {
  if (multitrackType > AV_MULTITRACK_TYPE.MANY_TRACKS_MANY_CODECS) {
    throw new UnsupportedError(`${what}: unknown AvMultitrackType ${multitrackType}`, { multitrackType });
  }
  const manyCodecs = multitrackType === AV_MULTITRACK_TYPE.MANY_TRACKS_MANY_CODECS;
  const shared = manyCodecs ? undefined : { codec: readCodec(r) };
  if (multitrackType === AV_MULTITRACK_TYPE.ONE_TRACK && shared) {
    const trackId = r.u8();
    return [{ codec: shared.codec, trackId, body: r.rest() }];
  }
  const tracks: MultitrackEntry<C>[] = [];
  while (!r.atEnd) {
    if (tracks.length === MAX_TRACKS) throw new LimitError(`${what}: more than ${MAX_TRACKS} tracks in one packet`);
    const codec = shared ? shared.codec : readCodec(r);
    const trackId = r.u8();
    const sizeOfTrack = r.u24();
    if (sizeOfTrack > r.remaining) {
      throw new ProtocolError(`${what}: track ${trackId} size ${sizeOfTrack} exceeds the ${r.remaining} bytes left`, { trackId });
    }
    tracks.push({ codec, trackId, body: r.bytesView(sizeOfTrack) });
  }
  if (tracks.length === 0) throw new ProtocolError(`${what}: multitrack packet without tracks`);
  return tracks;
}

/** The AvMultitrackType for a set of tracks: OneTrack for one, ManyTracks when they share a codec. */
export function multitrackTypeFor<C>(codecs: readonly C[]): number {
  if (codecs.length === 1) return AV_MULTITRACK_TYPE.ONE_TRACK;
  return codecs.every((c) => c === codecs[0]) ? AV_MULTITRACK_TYPE.MANY_TRACKS : AV_MULTITRACK_TYPE.MANY_TRACKS_MANY_CODECS;
}

/** Writes the multitrack part after the header: type byte, FourCCs, ids, sizes and bodies. */
export function writeMultitrack<T>(
  w: ByteWriter,
  packetType: number,
  tracks: readonly T[],
  fourCcOf: (t: T) => string,
  trackIdOf: (t: T) => number,
  writeBody: (w: ByteWriter, t: T) => void,
  what: string,
): void {
  if (tracks.length > MAX_TRACKS) throw new LimitError(`${what}: more than ${MAX_TRACKS} tracks in one packet`);
  const multitrackType = multitrackTypeFor(tracks.map(fourCcOf));
  w.u8((multitrackType << 4) | packetType);
  if (multitrackType !== AV_MULTITRACK_TYPE.MANY_TRACKS_MANY_CODECS) w.fourCc(fourCcOf(tracks[0]));
  for (const track of tracks) {
    if (multitrackType === AV_MULTITRACK_TYPE.MANY_TRACKS_MANY_CODECS) w.fourCc(fourCcOf(track));
    checkU8(trackIdOf(track), 'trackId', what);
    w.u8(trackIdOf(track));
    if (multitrackType === AV_MULTITRACK_TYPE.ONE_TRACK) {
      writeBody(w, track);
      continue;
    }
    const sizeAt = w.length;
    w.u24(0);
    writeBody(w, track);
    const sizeOfTrack = w.length - sizeAt - 3;
    if (sizeOfTrack > 0xffffff) throw new LimitError(`${what}: track ${trackIdOf(track)} body exceeds a UI24 size`);
    w.patchU24(sizeAt, sizeOfTrack);
  }
}
