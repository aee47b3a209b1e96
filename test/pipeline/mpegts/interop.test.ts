// Interop: the repo fixture (H.264 High with B-frames + AAC) muxed by TsMuxer and judged by
// ffmpeg (decodes without a message), ffprobe (streams, exact PTS/DTS) and mux.js's TS inspector.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioTrackInfo, TrackInfo } from '../../../pipeline/ingest/media-types.js';
import { AUDIO_PID, TsMuxer, VIDEO_PID } from '../../../pipeline/mpegts/index.js';
import { FIXTURE_H264_AAC } from '../../helpers/fixtures.js';
import { killAll, run } from '../../helpers/processes.js';
import { requireTool } from '../../helpers/tools.js';
import { continuityErrors, inspectTs, pcrErrors } from '../../helpers/ts-inspect.js';
import { loadFixtureMedia, nalTypes, type FixtureMedia } from './fixture-media.js';
import { muxSteps, type SampleStep, type Step } from './mux-steps.js';
import { VIDEO_TRACK, aacTrack } from './synthetic-tracks.js';

const HAVE_TOOLS = requireTool('ffmpeg') && requireTool('ffprobe');
const WRAP = 2 ** 33;
const AUDIO: AudioTrackInfo = aacTrack(44_100);

interface MuxJsTime {
  readonly pts: number;
  readonly dts: number;
}
interface MuxJsInspection {
  readonly video?: MuxJsTime[];
  readonly audio?: MuxJsTime[];
  readonly firstKeyFrame?: MuxJsTime;
}
const muxjs = createRequire(import.meta.url)('mux.js') as { mp2t: { tools: { inspect(bytes: Uint8Array): MuxJsInspection | null } } };

interface Written {
  readonly kind: 'video' | 'audio';
  readonly pts: number;
  readonly dts: number;
}

/** Nearest 90 kHz tick of ticks/rate, ties up: the reference for the muxer's audio conversion. */
function to90k(ticks: number, rate: number): number {
  const num = 2n * BigInt(ticks) * 90_000n + BigInt(rate);
  const den = 2n * BigInt(rate);
  return Number(num / den - (num < 0n && num % den !== 0n ? 1n : 0n));
}

/** Muxes the fixture from `start90k` (a multiple of 100, so audio starts on a whole tick), PAT/PMT per keyframe (or per second of audio). */
function muxFixture(media: FixtureMedia, tracks: TrackInfo[], start90k: number): { ts: Uint8Array; written: Written[] } {
  const [vNum, vDen] = media.videoTimeBase;
  const [aNum, aDen] = media.audioTimeBase;
  expect(aNum === 1 && aDen === AUDIO.sampleRate).toBe(true);
  const samples: (SampleStep & Written)[] = [];
  if (tracks.includes(VIDEO_TRACK)) {
    for (const { accessUnit, packet } of media.video) {
      const dts = start90k + (packet.dts * vNum * 90_000) / vDen;
      const pts = start90k + (packet.pts * vNum * 90_000) / vDen;
      expect(Number.isInteger(dts) && Number.isInteger(pts)).toBe(true);
      samples.push({ kind: 'video', track: VIDEO_TRACK, dts, pts, keyframe: packet.keyframe, payload: [accessUnit] });
    }
  }
  if (tracks.includes(AUDIO)) {
    const startTicks = (start90k / 100) * 49; // × 44100 / 90000
    for (const { frame, packet } of media.audio) {
      const ticks = startTicks + packet.pts;
      samples.push({ kind: 'audio', track: AUDIO, dts: ticks, pts: ticks, keyframe: true, payload: [frame] });
    }
  }
  const time = (s: SampleStep) => (s.track === AUDIO ? to90k(s.dts, AUDIO.sampleRate) : s.dts);
  samples.sort((a, b) => time(a) - time(b) || (a.kind === 'video' ? -1 : 1));
  const steps: Step[] = [];
  let lastTables = -Infinity;
  const videoPresent = tracks.includes(VIDEO_TRACK);
  for (const s of samples) {
    const segmentStart = videoPresent ? s.kind === 'video' && s.keyframe : time(s) - lastTables >= 90_000;
    if (steps.length === 0 || segmentStart) {
      steps.push('tables');
      lastTables = time(s);
    }
    steps.push(s);
  }
  const ts = muxSteps(new TsMuxer({ tracks }), steps);
  const written = samples.map((s) => (s.kind === 'audio' ? { kind: s.kind, pts: time(s), dts: time(s) } : { kind: s.kind, pts: s.pts, dts: s.dts }));
  return { ts, written };
}

interface ProbeResult {
  streams: { codec_name: string; codec_type: string }[];
  packets: { codec_type: string; pts: number; dts: number }[];
}

describe.skipIf(!HAVE_TOOLS)('MPEG-TS interop with ffmpeg, ffprobe and mux.js', () => {
  let media: FixtureMedia;
  let dir: string;

  beforeAll(async () => {
    media = await loadFixtureMedia(FIXTURE_H264_AAC);
    dir = mkdtempSync(join(tmpdir(), 'onramp-mpegts-'));
  });

  afterAll(() => {
    killAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function judge(name: string, ts: Uint8Array): Promise<{ decodeErrors: string; probe: ProbeResult }> {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, ts);
    const decode = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
    expect(decode.code).toBe(0);
    const p = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type:packet=codec_type,pts,dts', '-of', 'json', file]);
    expect(p.code).toBe(0);
    const probe = JSON.parse(p.stdout.toString()) as ProbeResult;
    return { decodeErrors: decode.stderr, probe };
  }

  function expectTimestamps(probe: ProbeResult, written: Written[], kind: 'video' | 'audio'): void {
    const mod = (t: number) => ((t % WRAP) + WRAP) % WRAP;
    const got = probe.packets.filter((p) => p.codec_type === kind).map((p) => [mod(p.pts), mod(p.dts)]);
    const want = written.filter((w) => w.kind === kind).map((w) => [mod(w.pts), mod(w.dts)]);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
  }

  function expectWellFormed(ts: Uint8Array, pcrPid: number, pids: number[]): void {
    const summary = inspectTs(ts);
    expect(summary.badCrcs).toBe(0);
    expect(summary.pmts.every((pmt) => pmt.pcrPid === pcrPid && pmt.streams.map((s) => s.pid).join() === pids.join())).toBe(true);
    expect(continuityErrors(summary.packets)).toEqual([]);
    expect(pcrErrors(summary.packets, pcrPid)).toEqual([]);
  }

  const cases: { name: string; tracks: () => TrackInfo[]; start: number; codecs: string[] }[] = [
    { name: 'video-audio', tracks: () => [VIDEO_TRACK, AUDIO], start: 900_000, codecs: ['aac', 'h264'] },
    { name: 'audio-only', tracks: () => [AUDIO], start: 900_000, codecs: ['aac'] },
    { name: 'video-only', tracks: () => [VIDEO_TRACK], start: 900_000, codecs: ['h264'] },
    // Starts 1.5 s before 2^33: the timeline wraps mid-file and only the low 33 bits are written.
    { name: 'wrap-33-bit', tracks: () => [VIDEO_TRACK, AUDIO], start: Math.floor((WRAP - 135_000) / 100) * 100, codecs: ['aac', 'h264'] },
  ];

  it('reads the fixture as 90 Annex B access units (keyframes with SPS) and one ADTS frame per AAC packet', () => {
    expect(media.video.length).toBe(90);
    expect(media.video.filter((v) => v.packet.keyframe).length).toBe(3);
    for (const { accessUnit, packet } of media.video) {
      expect([...accessUnit.subarray(0, 3)]).toEqual([0, 0, 0]);
      const types = nalTypes(accessUnit);
      expect(types.filter((t) => t === 1 || t === 5).length).toBe(1);
      if (packet.keyframe) expect(types).toEqual(expect.arrayContaining([7, 8, 5]));
    }
    expect(media.video.some((v) => v.packet.pts !== v.packet.dts)).toBe(true);
    expect(media.audio.length).toBeGreaterThan(120);
  });

  it.each(cases)('$name: ffmpeg decodes it silently, ffprobe sees exactly $codecs with the PTS/DTS written', async ({ name, tracks, start, codecs }) => {
    const t = tracks();
    const { ts, written } = muxFixture(media, t, start);
    const hasVideo = t.includes(VIDEO_TRACK);
    const hasAudio = t.includes(AUDIO);
    expectWellFormed(ts, hasVideo ? VIDEO_PID : AUDIO_PID, [...(hasVideo ? [VIDEO_PID] : []), ...(hasAudio ? [AUDIO_PID] : [])]);
    const { decodeErrors, probe } = await judge(name, ts);
    expect(decodeErrors).toBe('');
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(codecs);
    if (hasVideo) expectTimestamps(probe, written, 'video');
    if (hasAudio) expectTimestamps(probe, written, 'audio');
    if (name === 'wrap-33-bit') {
      expect(written.some((w) => w.dts >= WRAP)).toBe(true);
      expect(written.some((w) => w.dts < WRAP)).toBe(true);
    }
  });

  it.each(cases)('$name: mux.js agrees with ffprobe on the first and last PTS/DTS', async ({ name, tracks, start }) => {
    const t = tracks();
    const { ts } = muxFixture(media, t, start);
    const { probe } = await judge(`${name}-muxjs`, ts);
    const inspection = muxjs.mp2t.tools.inspect(ts);
    expect(inspection).not.toBeNull();
    const mod = (x: number) => ((x % WRAP) + WRAP) % WRAP;
    for (const kind of ['video', 'audio'] as const) {
      const probed = probe.packets.filter((p) => p.codec_type === kind);
      const seen = inspection?.[kind];
      if (probed.length === 0) {
        expect(seen).toBeUndefined();
        continue;
      }
      // mux.js reports the PES that starts first and the one that starts last in the file;
      // for video those are decode-order first and last access units.
      expect(seen?.map((s) => [mod(s.pts), mod(s.dts)])).toEqual([probed[0], probed[probed.length - 1]].map((p) => [mod(p.pts), mod(p.dts)]));
    }
    if (t.includes(VIDEO_TRACK)) {
      const firstKey = probe.packets.find((p) => p.codec_type === 'video');
      expect([mod(inspection?.firstKeyFrame?.pts ?? -1), mod(inspection?.firstKeyFrame?.dts ?? -1)]).toEqual([mod(firstKey?.pts ?? 0), mod(firstKey?.dts ?? 0)]);
    }
  });
});
