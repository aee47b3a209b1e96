// Track descriptions and tiny synthetic elementary-stream frames for the MPEG-TS tests:
// Annex B H.264 access units (fake slice data) and ADTS frames (ISO/IEC 13818-7 §6.2).
import { mp3Track } from '../../helpers/synthetic-media.js';
import type { AudioTrackInfo, Sample, TrackInfo, VideoTrackInfo } from '../../../pipeline/ingest/media-types.js';

const SPS = Uint8Array.of(0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9, 0x40, 0x50, 0x05, 0xbb, 0x01, 0x10);
const PPS = Uint8Array.of(0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0);

export const VIDEO_TRACK: VideoTrackInfo = {
  kind: 'video',
  id: 1,
  timescale: 90_000,
  codecString: 'avc1.64001f',
  width: 320,
  height: 180,
  frameRate: 30,
  config: { codec: 'avc1', avcC: Uint8Array.of(1, 0x64, 0, 0x1f, 0xff, 0xe0, 0), sps: [SPS], pps: [PPS], nalLengthSize: 4 },
};

export function aacTrack(sampleRate = 44_100, channels = 2): AudioTrackInfo {
  return {
    kind: 'audio',
    id: 2,
    timescale: sampleRate,
    sampleRate,
    channels,
    samplesPerFrame: 1024,
    codecString: 'mp4a.40.2',
    config: { codec: 'mp4a', asc: Uint8Array.of(0x12, 0x10), adtsObjectType: 2, coreSampleRate: sampleRate, channelConfig: channels },
  };
}

export const AUDIO_TRACK: AudioTrackInfo = aacTrack();

/** A byte pattern that never contains 00 00 0x (so no start code emulation), varying with `seed`. */
export function filler(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = 0x10 + ((i * 7 + seed * 13) % 0xe0);
  return out;
}

/** An Annex B access unit: [AUD], [SPS, PPS] for keyframes, one slice NAL of `sliceSize` bytes. */
export function h264AccessUnit(keyframe: boolean, sliceSize: number, seed: number, withAud = false): Uint8Array[] {
  const parts: Uint8Array[] = [];
  if (withAud) parts.push(Uint8Array.of(0, 0, 0, 1, 0x09, 0xf0));
  if (keyframe) parts.push(Uint8Array.of(0, 0, 0, 1), SPS, Uint8Array.of(0, 0, 0, 1), PPS);
  const slice = filler(sliceSize, seed);
  slice[0] = keyframe ? 0x65 : 0x41;
  parts.push(Uint8Array.of(0, 0, 1), slice);
  return parts;
}

/** An ADTS frame (AAC-LC, no CRC) around `rawSize` bytes of fake raw data. */
export function adtsFrame(rawSize: number, seed: number, sampleRateIndex = 4, channels = 2): Uint8Array {
  const length = 7 + rawSize;
  const out = new Uint8Array(length);
  out[0] = 0xff;
  out[1] = 0xf1; // MPEG-4, layer 0, protection_absent
  out[2] = (1 << 6) | (sampleRateIndex << 2) | (channels >> 2); // profile LC (object type 2 − 1)
  out[3] = ((channels & 3) << 6) | (length >> 11);
  out[4] = (length >> 3) & 0xff;
  out[5] = ((length & 7) << 5) | 0x1f;
  out[6] = 0xfc;
  out.set(filler(rawSize, seed), 7);
  return out;
}

/** An MPEG-1 Layer III frame header (44.1 kHz, 128 kbit/s) followed by fake data. */
export function mp3Frame(size: number, seed: number): Uint8Array {
  const out = filler(size, seed);
  out.set([0xff, 0xfb, 0x90, 0x64], 0);
  return out;
}

export function sample(track: TrackInfo, dts: number, pts: number, keyframe: boolean, data: readonly Uint8Array[] = []): Sample {
  return { trackId: track.id, dts, pts, duration: 0, keyframe, data: data[0] ?? new Uint8Array(0) };
}

export { mp3Track };
