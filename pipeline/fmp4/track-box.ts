// The trak box of an init segment (ISO/IEC 14496-12 §8.3.1): tkhd, then mdia with mdhd, hdlr and
// minf, whose stbl holds the sample description and empty sample tables (the samples are in
// movie fragments; 23000-19 §7.5.12).
import type { TrackInfo } from '../ingest/media-types.js';
import { writeAudioSampleEntry } from './audio-sample-entry.js';
import type { BoxWriter } from './box-writer.js';
import { DREF_SELF_CONTAINED, FULL_VOLUME, LANGUAGE_UND, TKHD_FLAGS, UNITY_MATRIX, VMHD_FLAGS } from './fmp4-constants.js';
import { writeVisualSampleEntry } from './visual-sample-entry.js';

/** hdlr handler_type and name per track kind (§8.4.3.3). */
const HANDLERS = {
  video: { type: 'vide', name: 'VideoHandler' },
  audio: { type: 'soun', name: 'SoundHandler' },
} as const;

export function writeTrak(w: BoxWriter, track: TrackInfo): void {
  w.box('trak', () => {
    writeTkhd(w, track);
    w.box('mdia', () => {
      // mdhd (§8.4.2): creation/modification time 0, the track's timescale, duration 0 (unknown: live).
      w.fullBox('mdhd', 0, 0, () => w.u32(0).u32(0).u32(track.timescale).u32(0).u16(LANGUAGE_UND).u16(0));
      writeHdlr(w, track.kind);
      w.box('minf', () => {
        writeMediaHeader(w, track.kind);
        // dinf/dref (§8.7.1, §8.7.2): one 'url ' entry flagged self-contained, with no location.
        w.box('dinf', () => w.fullBox('dref', 0, 0, () => w.u32(1).fullBox('url ', 0, DREF_SELF_CONTAINED, () => undefined)));
        writeStbl(w, track);
      });
    });
  });
}

/** tkhd (§8.3.2), version 0: volume only for audio, width/height only for video (§8.3.2.3). */
function writeTkhd(w: BoxWriter, track: TrackInfo): void {
  const video = track.kind === 'video';
  w.fullBox('tkhd', 0, TKHD_FLAGS, () => {
    w.u32(0).u32(0); // creation_time, modification_time
    w.u32(track.id).u32(0); // track_ID, reserved
    w.u32(0); // duration: unknown (fragmented)
    w.zeros(8); // reserved
    w.u16(0).u16(0); // layer, alternate_group
    w.u16(video ? 0 : FULL_VOLUME).u16(0); // volume, reserved
    for (const m of UNITY_MATRIX) w.u32(m);
    // width and height in 16.16 fixed point.
    w.u32(video ? track.width * 0x1_0000 : 0).u32(video ? track.height * 0x1_0000 : 0);
  });
}

function writeHdlr(w: BoxWriter, kind: TrackInfo['kind']): void {
  const handler = HANDLERS[kind];
  w.fullBox('hdlr', 0, 0, () => {
    w.u32(0).fourCc(handler.type).zeros(12); // pre_defined, handler_type, reserved[3]
    w.bytes(new TextEncoder().encode(handler.name)).u8(0); // name: null-terminated UTF-8
  });
}

/** vmhd (§12.1.2) or smhd (§12.2.2). */
function writeMediaHeader(w: BoxWriter, kind: TrackInfo['kind']): void {
  if (kind === 'video') w.fullBox('vmhd', 0, VMHD_FLAGS, () => w.u16(0).zeros(6)); // graphicsmode copy, opcolor 0
  else w.fullBox('smhd', 0, 0, () => w.u16(0).u16(0)); // balance centre, reserved
}

/** stbl (§8.5.1): stsd with the one sample entry; stts, stsc, stsz and stco with no entries. */
function writeStbl(w: BoxWriter, track: TrackInfo): void {
  w.box('stbl', () => {
    w.fullBox('stsd', 0, 0, () => {
      w.u32(1); // entry_count
      if (track.kind === 'video') writeVisualSampleEntry(w, track);
      else writeAudioSampleEntry(w, track);
    });
    w.fullBox('stts', 0, 0, () => w.u32(0));
    w.fullBox('stsc', 0, 0, () => w.u32(0));
    w.fullBox('stsz', 0, 0, () => w.u32(0).u32(0)); // sample_size, sample_count
    w.fullBox('stco', 0, 0, () => w.u32(0));
  });
}
