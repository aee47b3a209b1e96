// Turns RTMP audio/video tag bodies into TrackInfo and Samples (ARCHITECTURE "FLV tag bodies →
// track builder → muxers"): H.264, AAC and MP3 now; other codecs are reported as unsupported.
import { parseAudioSpecificConfig, aacConfigFromAsc } from '../codecs/aac/audio-specific-config.js';
import { avcCodecString, parseAvcDecoderConfig } from '../codecs/h264/avc-decoder-config.js';
import { parseSps } from '../codecs/h264/sps-parser.js';
import { parseMp3FrameHeader } from '../codecs/mp3/mp3-frame-header.js';
import { UnsupportedError } from '../core/errors.js';
import { decodeAudioTag, decodeVideoTag, type AudioTag, type VideoTag } from '../flv/index.js';
import { AudioClock } from './audio-clock.js';
import { VIDEO_TIMESCALE, type AudioTrackInfo, type Sample, type TrackInfo, type VideoTrackInfo } from './media-types.js';

export const VIDEO_TRACK_ID = 1;
export const AUDIO_TRACK_ID = 2;

export type TrackEvent =
  /** A track's configuration arrived or changed. */
  | { readonly type: 'track'; readonly track: TrackInfo }
  | { readonly type: 'sample'; readonly sample: Sample }
  /** A codec this builder cannot package (reported once per codec). */
  | { readonly type: 'unsupported'; readonly kind: 'audio' | 'video'; readonly codec: string };

export class TrackBuilder {
  private video: VideoTrackInfo | undefined;
  private audio: AudioTrackInfo | undefined;
  private readonly audioClock = new AudioClock();
  private readonly reported = new Set<string>();

  get videoTrack(): VideoTrackInfo | undefined {
    return this.video;
  }

  get audioTrack(): AudioTrackInfo | undefined {
    return this.audio;
  }

  /** One RTMP video (9) or audio (8) message. Throws a PipelineError for a malformed body. */
  push(typeId: 8 | 9, timestampMs: number, body: Uint8Array): TrackEvent[] {
    const out: TrackEvent[] = [];
    if (typeId === 9) {
      for (const tag of decodeVideoTag(body)) if (tag.trackId === 0) this.videoTag(tag, timestampMs, out);
    } else {
      for (const tag of decodeAudioTag(body)) if (tag.trackId === 0) this.audioTag(tag, timestampMs, out);
    }
    return out;
  }

  private videoTag(tag: VideoTag, timestampMs: number, out: TrackEvent[]): void {
    if (tag.codec !== 'avc1') {
      if (tag.codec !== null) this.unsupported('video', tag.codec, out);
      return;
    }
    if (tag.packet === 'sequenceStart') {
      const track = videoTrackFromAvcC(tag.config);
      if (!this.video || !sameBytes(this.video.config.avcC, track.config.avcC)) {
        this.video = track;
        out.push({ type: 'track', track });
      }
      return;
    }
    if (tag.packet !== 'codedFrames' || !this.video || tag.data.length === 0) return;
    // RTMP carries ms; the 90 kHz clock is an exact ×90 (ARCHITECTURE "Times").
    const dts = timestampMs * 90;
    const pts = (timestampMs + tag.compositionTimeMs) * 90;
    out.push({ type: 'sample', sample: { trackId: VIDEO_TRACK_ID, dts, pts, duration: 0, keyframe: tag.frameType === 'keyframe', data: tag.data } });
  }

  private audioTag(tag: AudioTag, timestampMs: number, out: TrackEvent[]): void {
    if (tag.codec === 'mp4a') {
      if (tag.packet === 'sequenceStart') {
        const track = audioTrackFromAsc(tag.config);
        if (!this.audio || this.audio.config.codec !== 'mp4a' || !sameBytes(this.audio.config.asc, track.config.codec === 'mp4a' ? track.config.asc : new Uint8Array())) {
          this.audio = track;
          this.audioClock.reset();
          out.push({ type: 'track', track });
        }
        return;
      }
      if (tag.packet !== 'codedFrames' || !this.audio || tag.data.length === 0) return;
      this.emitAudio(this.audio, timestampMs, this.audio.samplesPerFrame, tag.data, out);
      return;
    }
    if (tag.codec === '.mp3') {
      if (tag.packet !== 'codedFrames' || tag.data.length < 4) return;
      const header = parseMp3FrameHeader(tag.data);
      if (!this.audio || this.audio.config.codec !== '.mp3' || this.audio.sampleRate !== header.sampleRate || this.audio.channels !== header.channels) {
        this.audio = {
          kind: 'audio',
          id: AUDIO_TRACK_ID,
          timescale: header.sampleRate,
          sampleRate: header.sampleRate,
          channels: header.channels,
          samplesPerFrame: header.samplesPerFrame,
          codecString: 'mp4a.40.34',
          config: { codec: '.mp3' },
        };
        this.audioClock.reset();
        out.push({ type: 'track', track: this.audio });
      }
      this.emitAudio(this.audio, timestampMs, mp3Samples(tag.data, header.samplesPerFrame), tag.data, out);
      return;
    }
    this.unsupported('audio', tag.codec, out);
  }

  private emitAudio(track: AudioTrackInfo, timestampMs: number, duration: number, data: Uint8Array, out: TrackEvent[]): void {
    const dts = this.audioClock.next(timestampMs, track.timescale, duration);
    out.push({ type: 'sample', sample: { trackId: AUDIO_TRACK_ID, dts, pts: dts, duration, keyframe: true, data } });
  }

  private unsupported(kind: 'audio' | 'video', codec: string, out: TrackEvent[]): void {
    const key = `${kind}:${codec}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    out.push({ type: 'unsupported', kind, codec });
  }
}

export function videoTrackFromAvcC(avcC: Uint8Array): VideoTrackInfo {
  const dc = parseAvcDecoderConfig(avcC);
  if (dc.sps.length === 0) throw new UnsupportedError('H.264 configuration without an SPS');
  const sps = parseSps(dc.sps[0]);
  return {
    kind: 'video',
    id: VIDEO_TRACK_ID,
    timescale: VIDEO_TIMESCALE,
    codecString: avcCodecString(dc.profileIdc, dc.profileCompatibility, dc.levelIdc),
    width: sps.width,
    height: sps.height,
    frameRate: sps.frameRate,
    config: { codec: 'avc1', avcC, sps: dc.sps, pps: dc.pps, nalLengthSize: dc.nalLengthSize },
  };
}

export function audioTrackFromAsc(asc: Uint8Array): AudioTrackInfo {
  const info = parseAudioSpecificConfig(asc);
  return {
    kind: 'audio',
    id: AUDIO_TRACK_ID,
    timescale: info.outputSampleRate,
    sampleRate: info.outputSampleRate,
    channels: info.channels,
    // With SBR the output rate doubles, and so does each frame's length in output samples.
    samplesPerFrame: info.outputFrameLengthSamples,
    codecString: info.codecString,
    config: aacConfigFromAsc(asc),
  };
}

/** Samples in an MP3 payload: frames are walked by their headers (usually one per message). */
function mp3Samples(data: Uint8Array, perFrame: number): number {
  let frames = 0;
  let at = 0;
  while (at + 4 <= data.length && frames < 64) {
    const h = parseMp3FrameHeader(data.subarray(at));
    if (h.frameLength <= 0) break;
    frames++;
    at += h.frameLength;
  }
  return Math.max(1, frames) * perFrame;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
