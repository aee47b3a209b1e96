// Legacy FLV tag bodies for synthetic streams (FLV v10.1 Annex E.4.2/E.4.3): enough for the
// server, which only peeks at headers, and for long-stream and load tests.
import type { AudioTrackInfo, Sample } from '../../pipeline/ingest/media-types.js';

/** The avcC of test/fixtures/h264-high-bframes-aac-3s.mp4 (High, level 1.3, 320×180, 30 fps):
 *  a real SPS and PPS, so the packagers accept synthetic streams. */
export const FIXTURE_AVCC_HEX = '0164000dffe1001a6764000dacd941419f9f0110000003001000000303c0f142996001000468efbcb0fdf8f800';

/** AVC sequence header (AVCPacketType 0) carrying FIXTURE_AVCC_HEX. */
export function avcSequenceHeader(): Uint8Array {
  return new Uint8Array([0x17, 0x00, 0, 0, 0, ...Buffer.from(FIXTURE_AVCC_HEX, 'hex')]);
}

/** One AVC NALU frame of `size` bytes (key or inter) with a signed composition time. */
export function avcFrame(keyframe: boolean, size = 64, compositionTimeMs = 0, fill = 0): Uint8Array {
  const body = new Uint8Array(5 + 4 + size);
  body[0] = keyframe ? 0x17 : 0x27;
  body[1] = 0x01;
  const ct = compositionTimeMs < 0 ? compositionTimeMs + 0x1000000 : compositionTimeMs;
  body[2] = (ct >> 16) & 0xff;
  body[3] = (ct >> 8) & 0xff;
  body[4] = ct & 0xff;
  new DataView(body.buffer).setUint32(5, size);
  body[9] = keyframe ? 0x65 : 0x41;
  body.fill(fill & 0xff, 10);
  return body;
}

/** AAC sequence header: AudioSpecificConfig for AAC-LC 44.1 kHz stereo. */
export function aacSequenceHeader(): Uint8Array {
  return new Uint8Array([0xaf, 0x00, 0x12, 0x10]);
}

export function aacFrame(size = 32): Uint8Array {
  const body = new Uint8Array(2 + size);
  body[0] = 0xaf;
  body[1] = 0x01;
  return body;
}

/** An MP3 track as the track builder makes one: 1152 samples per frame (576 below 32 kHz). */
export function mp3Track(sampleRate: number): AudioTrackInfo {
  return {
    kind: 'audio',
    id: 2,
    timescale: sampleRate,
    sampleRate,
    channels: 2,
    samplesPerFrame: sampleRate >= 32_000 ? 1152 : 576,
    codecString: 'mp4a.40.34',
    config: { codec: '.mp3' },
  };
}

/**
 * Video sample `f` of a 30 fps stream on track `trackId` (90 kHz): one length-prefixed NAL unit
 * of `size` bytes filled with f % 251 (an IDR every `gop` frames), for tests that need segments
 * of a realistic size without a real encoder.
 */
export function largeVideoSample(f: number, trackId: number, size = 24_000, gop = 60): Sample {
  const data = new Uint8Array(size);
  data.fill(f % 251, 5);
  new DataView(data.buffer).setUint32(0, data.length - 4);
  data[4] = f % gop === 0 ? 5 : 1;
  return { trackId, dts: f * 3000, pts: f * 3000, duration: 0, keyframe: f % gop === 0, data };
}
