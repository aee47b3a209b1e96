// Reads a fixture FLV into what a publisher replays: codec configuration (sent once), the
// metadata, and the media tags of exactly one loop, each track cut to the loop's length.
import { readFileSync } from 'node:fs';
import { FLV_TAG_TYPE, FlvFileReader, isAudioSequenceHeader, isVideoKeyframe, isVideoSequenceHeader } from '../pipeline/flv/index.js';
import { amfPropertiesOf, decodeAmf0Values, type AmfObject } from '../pipeline/rtmp/amf/index.js';

export interface FixtureTag {
  /** RTMP message type: 8 audio, 9 video. */
  readonly typeId: number;
  readonly timestampMs: number;
  /** A view into the file's bytes: replaying never copies. */
  readonly body: Uint8Array;
  readonly keyframe: boolean;
}

export interface LoadedFixture {
  /** AVC and AAC sequence headers, sent once at the start. */
  readonly configTags: readonly FixtureTag[];
  readonly mediaTags: readonly FixtureTag[];
  readonly metadata?: AmfObject;
  /** Timestamps of loop k are the file's plus k × loopDurationMs. */
  readonly loopDurationMs: number;
  readonly keyframeIntervalMs: number;
  readonly videoKbps: number;
  readonly audioKbps: number;
}

export function loadFixture(path: string): LoadedFixture {
  const reader = new FlvFileReader();
  const records = [...reader.push(readFileSync(path)), ...reader.flush()];
  const configTags: FixtureTag[] = [];
  const tags: FixtureTag[] = [];
  let metadata: AmfObject | undefined;
  for (const r of records) {
    if (r.tagType === FLV_TAG_TYPE.SCRIPT_DATA) {
      const values = decodeAmf0Values(r.body);
      if (values[0] === 'onMetaData' && values[1] !== undefined) metadata = amfPropertiesOf(values[1]);
      continue;
    }
    const isConfig = r.tagType === FLV_TAG_TYPE.VIDEO ? isVideoSequenceHeader(r.body) : isAudioSequenceHeader(r.body);
    const tag = { typeId: r.tagType, timestampMs: r.timestampMs, body: r.body, keyframe: r.tagType === FLV_TAG_TYPE.VIDEO && isVideoKeyframe(r.body) };
    (isConfig ? configTags : tags).push(tag);
  }
  const video = tags.filter((t) => t.typeId === FLV_TAG_TYPE.VIDEO);
  if (video.length < 2) throw new Error(`${path}: a fixture needs video`);
  const first = video[0].timestampMs;
  const last = video[video.length - 1].timestampMs;
  const loopDurationMs = Math.round(((last - first) * video.length) / (video.length - 1));
  // Each track keeps [its first timestamp, + loop duration): the next loop continues it exactly.
  const firstOf = new Map<number, number>();
  const mediaTags = tags.filter((t) => {
    const start = firstOf.get(t.typeId) ?? t.timestampMs;
    firstOf.set(t.typeId, start);
    return t.timestampMs < start + loopDurationMs - 0.5;
  });
  const keyframes = mediaTags.filter((t) => t.keyframe).map((t) => t.timestampMs);
  const kbps = (typeId: number): number =>
    (mediaTags.filter((t) => t.typeId === typeId).reduce((n, t) => n + t.body.byteLength, 0) * 8) / loopDurationMs;
  return {
    configTags,
    mediaTags,
    metadata,
    loopDurationMs,
    keyframeIntervalMs: keyframes.length > 1 ? (keyframes[keyframes.length - 1] - keyframes[0]) / (keyframes.length - 1) : loopDurationMs,
    videoKbps: kbps(FLV_TAG_TYPE.VIDEO),
    audioKbps: kbps(FLV_TAG_TYPE.AUDIO),
  };
}
