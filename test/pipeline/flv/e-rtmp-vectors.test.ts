// Conformance against Veovera's Enhanced FLV vectors (AV1 + Opus written by FFmpeg), read from /work/shared/media/e-rtmp.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeAudioTag,
  decodeVideoTag,
  encodeAudioTag,
  encodeFlvHeader,
  encodeFlvRecord,
  encodeVideoTag,
  FlvFileReader,
  isAudioSequenceHeader,
  isVideoKeyframe,
  isVideoSequenceHeader,
  type AudioTag,
  type FlvRecord,
  type VideoTag,
} from '../../../pipeline/flv/index.js';

const DIR = fileURLToPath(new URL('../../../../shared/media/e-rtmp/', import.meta.url));
const MISSING = !existsSync(DIR);
if (MISSING) console.warn(`E-RTMP vector tests skipped: ${DIR} not found`);
const TITLE = MISSING ? `E-RTMP vectors (skipped: ${DIR} not found)` : 'E-RTMP vectors';

const VECTORS = [
  { file: 'testsrc.flv', videoFrames: 300, audioFrames: 501 },
  { file: 'mptestsrc.flv', videoFrames: 342, audioFrames: 501 },
];

interface Parsed {
  bytes: Uint8Array;
  header: FlvFileReader['header'];
  records: FlvRecord[];
  video: { record: FlvRecord; tags: VideoTag[] }[];
  audio: { record: FlvRecord; tags: AudioTag[] }[];
}

function parse(file: string, chunkSize: number): Parsed {
  const bytes = new Uint8Array(readFileSync(DIR + file));
  const reader = new FlvFileReader();
  const records: FlvRecord[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) records.push(...reader.push(bytes.subarray(at, at + chunkSize)));
  records.push(...reader.flush());
  return {
    bytes,
    header: reader.header,
    records,
    video: records.filter((r) => r.tagType === 9).map((record) => ({ record, tags: decodeVideoTag(record.body) })),
    audio: records.filter((r) => r.tagType === 8).map((record) => ({ record, tags: decodeAudioTag(record.body) })),
  };
}

const count = <T extends { packet: string }>(list: { tags: T[] }[], packet: string) => list.filter((e) => e.tags[0].packet === packet).length;

describe.skipIf(MISSING)(TITLE, () => {
  describe.each(VECTORS)('$file', ({ file, videoFrames, audioFrames }) => {
    const p = MISSING ? undefined : parse(file, 4096);
    const parsed = () => p as Parsed;

    it('has an FLV header announcing audio and video, and one onMetaData script tag', () => {
      expect(parsed().header).toEqual({ version: 1, audio: true, video: true });
      const scripts = parsed().records.filter((r) => r.tagType === 18);
      expect(scripts).toHaveLength(1);
      expect(new TextDecoder().decode(scripts[0].body.subarray(3, 13))).toBe('onMetaData');
    });

    it(`has exactly ${videoFrames} av01 CodedFrames tags, plus SequenceStart and Metadata`, () => {
      const { video } = parsed();
      expect(video.every((e) => e.tags.length === 1 && e.tags[0].codec === 'av01' && e.tags[0].enhanced && e.tags[0].trackId === 0)).toBe(true);
      expect(count(video, 'codedFrames')).toBe(videoFrames);
      // FFmpeg writes an empty SequenceStart before it has the av1C, then the real one.
      const starts = video.map((e) => e.tags[0]).filter((t) => t.packet === 'sequenceStart');
      expect(starts.map((t) => t.config.length === 0)).toEqual([true, false]);
      const av1c = starts[1].config;
      expect(av1c[0]).toBe(0x81); // av1C marker 1, version 1
      const metadata = video.map((e) => e.tags[0]).filter((t) => t.packet === 'metadata');
      expect(metadata).toHaveLength(1);
      expect(new TextDecoder().decode(metadata[0].body.subarray(3, 12))).toBe('colorInfo');
      expect(video.length).toBe(videoFrames + 3);
    });

    it('starts the video with a keyframe and says so through the peeks', () => {
      const frames = parsed().video.filter((e) => e.tags[0].packet === 'codedFrames');
      const first = frames[0].tags[0];
      expect(first.packet === 'codedFrames' && first.frameType).toBe('keyframe');
      for (const { record, tags } of parsed().video) {
        const t = tags[0];
        expect(isVideoKeyframe(record.body)).toBe(t.packet === 'codedFrames' && t.frameType === 'keyframe');
        expect(isVideoSequenceHeader(record.body)).toBe(t.packet === 'sequenceStart');
      }
    });

    it(`has exactly ${audioFrames} Opus CodedFrames tags, plus SequenceStart and MultichannelConfig`, () => {
      const { audio } = parsed();
      expect(audio.every((e) => e.tags.length === 1 && e.tags[0].codec === 'Opus' && e.tags[0].enhanced)).toBe(true);
      expect(count(audio, 'codedFrames')).toBe(audioFrames);
      const tags = audio.map((e) => e.tags[0]);
      const start = tags.filter((t) => t.packet === 'sequenceStart');
      expect(start).toHaveLength(1);
      expect(start[0].packet === 'sequenceStart' && new TextDecoder().decode(start[0].config.subarray(0, 8))).toBe('OpusHead');
      expect(tags.filter((t) => t.packet === 'multichannelConfig')).toEqual([
        { kind: 'audio', codec: 'Opus', trackId: 0, enhanced: true, packet: 'multichannelConfig', channelCount: 1, channelOrder: 'native', channelFlags: 0x04 },
      ]);
      expect(audio.length).toBe(audioFrames + 2);
      for (const { record, tags: t } of audio) expect(isAudioSequenceHeader(record.body)).toBe(t[0].packet === 'sequenceStart');
    });

    it('has monotonic (non-decreasing) timestamps', () => {
      const ts = parsed().records.map((r) => r.timestampMs);
      expect(ts.every((t, i) => i === 0 || t >= ts[i - 1])).toBe(true);
      expect(ts[ts.length - 1]).toBeGreaterThan(9000);
    });

    it('re-encodes every tag body to the same bytes', () => {
      for (const { record, tags } of parsed().video) expect(encodeVideoTag(tags)).toEqual(record.body);
      for (const { record, tags } of parsed().audio) expect(encodeAudioTag(tags)).toEqual(record.body);
    });

    it('rewrites the whole file byte for byte', () => {
      const parts = [encodeFlvHeader({ audio: true, video: true }), ...parsed().records.flatMap(encodeFlvRecord)];
      const total = parts.reduce((n, b) => n + b.length, 0);
      const out = new Uint8Array(total);
      let at = 0;
      for (const b of parts) {
        out.set(b, at);
        at += b.length;
      }
      expect(Buffer.compare(out, parsed().bytes)).toBe(0);
    });

    it('gives the same records for another chunk size', () => {
      const other = parse(file, 1000 + 7);
      expect(other.records).toEqual(parsed().records);
    });
  });
});
