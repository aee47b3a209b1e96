// Tracks and tiny synthetic samples for the fMP4 tests: the repo fixture's avcC (High, 320×180)
// and AAC-LC 44.1 kHz stereo (ASC 12 10), built by the real track builder.
import type { FragmentSample } from '../../../pipeline/fmp4/index.js';
import { audioTrackFromAsc, videoTrackFromAvcC } from '../../../pipeline/ingest/track-builder.js';
import { mp3Track } from '../../helpers/synthetic-media.js';
import type { AudioTrackInfo, VideoTrackInfo } from '../../../pipeline/ingest/media-types.js';
import { FIXTURE_AVCC_HEX } from '../../helpers/synthetic-media.js';

export const VIDEO: VideoTrackInfo = videoTrackFromAvcC(new Uint8Array(Buffer.from(FIXTURE_AVCC_HEX, 'hex')));
export const AAC: AudioTrackInfo = audioTrackFromAsc(Uint8Array.of(0x12, 0x10));

/** Deterministic filler bytes. */
export function filler(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 17 + 7) & 0xff;
  return out;
}

/** One access unit: a 4-byte-length-prefixed NAL unit (IDR slice or non-IDR slice) of `size` bytes. */
export function accessUnit(keyframe: boolean, size: number, seed: number): Uint8Array {
  const nal = filler(size, seed);
  nal[0] = keyframe ? 0x65 : 0x41;
  const out = new Uint8Array(4 + size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(nal, 4);
  return out;
}

/** Frames of 3000 ticks (30 fps at 90 kHz) from 10 s. */
export const VIDEO_START = 900_000;
export const FRAME_TICKS = 3000;

/**
 * Decode order I0 P3 B1 B2 P6 B4 B5 (presentation frame numbers): composition offsets
 * 0, +2, −1, −1, +2, −1, −1 frames, so the trun carries negative offsets.
 */
export function videoSamples(start = VIDEO_START): FragmentSample[] {
  const presentationFrame = [0, 3, 1, 2, 6, 4, 5];
  return presentationFrame.map((p, i) => ({
    dts: start + i * FRAME_TICKS,
    pts: start + p * FRAME_TICKS,
    duration: FRAME_TICKS,
    keyframe: i === 0,
    data: accessUnit(i === 0, [900, 300, 120, 110, 280, 100, 90][i], i),
  }));
}

/** 441000 ticks = 10 s at 44.1 kHz; AAC frames of 1024 samples. */
export const AUDIO_START = 441_000;

export function audioSamples(start = AUDIO_START, count = 8): FragmentSample[] {
  return Array.from({ length: count }, (_, i) => {
    const dts = start + i * 1024;
    return { dts, pts: dts, duration: 1024, keyframe: true, data: filler(1 + ((i * 97) % 400), 100 + i) };
  });
}

export { mp3Track };
