// Interop: the repo fixture's H.264 (with B-frames) and AAC, one track per file, written as an
// init segment + three 1 s fragments and judged by ffprobe (codec, geometry, exact timestamps)
// and ffmpeg (decodes without a message); likewise MP3 and AAC variants that ffmpeg encodes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFragment, encodeInitSegment, type FragmentSample } from '../../../pipeline/fmp4/index.js';
import type { TrackInfo } from '../../../pipeline/ingest/media-types.js';
import { killAll, run } from '../../helpers/processes.js';
import { requireTool } from '../../helpers/tools.js';
import { concat } from './box-reader.js';
import { encodedAudioTrack, loadFixtureTracks, splitFragments, type FixtureTracks } from './fixture-samples.js';

const HAVE_TOOLS = requireTool('ffmpeg') && requireTool('ffprobe');
/** Debian's ffmpeg has libmp3lame; a build without it skips the MP3 cases (with a warning). */
const HAVE_LAME = HAVE_TOOLS && spawnSync('ffmpeg', ['-hide_banner', '-encoders']).stdout.toString().includes('libmp3lame');
if (HAVE_TOOLS && !HAVE_LAME) console.warn('skipping fMP4 MP3 interop: this ffmpeg has no libmp3lame encoder');

interface Probe {
  streams: { codec_name: string; codec_type: string; width?: number; height?: number; sample_rate?: string; channels?: number; time_base: string }[];
  packets: { pts: number; dts: number; size: string; flags: string }[];
}

describe.skipIf(!HAVE_TOOLS)('fMP4 interop with ffprobe and ffmpeg', () => {
  let media: FixtureTracks;
  let dir: string;

  beforeAll(async () => {
    media = await loadFixtureTracks();
    dir = mkdtempSync(join(tmpdir(), 'onramp-fmp4-'));
  });

  afterAll(() => {
    killAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** init + one fragment per group, sequence numbers from 1, as one file. */
  function writeTrack(name: string, track: TrackInfo, fragments: readonly FragmentSample[][]): string {
    const parts = [encodeInitSegment(track), ...fragments.flatMap((f, i) => encodeFragment(track, i + 1, f))];
    const file = join(dir, `${name}.mp4`);
    writeFileSync(file, concat(parts));
    return file;
  }

  async function probe(file: string): Promise<Probe> {
    const p = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_packets', '-of', 'json', file]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    return JSON.parse(p.stdout.toString()) as Probe;
  }

  async function expectDecodesCleanly(file: string): Promise<void> {
    const r = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }

  const videoFragments = () => splitFragments(media.videoSamples, (s) => s.keyframe);
  const audioFragments = () => {
    // Whole seconds from the first frame; the few frames past 3 s join the last fragment.
    const second = (s: FragmentSample) => Math.min(2, Math.floor((s.dts - media.audioSamples[0].dts) / media.audio.timescale));
    return splitFragments(media.audioSamples, (s, prev) => second(s) > second(prev));
  };

  it('the fixture gives three 1 s fragments per track, with B-frames', () => {
    expect(videoFragments().map((f) => f.length)).toEqual([30, 30, 30]);
    expect(audioFragments().length).toBe(3);
    // B-frames: presentation order differs from decode order.
    expect(media.videoSamples.some((s, i) => i > 0 && s.pts < media.videoSamples[i - 1].pts)).toBe(true);
  });

  it('video: ffprobe reads h264 320×180 with every packet at the pts/dts written (90 kHz)', async () => {
    const file = writeTrack('video', media.video, videoFragments());
    const { streams, packets } = await probe(file);
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ codec_name: 'h264', codec_type: 'video', width: 320, height: 180, time_base: '1/90000' });
    expect(packets.map((p) => [p.pts, p.dts, Number(p.size), p.flags.startsWith('K')])).toEqual(
      media.videoSamples.map((s) => [s.pts, s.dts, s.data.length, s.keyframe]),
    );
    await expectDecodesCleanly(file);
  });

  it('video with negative composition offsets (first pts = dts): decodes, ffmpeg shifts pts by the largest negative offset', async () => {
    // The CMAF way to start presentation at the first decode time without an edit list.
    const shift = media.videoSamples[0].pts - media.videoSamples[0].dts;
    expect(shift).toBeGreaterThan(0);
    const samples = media.videoSamples.map((s) => ({ ...s, pts: s.pts - shift }));
    const offsets = samples.map((s) => s.pts - s.dts);
    expect(Math.min(...offsets)).toBeLessThan(0);
    const fragments = splitFragments(samples, (s) => s.keyframe);
    const file = writeTrack('video-negative-cts', media.video, fragments);
    const { packets } = await probe(file);
    // ffmpeg's mov demuxer keeps pts ≥ dts: it adds its dts_shift (the largest negative
    // composition offset seen) to every pts and leaves dts alone.
    const ffmpegShift = -Math.min(...offsets);
    expect(packets.map((p) => [p.pts, p.dts])).toEqual(samples.map((s) => [s.pts + ffmpegShift, s.dts]));
    await expectDecodesCleanly(file);
  });

  it('audio: ffprobe reads aac 44.1 kHz stereo with every packet at the pts/dts written', async () => {
    const file = writeTrack('audio', media.audio, audioFragments());
    const { streams, packets } = await probe(file);
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ codec_name: 'aac', codec_type: 'audio', sample_rate: '44100', channels: 2, time_base: '1/44100' });
    expect(packets.map((p) => [p.pts, p.dts, Number(p.size)])).toEqual(media.audioSamples.map((s) => [s.pts, s.dts, s.data.length]));
    await expectDecodesCleanly(file);
  });

  it('tracks starting past 2^32 ticks keep exact 64-bit decode times', async () => {
    const base = 2 ** 32 + 90_000 * 7;
    const moved = media.videoSamples.map((s) => ({ ...s, dts: s.dts + base, pts: s.pts + base }));
    const file = writeTrack('video-late', media.video, splitFragments(moved, (s) => s.keyframe));
    const { packets } = await probe(file);
    expect(packets.map((p) => [p.pts, p.dts])).toEqual(moved.map((s) => [s.pts, s.dts]));
    await expectDecodesCleanly(file);
  });

  const audioCases = [
    { name: 'MP3 44.1 kHz', args: ['-ar', '44100', '-c:a', 'libmp3lame'], codec: 'mp3', rate: '44100', channels: 1 },
    { name: 'MP3 22.05 kHz (MPEG-2 audio)', args: ['-ar', '22050', '-c:a', 'libmp3lame'], codec: 'mp3', rate: '22050', channels: 1 },
    { name: 'AAC 96 kHz (samplerate field 0)', args: ['-ar', '96000', '-c:a', 'aac'], codec: 'aac', rate: '96000', channels: 1 },
    { name: 'AAC 48 kHz 5.1', args: ['-ar', '48000', '-ac', '6', '-c:a', 'aac'], codec: 'aac', rate: '48000', channels: 6 },
  ];
  it.each(audioCases.filter((c) => HAVE_LAME || !c.args.includes('libmp3lame')))(
    '$name: ffprobe reads codec, rate, channels and exact timestamps; ffmpeg decodes',
    async ({ name, args, codec, rate, channels }) => {
      const { track, samples } = await encodedAudioTrack(args);
      const half = Math.ceil(samples.length / 2);
      const file = writeTrack(name.replace(/\W+/g, '-'), track, [samples.slice(0, half), samples.slice(half)]);
      const { streams, packets } = await probe(file);
      expect(streams[0]).toMatchObject({ codec_name: codec, sample_rate: rate, channels, time_base: `1/${track.timescale}` });
      expect(packets.map((p) => [p.pts, p.dts, Number(p.size)])).toEqual(samples.map((s) => [s.pts, s.dts, s.data.length]));
      await expectDecodesCleanly(file);
    },
  );
});
