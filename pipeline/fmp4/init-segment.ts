// The CMAF header / init segment of one track (ISO/IEC 23000-19 §7.3.2.1): ftyp, then moov with
// mvhd, one trak and mvex/trex (ISO/IEC 14496-12 §8.2.1, §8.8.1).
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import type { TrackInfo } from '../ingest/media-types.js';
import { BoxWriter } from './box-writer.js';
import { FULL_VOLUME, MOVIE_TIMESCALE, UNITY_MATRIX } from './fmp4-constants.js';
import { writeFtyp } from './file-type.js';
import { writeTrak } from './track-box.js';

/** Sample entry codecs this writer knows, per track kind. */
const SUPPORTED_CODECS: Readonly<Record<TrackInfo['kind'], readonly string[]>> = {
  video: ['avc1'],
  audio: ['mp4a', '.mp3'],
};
const MAX_U32 = 0xffff_ffff;

/** ftyp + moov for one track; every fragment of the track (encodeFragment) follows it. */
export function encodeInitSegment(track: TrackInfo): Uint8Array {
  checkTrack(track);
  const w = new BoxWriter(1024);
  writeFtyp(w);
  w.box('moov', () => {
    writeMvhd(w, track.id + 1);
    writeTrak(w, track);
    // trex (§8.8.3): defaults are never relied on, every trun states duration, size and flags.
    w.box('mvex', () => w.fullBox('trex', 0, 0, () => w.u32(track.id).u32(1).u32(0).u32(0).u32(0)));
  });
  return w.finish();
}

/** mvhd (§8.2.2), version 0: times 0, duration 0 (live, fragmented), rate and volume 1.0. */
function writeMvhd(w: BoxWriter, nextTrackId: number): void {
  w.fullBox('mvhd', 0, 0, () => {
    w.u32(0).u32(0).u32(MOVIE_TIMESCALE).u32(0); // creation_time, modification_time, timescale, duration
    w.u32(0x0001_0000).u16(FULL_VOLUME).zeros(10); // rate 1.0, volume 1.0, reserved
    for (const m of UNITY_MATRIX) w.u32(m);
    w.zeros(24); // pre_defined[6]
    w.u32(nextTrackId);
  });
}

function checkTrack(track: TrackInfo): void {
  const codec: string = track.config.codec;
  if (!SUPPORTED_CODECS[track.kind]?.includes(codec)) {
    throw new UnsupportedError(`fMP4 cannot carry ${track.kind} codec ${codec} yet`, { kind: track.kind, codec });
  }
  // track_ID 0 is reserved (§8.3.2.3); next_track_ID is track_ID + 1 and must fit too.
  if (!Number.isInteger(track.id) || track.id < 1 || track.id >= MAX_U32) throw new ProtocolError('track id must be an integer from 1 to 2^32 − 2', { trackId: track.id });
  if (!Number.isInteger(track.timescale) || track.timescale < 1 || track.timescale > MAX_U32) {
    throw new ProtocolError('track timescale must be an integer from 1 to 2^32 − 1', { timescale: track.timescale });
  }
}
