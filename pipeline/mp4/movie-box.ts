// The moov of a progressive MP4 (ISO/IEC 14496-12 §8.2.1): mvhd, and per track a trak with tkhd,
// edts/elst, and mdia (mdhd, hdlr, minf with vmhd or smhd, dinf/dref and the sample table).
import type { BoxWriter } from '../fmp4/box-writer.js';
import { DREF_SELF_CONTAINED, FULL_VOLUME, LANGUAGE_UND, TKHD_FLAGS, UNITY_MATRIX, VMHD_FLAGS } from '../fmp4/fmp4-constants.js';
import type { InitTrack } from '../fmp4/init-segment-reader.js';
import type { TrackTiming } from './export-timeline.js';
import { ELST_EMPTY_MEDIA_TIME, MAX_U32, MP4_MOVIE_TIMESCALE } from './mp4-constants.js';
import { writeStbl, type SampleTables } from './sample-tables.js';

export interface MovieTrack {
  readonly init: InitTrack;
  readonly timing: TrackTiming;
  readonly tables: SampleTables;
}

/** hdlr handler_type and name per track kind (§8.4.3.3). */
const HANDLERS = {
  video: { type: 'vide', name: 'VideoHandler' },
  audio: { type: 'soun', name: 'SoundHandler' },
} as const;
const MAX_I32 = 0x7fff_ffff;

/** The track's edit durations in the movie timescale: the empty edit (0 when none) and the media edit. */
export function editDurations(track: MovieTrack): { emptyMs: number; mediaMs: number } {
  const { timing, init } = track;
  return {
    emptyMs: Math.round(timing.startDelaySec * MP4_MOVIE_TIMESCALE),
    mediaMs: Math.round((timing.mediaDurationTicks * MP4_MOVIE_TIMESCALE) / init.timescale),
  };
}

/** tkhd duration (§8.3.2.3): the sum of the track's edits, in the movie timescale. */
export function trackDurationMs(track: MovieTrack): number {
  const { emptyMs, mediaMs } = editDurations(track);
  return emptyMs + mediaMs;
}

export function writeMoov(w: BoxWriter, tracks: readonly MovieTrack[], co64: boolean): void {
  const durationMs = Math.max(...tracks.map(trackDurationMs));
  w.box('moov', () => {
    writeMvhd(w, durationMs, Math.max(...tracks.map((t) => t.init.trackId)) + 1);
    for (const t of tracks) writeTrak(w, t, co64);
  });
}

/** mvhd (§8.2.2): version 1 only when the duration needs 64 bits. */
function writeMvhd(w: BoxWriter, durationMs: number, nextTrackId: number): void {
  const v1 = durationMs > MAX_U32;
  w.fullBox('mvhd', v1 ? 1 : 0, 0, () => {
    timeField(w, v1, 0); // creation_time
    timeField(w, v1, 0); // modification_time
    w.u32(MP4_MOVIE_TIMESCALE);
    timeField(w, v1, durationMs);
    w.u32(0x0001_0000).u16(FULL_VOLUME).zeros(10); // rate 1.0, volume 1.0, reserved
    for (const m of UNITY_MATRIX) w.u32(m);
    w.zeros(24); // pre_defined[6]
    w.u32(nextTrackId);
  });
}

function writeTrak(w: BoxWriter, track: MovieTrack, co64: boolean): void {
  const { init, timing, tables } = track;
  w.box('trak', () => {
    writeTkhd(w, init, trackDurationMs(track));
    writeEdts(w, track);
    w.box('mdia', () => {
      const v1 = timing.mediaDurationTicks > MAX_U32;
      w.fullBox('mdhd', v1 ? 1 : 0, 0, () => {
        timeField(w, v1, 0); // creation_time
        timeField(w, v1, 0); // modification_time
        w.u32(init.timescale);
        timeField(w, v1, timing.mediaDurationTicks);
        w.u16(packLanguage(init.language)).u16(0); // language, pre_defined
      });
      const handler = HANDLERS[init.kind];
      w.fullBox('hdlr', 0, 0, () => {
        w.u32(0).fourCc(handler.type).zeros(12); // pre_defined, handler_type, reserved[3]
        w.bytes(new TextEncoder().encode(handler.name)).u8(0); // name: null-terminated UTF-8
      });
      w.box('minf', () => {
        // vmhd (§12.1.2) or smhd (§12.2.2).
        if (init.kind === 'video') w.fullBox('vmhd', 0, VMHD_FLAGS, () => w.u16(0).zeros(6));
        else w.fullBox('smhd', 0, 0, () => w.u16(0).u16(0));
        // dinf/dref (§8.7.1, §8.7.2): one 'url ' entry flagged self-contained: the data is in this file.
        w.box('dinf', () => w.fullBox('dref', 0, 0, () => w.u32(1).fullBox('url ', 0, DREF_SELF_CONTAINED, () => undefined)));
        writeStbl(w, init.stsd, tables, co64);
      });
    });
  });
}

/** tkhd (§8.3.2): enabled, in movie and preview; volume for audio, width/height for video. */
function writeTkhd(w: BoxWriter, init: InitTrack, durationMs: number): void {
  const v1 = durationMs > MAX_U32;
  const video = init.kind === 'video';
  w.fullBox('tkhd', v1 ? 1 : 0, TKHD_FLAGS, () => {
    timeField(w, v1, 0); // creation_time
    timeField(w, v1, 0); // modification_time
    w.u32(init.trackId).u32(0); // track_ID, reserved
    timeField(w, v1, durationMs);
    w.zeros(8).u16(0).u16(0); // reserved, layer, alternate_group
    w.u16(video ? 0 : FULL_VOLUME).u16(0); // volume, reserved
    for (const m of UNITY_MATRIX) w.u32(m);
    w.u32(video ? init.width * 0x1_0000 : 0).u32(video ? init.height * 0x1_0000 : 0); // 16.16
  });
}

/**
 * edts/elst (§8.6.5, §8.6.6): an empty edit (media_time −1) for the time from movie zero to the
 * track's first presented sample, then one edit that plays the media from that sample's
 * composition time at rate 1. So every track starts at presentation time 0 of its own stream and
 * the tracks keep their original offset. Version 1 only when a field needs 64 bits.
 */
function writeEdts(w: BoxWriter, track: MovieTrack): void {
  const { emptyMs, mediaMs } = editDurations(track);
  const mediaTime = track.timing.mediaStartTicks;
  const edits: [number, number][] = emptyMs > 0 ? [[emptyMs, ELST_EMPTY_MEDIA_TIME], [mediaMs, mediaTime]] : [[mediaMs, mediaTime]];
  const v1 = emptyMs > MAX_U32 || mediaMs > MAX_U32 || mediaTime > MAX_I32;
  w.box('edts', () =>
    w.fullBox('elst', v1 ? 1 : 0, 0, () => {
      w.u32(edits.length);
      for (const [duration, time] of edits) {
        timeField(w, v1, duration);
        if (v1) w.u32(time < 0 ? MAX_U32 : Math.floor(time / 2 ** 32)).u32(time < 0 ? MAX_U32 : time % 2 ** 32);
        else w.i32(time);
        w.u16(1).u16(0); // media_rate_integer 1, media_rate_fraction 0
      }
    }),
  );
}

/** A 32-bit time field in version 0, 64-bit in version 1. */
function timeField(w: BoxWriter, v1: boolean, value: number): void {
  if (v1) w.u64Number(value);
  else w.u32(value);
}

/** mdhd language (§8.4.2.3): three letters − 0x60, 5 bits each; 'und' when unknown. */
function packLanguage(language: string | undefined): number {
  if (language === undefined || !/^[a-z]{3}$/.test(language)) return LANGUAGE_UND;
  return ((language.charCodeAt(0) - 0x60) << 10) | ((language.charCodeAt(1) - 0x60) << 5) | (language.charCodeAt(2) - 0x60);
}
