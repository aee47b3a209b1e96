// VOD manifests over real CMAF files: the fixture (3 s of H.264 with B-frames + AAC) goes through
// the real CMAF packager; its init and segment files and the manifests buildVodManifests writes
// for them are put in a folder, and ffmpeg must decode index.m3u8 (and index.mpd) without a word,
// with ffprobe's duration within 0.2 s of the media's (3 s a pass; reconnect gaps are not in it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CmafEvent } from '../../pipeline/packaging/cmaf-packager.js';
import { buildVodManifests, type VodManifests } from '../../pipeline/packaging/vod-manifests.js';
import { VOD_MPD, VOD_MULTIVARIANT, type VodPeriod, type VodRecording, type VodSegment, type VodTrack } from '../../pipeline/packaging/vod-model.js';
import { cmafEventsOfFixture, type CmafFixtureOptions } from '../helpers/cmaf-fixture.js';
import { HlsPlaylistChecker } from '../helpers/hls-playlist-checker.js';
import { killAll, run } from '../helpers/processes.js';
import { requireTool } from '../helpers/tools.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe');
const FIXTURE_SEC = 3;
const TOLERANCE_SEC = 0.2;

type InitEvent = Extract<CmafEvent, { type: 'init' }>;
type SegmentEvent = Extract<CmafEvent, { type: 'segment' }>;

function vodTrack(e: InitEvent): VodTrack {
  const t = e.track;
  const base = { letter: e.letter, codecString: t.codecString, timescale: t.timescale, init: e.uri };
  return t.kind === 'video'
    ? { ...base, kind: 'video', width: t.width, height: t.height, ...(t.frameRate === undefined ? {} : { frameRate: t.frameRate }) }
    : { ...base, kind: 'audio', sampleRate: t.sampleRate, channels: t.channels };
}

function vodSegment(e: SegmentEvent): VodSegment {
  return { letter: e.letter, uri: e.uri, startTicks: e.startTicks, durationTicks: e.durationTicks, bytes: e.byteLength, programDateTimeMs: e.programDateTimeMs };
}

/** One period per batch of init events, and per discontinuity that comes without new init segments. */
function recordingOfEvents(events: readonly CmafEvent[]): VodRecording {
  const periods: { tracks: VodTrack[]; segments: VodSegment[] }[] = [];
  const current = (): { tracks: VodTrack[]; segments: VodSegment[] } | undefined => periods[periods.length - 1];
  for (const e of events) {
    const p = current();
    if (e.type === 'init') {
      if (p === undefined || p.segments.length > 0) periods.push({ tracks: [vodTrack(e)], segments: [] });
      else p.tracks.push(vodTrack(e));
    } else if (e.type === 'segment' && p !== undefined) {
      const again = e.discontinuity && p.segments.some((s) => s.letter === e.letter);
      if (again) periods.push({ tracks: [...p.tracks], segments: [vodSegment(e)] });
      else p.segments.push(vodSegment(e));
    }
  }
  return { periods: periods satisfies VodPeriod[] };
}

/** Writes every init and segment file of the events (segment bytes are a list of views). */
function writeMedia(dir: string, events: readonly CmafEvent[]): void {
  for (const e of events) {
    if (e.type === 'init') writeFileSync(join(dir, e.uri), e.data);
    else if (e.type === 'segment') writeFileSync(join(dir, e.uri), Buffer.concat(e.data));
  }
}

function writeManifests(dir: string, m: VodManifests): void {
  writeFileSync(join(dir, VOD_MULTIVARIANT), m.multivariant);
  for (const p of m.mediaPlaylists) writeFileSync(join(dir, p.name), p.text);
  writeFileSync(join(dir, VOD_MPD), m.mpd);
}

async function decodeErrors(path: string): Promise<string> {
  const r = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-f', 'null', '-'], { timeoutMs: 60_000 });
  return `${r.code === 0 ? '' : `exit ${String(r.code)}\n`}${r.stderr}`;
}

async function probe(path: string, entries: string): Promise<string> {
  const r = await run('ffprobe', ['-v', 'error', '-show_entries', entries, '-of', 'csv=p=0', path], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`ffprobe ${path}: ${r.stderr}`);
  return r.stdout.toString().trim();
}

const probedDuration = async (path: string): Promise<number> => Number(await probe(path, 'format=duration'));
/** Frames decoded per kind of stream (ffprobe lists each stream twice for HLS and DASH: in its program and on its own). */
async function decodedFrames(path: string): Promise<Record<string, number>> {
  const lines = (await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames', '-of', 'csv=p=0', path], { timeoutMs: 60_000 })).stdout.toString();
  return Object.fromEntries(lines.split('\n').filter(Boolean).map((l) => l.split(',')).map(([kind, n]) => [kind, Number(n)]));
}

/** The frames the recording holds: 30 fps video, AAC frames of 1024 samples (the fixture's). */
function framesOf(rec: VodRecording): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of rec.periods) {
    for (const s of p.segments) {
      const track = p.tracks.find((t) => t.letter === s.letter) as VodTrack;
      const kind = track.kind;
      const frames = kind === 'video' ? (s.durationTicks * (track.frameRate ?? 30)) / track.timescale : s.durationTicks / 1024;
      out[kind] = (out[kind] ?? 0) + frames;
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v)]));
}

/** AAC frames (1024 samples) of the first period that start before its video ends (all of them without video). */
function audioFramesBeforeVideoEnds(rec: VodRecording): number {
  const p = rec.periods[0];
  const audio = p.tracks.find((t) => t.letter === 'a') as VodTrack;
  const video = p.tracks.find((t) => t.letter === 'v');
  const segs = p.segments.filter((s) => s.letter === 'a');
  const videoSegs = p.segments.filter((s) => s.letter === 'v');
  const start = segs[0].startTicks;
  let end = segs[segs.length - 1].startTicks + segs[segs.length - 1].durationTicks;
  if (video !== undefined && videoSegs.length > 0) {
    const last = videoSegs[videoSegs.length - 1];
    // In audio ticks, exactly: wall-clock tick values times a timescale exceed 2^53.
    const videoEnd = Number((BigInt(last.startTicks + last.durationTicks) * BigInt(audio.timescale)) / BigInt(video.timescale));
    end = Math.min(end, videoEnd);
  }
  return Math.ceil((end - start) / 1024);
}

/** Leaves out the video (init and segments) of one pass: a period where the publisher sent audio only. */
function withoutVideoOfPass(pass: number): (events: readonly CmafEvent[]) => CmafEvent[] {
  return (events) => {
    let videoInits = 0;
    return events.filter((e) => {
      if (e.type === 'init' && e.letter === 'v') videoInits += 1;
      return !(e.letter === 'v' && videoInits === pass + 1);
    });
  };
}

interface Case {
  readonly name: string;
  readonly opts: CmafFixtureOptions;
  readonly passes: number;
}

const CASES: readonly Case[] = [
  { name: 'one pass, audio and video', opts: {}, passes: 1 },
  { name: 'two passes with a reconnect', opts: { passes: 2, gapMs: 3000 }, passes: 2 },
  { name: 'audio only', opts: { drop: 'video' }, passes: 1 },
  { name: 'video only', opts: { drop: 'audio' }, passes: 1 },
];

describe.skipIf(!enabled)('VOD manifests over a real CMAF recording, judged by ffmpeg', () => {
  const dirs: string[] = [];
  afterEach(() => killAll());
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function recorded(opts: CmafFixtureOptions, edit = (e: readonly CmafEvent[]): readonly CmafEvent[] => e): Promise<{ dir: string; manifests: VodManifests; rec: VodRecording }> {
    const events = edit(await cmafEventsOfFixture(opts));
    const dir = mkdtempSync(join(tmpdir(), 'onramp-vod-'));
    dirs.push(dir);
    writeMedia(dir, events);
    const rec = recordingOfEvents(events);
    const manifests = buildVodManifests(rec);
    writeManifests(dir, manifests);
    return { dir, manifests, rec };
  }

  it('HLS, video missing from the middle one of three periods: ffmpeg decodes every frame, each track in its own time', async () => {
    const { dir, manifests, rec } = await recorded({ passes: 3, gapMs: 3000 }, withoutVideoOfPass(1));
    expect(rec.periods.map((p) => p.tracks.map((t) => t.letter).join(''))).toEqual(['va', 'a', 'va']);
    const v = manifests.mediaPlaylists.find((p) => p.letter === 'v')?.text ?? '';
    expect(v.match(/^#EXT-X-DISCONTINUITY$/gm)).toHaveLength(1);
    const index = join(dir, VOD_MULTIVARIANT);
    expect(await decodeErrors(index)).toBe('');
    expect(await decodedFrames(index)).toEqual(framesOf(rec));
    // ffmpeg reports the variant (video) playlist's duration; the audio rendition holds all three.
    expect(Math.abs((await probedDuration(index)) - 2 * FIXTURE_SEC)).toBeLessThanOrEqual(TOLERANCE_SEC);
    expect(Math.abs((await probedDuration(join(dir, 'a.m3u8'))) - 3 * FIXTURE_SEC)).toBeLessThanOrEqual(TOLERANCE_SEC);
    // Fragments keep their wall-clock tfdt: the third period's video starts with its audio.
    const listed = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=codec_type,pts_time', '-of', 'csv=p=0', index]);
    const packets = listed.stdout.toString().trim().split('\n').map((l) => l.split(',')).map(([kind, t]) => ({ kind, t: Number(t) }));
    const resumed = Math.min(...packets.filter((p) => p.kind === 'video' && p.t > packets[0].t + 2 * FIXTURE_SEC).map((p) => p.t));
    expect(packets.some((p) => p.kind === 'audio' && Math.abs(p.t - resumed) < 0.1)).toBe(true);
    // …and the middle period's audio lies between, with no video.
    expect(packets.some((p) => p.kind === 'audio' && p.t > packets[0].t + FIXTURE_SEC + 1 && p.t < resumed - 1)).toBe(true);
  });

  for (const c of CASES) {
    it(`HLS, ${c.name}: ffmpeg decodes index.m3u8 silently and ffprobe's duration is the media's`, async () => {
      const { dir, manifests, rec } = await recorded(c.opts);
      expect(rec.periods).toHaveLength(c.passes);
      expect(manifests.durationSec).toBeCloseTo(c.passes * FIXTURE_SEC, 0);
      for (const p of manifests.mediaPlaylists) new HlsPlaylistChecker().check(p.text);
      const index = join(dir, VOD_MULTIVARIANT);
      expect(await decodeErrors(index)).toBe('');
      expect(Math.abs((await probedDuration(index)) - c.passes * FIXTURE_SEC)).toBeLessThanOrEqual(TOLERANCE_SEC);
      // Every frame of every pass is decoded, across the discontinuity, and no other stream appears.
      expect(await decodedFrames(index)).toEqual(framesOf(rec));
    });

    it(`DASH, ${c.name}: ${c.passes === 1 ? 'ffmpeg decodes index.mpd silently with the media duration' : 'one Period per pass, laid end to end'}`, async () => {
      const { dir, manifests, rec } = await recorded(c.opts);
      const mpd = join(dir, VOD_MPD);
      if (c.passes === 1) {
        expect(await decodeErrors(mpd)).toBe('');
        expect(Math.abs((await probedDuration(mpd)) - FIXTURE_SEC)).toBeLessThanOrEqual(TOLERANCE_SEC);
        const decoded = await decodedFrames(mpd);
        const expected = framesOf(rec);
        expect(Object.keys(decoded).sort()).toEqual(Object.keys(expected).sort());
        if (decoded.video !== undefined) expect(decoded.video).toBe(expected.video);
        // ffmpeg 5.1's dashdec stops every stream at the first EOF of any (dash_read_packet reads
        // the stream with the lowest timestamp and returns its EOF), so audio frames that start
        // after the last video frame are dropped by the reader; every earlier one must decode.
        if (decoded.audio !== undefined) {
          expect(decoded.audio).toBeLessThanOrEqual(expected.audio);
          expect(decoded.audio).toBeGreaterThanOrEqual(audioFramesBeforeVideoEnds(rec));
        }
        return;
      }
      // ffmpeg 5.1's DASH demuxer reads a single Period: parse_manifest keeps the one with the
      // longest @duration (the last when none has one) and, as it starts after 0, reports a
      // duration of 0 (seen: it decodes the second pass only). So several Periods are checked by
      // structure here, and in detail by test/pipeline/packaging/vod-manifests.test.ts.
      const starts = [...manifests.mpd.matchAll(/<Period id="(p\d+)" start="PT([\d.]+)S">/g)].map((m) => Number(m[2]));
      expect(starts).toHaveLength(c.passes);
      starts.forEach((s, i) => expect(Math.abs(s - i * FIXTURE_SEC)).toBeLessThanOrEqual(TOLERANCE_SEC));
      const total = Number(/mediaPresentationDuration="PT([\d.]+)S"/.exec(manifests.mpd)?.[1]);
      expect(Math.abs(total - c.passes * FIXTURE_SEC)).toBeLessThanOrEqual(TOLERANCE_SEC);
    });
  }
});
