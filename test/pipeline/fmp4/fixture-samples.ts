// The repo fixture (H.264 High with B-frames + AAC-LC) as ffmpeg's FLV muxer sends it, turned
// into TrackInfo + FragmentSamples by the real tag decoders and track builder functions; and
// audio that ffmpeg encodes on the spot (MP3, AAC at other rates and layouts) via TrackBuilder.
import type { FragmentSample } from '../../../pipeline/fmp4/index.js';
import { decodeAudioTag, decodeVideoTag, FLV_TAG_TYPE } from '../../../pipeline/flv/index.js';
import type { AudioTrackInfo, VideoTrackInfo } from '../../../pipeline/ingest/media-types.js';
import { audioTrackFromAsc, TrackBuilder, videoTrackFromAvcC } from '../../../pipeline/ingest/track-builder.js';
import { FIXTURE_H264_AAC, readFlv, referenceFlvRecords } from '../../helpers/fixtures.js';
import { run } from '../../helpers/processes.js';

export interface FixtureTracks {
  readonly video: VideoTrackInfo;
  readonly videoSamples: FragmentSample[];
  readonly audio: AudioTrackInfo;
  readonly audioSamples: FragmentSample[];
}

interface Timed {
  readonly dts: number;
  readonly pts: number;
  readonly keyframe: boolean;
  readonly data: Uint8Array;
}

/** Durations from the next sample's dts; the last repeats the one before it. */
function withDurations(samples: readonly Timed[]): FragmentSample[] {
  return samples.map((s, i) => {
    const next = samples[i + 1] ?? samples[i - 1];
    const duration = i + 1 < samples.length ? next.dts - s.dts : s.dts - next.dts;
    return { ...s, duration };
  });
}

export async function loadFixtureTracks(): Promise<FixtureTracks> {
  let video: VideoTrackInfo | undefined;
  let audio: AudioTrackInfo | undefined;
  const videoTimed: Timed[] = [];
  const audioFrames: { timestampMs: number; data: Uint8Array }[] = [];
  for (const record of await referenceFlvRecords(FIXTURE_H264_AAC)) {
    if (record.tagType === FLV_TAG_TYPE.VIDEO) {
      for (const tag of decodeVideoTag(record.body)) {
        if (tag.packet === 'sequenceStart') video = videoTrackFromAvcC(tag.config);
        else if (tag.packet === 'codedFrames') {
          // RTMP milliseconds to 90 kHz is an exact ×90 (ARCHITECTURE "Times").
          const dts = record.timestampMs * 90;
          videoTimed.push({ dts, pts: dts + tag.compositionTimeMs * 90, keyframe: tag.frameType === 'keyframe', data: tag.data });
        }
      }
    } else if (record.tagType === FLV_TAG_TYPE.AUDIO) {
      for (const tag of decodeAudioTag(record.body)) {
        if (tag.packet === 'sequenceStart') audio = audioTrackFromAsc(tag.config);
        else if (tag.packet === 'codedFrames') audioFrames.push({ timestampMs: record.timestampMs, data: tag.data });
      }
    }
  }
  if (!video || !audio) throw new Error('the fixture has no H.264 or AAC sequence header');
  const perFrame = audio.samplesPerFrame;
  const start = Math.round(((audioFrames[0]?.timestampMs ?? 0) * audio.timescale) / 1000);
  const audioTimed = audioFrames.map((f, i) => {
    // Counting frames keeps audio exact; the FLV's rounded milliseconds must agree with it.
    const dts = start + i * perFrame;
    if (Math.abs((dts * 1000) / audio.timescale - f.timestampMs) > 1) throw new Error(`audio frame ${i} at ${f.timestampMs} ms is not contiguous`);
    return { dts, pts: dts, keyframe: true, data: f.data };
  });
  return { video, videoSamples: withDurations(videoTimed), audio, audioSamples: withDurations(audioTimed) };
}

/** Splits samples into fragments: video at keyframes, audio at whole seconds of the timescale. */
export function splitFragments(samples: readonly FragmentSample[], cutAt: (s: FragmentSample, prev: FragmentSample) => boolean): FragmentSample[][] {
  const out: FragmentSample[][] = [];
  samples.forEach((s, i) => {
    if (i === 0 || cutAt(s, samples[i - 1])) out.push([]);
    out[out.length - 1].push(s);
  });
  return out;
}

/** `ffmpeg -f lavfi sine … -f flv` with the given encoder arguments, through the real TrackBuilder. */
export async function encodedAudioTrack(encoderArgs: readonly string[]): Promise<{ track: AudioTrackInfo; samples: FragmentSample[] }> {
  const sine = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '1'];
  const r = await run('ffmpeg', ['-v', 'error', ...sine, ...encoderArgs, '-f', 'flv', 'pipe:1']);
  if (r.code !== 0) throw new Error(`ffmpeg could not encode ${encoderArgs.join(' ')}: ${r.stderr}`);
  const builder = new TrackBuilder();
  let track: AudioTrackInfo | undefined;
  const samples: FragmentSample[] = [];
  for (const record of readFlv(new Uint8Array(r.stdout))) {
    if (record.tagType !== FLV_TAG_TYPE.AUDIO) continue;
    for (const event of builder.push(record.tagType, record.timestampMs, record.body)) {
      if (event.type === 'track' && event.track.kind === 'audio') track = event.track;
      if (event.type === 'sample') samples.push(event.sample);
    }
  }
  if (!track) throw new Error(`no audio track from ${encoderArgs.join(' ')}`);
  return { track, samples };
}
