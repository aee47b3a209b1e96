// Interop: the CMAF a recording stores (the real packager over the repo fixture), read back with
// readInitSegment/readFragments and exported with planProgressiveMp4 as one moov-first MP4, judged
// by ffmpeg (decodes without a message) and ffprobe (codecs, counts, duration, start times, A/V
// offset, no gap after a reconnect). Also audio-only and video-only recordings.
import { concat } from '../helpers/bytes.js';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoxes } from '../../pipeline/fmp4/box-reader.js';
import { readFragments, type ParsedFragment } from '../../pipeline/fmp4/fragment-reader.js';
import { readInitSegment, trackDefaultsOf, type InitTrack } from '../../pipeline/fmp4/init-segment-reader.js';
import { planProgressiveMp4, type ProgressiveMp4Plan } from '../../pipeline/mp4/progressive-mp4.js';
import type { CmafEvent } from '../../pipeline/packaging/cmaf-packager.js';
import { cmafEventsOfFixture, type CmafFixtureOptions } from '../helpers/cmaf-fixture.js';
import { FIXTURE_H264_AAC } from '../helpers/fixtures.js';
import { killAll, run } from '../helpers/processes.js';
import { requireTool } from '../helpers/tools.js';

const HAVE_TOOLS = requireTool('ffmpeg') && requireTool('ffprobe');

interface ProbeStream {
  codec_type: string;
  codec_name: string;
  start_time: string;
  nb_frames: string;
  nb_read_packets: string;
  r_frame_rate: string;
  sample_rate?: string;
}
interface Probe {
  streams: ProbeStream[];
  format: { duration: string };
  packets: { stream_index: number; pts_time: string }[];
}

/** One track of a recording: its init segment and its segment files, each read back. */
interface RecordedTrack {
  readonly init: InitTrack;
  /** Every fragment with the bytes of the segment file it came from. */
  readonly fragments: { readonly fragment: ParsedFragment; readonly file: Uint8Array }[];
}

/** The earliest presentation time of a fragment's samples, in seconds. */
function presentationStartSec(f: ParsedFragment, timescale: number): number {
  let dts = f.baseMediaDecodeTime;
  let min = Infinity;
  for (const s of f.samples) {
    min = Math.min(min, dts + s.compositionOffset);
    dts += s.duration;
  }
  return min / timescale;
}

/** Index of the first fragment after a reconnect (its decode time jumps more than 1 s), or 0. */
function reconnectIndex(t: RecordedTrack): number {
  const i = t.fragments.findIndex(({ fragment: f }, j) => {
    if (j === 0) return false;
    const prev = t.fragments[j - 1].fragment;
    const prevEnd = prev.baseMediaDecodeTime + prev.samples.reduce((n, s) => n + s.duration, 0);
    return f.baseMediaDecodeTime - prevEnd > t.init.timescale;
  });
  return Math.max(0, i);
}

/** What a recording stores, as files, read back the way an export reads them. */
function readRecording(events: readonly CmafEvent[], opts: { readonly cutLastFileTo?: number } = {}): RecordedTrack[] {
  const tracks = new Map<string, { init: Uint8Array; files: Uint8Array[] }>();
  for (const ev of events) {
    if (ev.type === 'init') {
      const known = tracks.get(ev.letter);
      // A reconnect with the same configuration re-announces the same init segment.
      if (known) expect(Buffer.compare(known.init, ev.data)).toBe(0);
      else tracks.set(ev.letter, { init: ev.data, files: [] });
    } else if (ev.type === 'segment') {
      tracks.get(ev.letter)!.files.push(concat(ev.data));
    }
  }
  return [...tracks.values()].map(({ init, files }) => {
    const segment = readInitSegment(init);
    expect(segment.tracks).toHaveLength(1);
    const defaults = trackDefaultsOf(segment);
    return {
      init: segment.tracks[0],
      fragments: files.flatMap((whole, i) => {
        // The server killed mid-write: the last file of each track ends inside a fragment.
        const cut = opts.cutLastFileTo !== undefined && i === files.length - 1;
        const file = cut ? whole.subarray(0, Math.floor(whole.length * opts.cutLastFileTo!)) : whole;
        const { fragments, completeBytes } = readFragments(file, { trackDefaults: defaults });
        if (cut) expect(completeBytes).toBeLessThan(file.length);
        else expect(completeBytes).toBe(file.length);
        return fragments.map((fragment) => ({ fragment, file }));
      }),
    };
  });
}

describe.skipIf(!HAVE_TOOLS)('progressive MP4 export of a CMAF recording, judged by ffmpeg and ffprobe', () => {
  let dir: string;
  let sourceDurationSec: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onramp-mp4-export-'));
    const p = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', FIXTURE_H264_AAC]);
    sourceDurationSec = Number((JSON.parse(p.stdout.toString()) as Probe).format.duration);
  });

  afterAll(() => {
    killAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Plans the MP4 and writes it as a caller would: the header, then each chunk's sample bytes. */
  function writeMp4(name: string, recording: readonly RecordedTrack[]): { file: string; plan: ProgressiveMp4Plan } {
    const plan = planProgressiveMp4({ tracks: recording.map((t) => ({ track: t.init, fragments: t.fragments.map((f) => f.fragment) })) });
    const file = join(dir, `${name}.mp4`);
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, plan.header);
      for (const chunk of plan.chunks) {
        const { fragment, file: bytes } = recording.find((t) => t.init.trackId === chunk.trackId)!.fragments[chunk.fragmentIndex];
        expect(chunk.byteLength).toBe(fragment.dataBytes);
        writeSync(fd, bytes.subarray(fragment.dataOffset, fragment.dataOffset + fragment.dataBytes));
      }
    } finally {
      closeSync(fd);
    }
    return { file, plan };
  }

  async function judge(file: string): Promise<Probe> {
    const decode = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
    expect(decode.stderr).toBe('');
    expect(decode.code).toBe(0);
    const p = await run('ffprobe', ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-show_entries', 'packet=stream_index,pts_time', '-of', 'json', file]);
    expect(p.stderr).toBe('');
    return JSON.parse(p.stdout.toString()) as Probe;
  }

  async function exportAndJudge(name: string, opts: CmafFixtureOptions & { readonly cutLastFileTo?: number }, kinds: readonly ('video' | 'audio')[]): Promise<void> {
    const recording = readRecording(await cmafEventsOfFixture(opts), opts);
    expect(recording.map((t) => t.init.kind).sort()).toEqual([...kinds].sort());
    const { file, plan } = writeMp4(name, recording);
    const probe = await judge(file);

    // ftyp, then moov, then mdat: the file plays while it downloads.
    const written = new Uint8Array(readFileSync(file));
    expect(written.length).toBe(plan.fileBytes);
    expect(readBoxes(written).boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);

    const passes = opts.passes ?? 1;
    const durationSec = Number(probe.format.duration);
    if (opts.cutLastFileTo === undefined) expect(Math.abs(durationSec - sourceDurationSec * passes)).toBeLessThan(0.1);
    else expect(durationSec).toBeLessThan(sourceDurationSec - 0.1);
    expect(Math.abs(plan.durationSec - durationSec)).toBeLessThan(0.01);
    if (passes > 1) expect(plan.removedGapSec).toBeGreaterThan(2.5);

    const streams = kinds.map((kind) => {
      const track = recording.find((t) => t.init.kind === kind)!;
      const stream = probe.streams.find((s) => s.codec_type === kind)!;
      expect(stream.codec_name).toBe(kind === 'video' ? 'h264' : 'aac');
      const samples = track.fragments.reduce((n, f) => n + f.fragment.samples.length, 0);
      expect(Number(stream.nb_frames)).toBe(samples);
      expect(Number(stream.nb_read_packets)).toBe(samples);
      // ± one frame of start time.
      const frameSec = kind === 'video' ? 1 / 30 : 1024 / Number(stream.sample_rate);
      expect(Math.abs(Number(stream.start_time))).toBeLessThanOrEqual(frameSec);
      // No gap inside the stream: consecutive presentation times are at most a few frames apart.
      const index = probe.streams.indexOf(stream);
      const pts = probe.packets.filter((p) => p.stream_index === index).map((p) => Number(p.pts_time)).sort((a, b) => a - b);
      const maxStep = Math.max(...pts.slice(1).map((t, i) => t - pts[i]));
      expect(maxStep).toBeLessThan(4 * frameSec);
      return { track, stream };
    });
    if (streams.length === 2) {
      // The A/V offset of the recording survives, at the start and after the reconnect.
      const [v, a] = streams;
      const offsetAt = (vi: number, ai: number): { source: number; output: number } => ({
        source: presentationStartSec(v.track.fragments[vi].fragment, v.track.init.timescale) - presentationStartSec(a.track.fragments[ai].fragment, a.track.init.timescale),
        output: firstPacketPts(probe, v, vi) - firstPacketPts(probe, a, ai),
      });
      const start = offsetAt(0, 0);
      expect(Math.abs(start.output - start.source)).toBeLessThanOrEqual(0.002);
      expect(Math.abs(Number(v.stream.start_time) - Number(a.stream.start_time) - start.source)).toBeLessThanOrEqual(0.002);
      if (passes > 1) {
        const [vi, ai] = [reconnectIndex(v.track), reconnectIndex(a.track)];
        expect(vi).toBeGreaterThan(0);
        expect(ai).toBeGreaterThan(0);
        const after = offsetAt(vi, ai);
        expect(Math.abs(after.output - after.source)).toBeLessThanOrEqual(0.002);
      }
    }
  }

  /** The earliest presentation time ffprobe reports for the packets of one fragment of a track. */
  function firstPacketPts(probe: Probe, s: { track: RecordedTrack; stream: ProbeStream }, fragmentIndex: number): number {
    const index = probe.streams.indexOf(s.stream);
    const before = s.track.fragments.slice(0, fragmentIndex).reduce((n, f) => n + f.fragment.samples.length, 0);
    const own = s.track.fragments[fragmentIndex].fragment.samples.length;
    const packets = probe.packets.filter((p) => p.stream_index === index).slice(before, before + own);
    return Math.min(...packets.map((p) => Number(p.pts_time)));
  }

  it('one pass: H.264 with B-frames + AAC', async () => {
    await exportAndJudge('once', {}, ['video', 'audio']);
  });

  it('two passes with a 3 s reconnect gap: the gap is removed, A/V stays in sync', async () => {
    await exportAndJudge('twice', { passes: 2 }, ['video', 'audio']);
  });

  it('a recording cut off mid-write: the whole fragments are exported', async () => {
    await exportAndJudge('cut', { cutLastFileTo: 0.6 }, ['video', 'audio']);
  });

  it('audio only', async () => {
    await exportAndJudge('audio-only', { drop: 'video' }, ['audio']);
  });

  it('video only', async () => {
    await exportAndJudge('video-only', { drop: 'audio' }, ['video']);
  });
});
