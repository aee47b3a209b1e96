// Live HLS end to end: a real publisher (ffmpeg or GStreamer) → Onramp → the HTTP origin, watched
// as a player would. Every playlist version passes the RFC 8216 checker; every segment decodes
// without a message, has the right codecs, continues the previous one's timestamps, and mux.js
// agrees with ffprobe. Audio-only, video-only and a publisher that reconnects too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HlsWatcher, type WatchedSegment } from '../helpers/hls-watcher.js';
import { killAll, run } from '../helpers/processes.js';
import { muxjsInspect, probeSegment, type ProbedSegment } from '../helpers/segment-probe.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { hasGstElement, requireTool } from '../helpers/tools.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe');
const FRAME_SEC = 1 / 30;
const AAC_FRAME_SEC = 1024 / 44_100;

/** ffmpeg encoding a live test source (H.264 High with B-frames, 1 s GOP; AAC) and publishing it. */
function ffmpegPublish(url: string, seconds: number, tracks: 'av' | 'audio' | 'video' = 'av', audioCodec = 'aac'): Promise<unknown> {
  const args = ['-v', 'error', '-re'];
  if (tracks !== 'audio') args.push('-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30');
  if (tracks !== 'video') args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  args.push('-t', String(seconds));
  if (tracks !== 'audio') args.push('-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-bf', '2', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-pix_fmt', 'yuv420p');
  if (tracks !== 'video') args.push('-c:a', audioCodec, '-b:a', '64k', '-ac', '2');
  args.push('-f', 'flv', url);
  return run('ffmpeg', args, { timeoutMs: (seconds + 20) * 1000 }).then((r) => {
    if (r.code !== 0) throw new Error(`ffmpeg publish failed: ${r.stderr}`);
  });
}

interface Analysed {
  readonly segments: WatchedSegment[];
  readonly probes: ProbedSegment[];
}

async function analyse(dir: string, watcher: HlsWatcher): Promise<Analysed> {
  const segments = watcher.ordered();
  const probes = await Promise.all(segments.map((s) => probeSegment(dir, s.uri, s.bytes)));
  return { segments, probes };
}

function expectCleanSegments(a: Analysed, codecs: string[]): void {
  a.probes.forEach((p, i) => {
    const uri = a.segments[i].uri;
    expect(p.decodeErrors === '' ? '' : `${uri}: ${p.decodeErrors}`, `${uri} decodes without a message`).toBe('');
    expect(p.codecs, `${uri} has exactly the stream's tracks`).toEqual(codecs);
  });
}

/** The next segment starts where the previous one ended, within one frame, unless a
 *  discontinuity separates them. */
function expectContinuous(a: Analysed, kind: 'video' | 'audio', frameSec: number): void {
  for (let i = 1; i < a.probes.length; i++) {
    if (a.segments[i].discontinuity) continue;
    const prev = a.probes[i - 1].packets[kind];
    const next = a.probes[i].packets[kind];
    if (prev.length === 0 || next.length === 0) continue;
    const prevEnd = Math.max(...prev.map((p) => p.dts)) + frameSec;
    const gap = next[0].dts - prevEnd;
    expect(Math.abs(gap), `${kind} gap between ${a.segments[i - 1].uri} and ${a.segments[i].uri}: ${gap.toFixed(4)} s`).toBeLessThanOrEqual(frameSec + 0.001);
  }
}

function expectMuxjsAgrees(a: Analysed): void {
  for (let i = 0; i < a.segments.length; i++) {
    const m = muxjsInspect(a.segments[i].bytes);
    for (const kind of ['video', 'audio'] as const) {
      const probed = a.probes[i].packets[kind];
      if (probed.length === 0) {
        expect(m[kind]?.length ?? 0, `mux.js sees no ${kind} in ${a.segments[i].uri}`).toBe(0);
        continue;
      }
      const first = m[kind]?.[0];
      expect(first, `mux.js finds ${kind} in ${a.segments[i].uri}`).toBeDefined();
      expect(Math.abs((first?.dts ?? 0) / 90_000 - probed[0].dts), `mux.js and ffprobe agree on ${kind} dts in ${a.segments[i].uri}`).toBeLessThan(0.0001);
    }
  }
}

describe.skipIf(!enabled)('live HLS over MPEG-TS', () => {
  let t: TestServer;
  let dir: string;

  beforeAll(async () => {
    t = await startTestServer({ streams: { reconnectGraceMs: 3000 }, hls: { endedRetentionMs: 60_000 } });
    dir = mkdtempSync(join(tmpdir(), 'onramp-hls-'));
  });
  afterEach(() => killAll());
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves H.264 High (B-frames) + AAC from ffmpeg as valid, continuous, decodable HLS', async () => {
    const watcher = new HlsWatcher(t.httpUrl('/live/av/index.m3u8'));
    watcher.start();
    await ffmpegPublish(t.rtmpUrl('live/av'), 20);
    await watcher.untilEnded(15_000);
    expect(watcher.errors, 'every playlist version passed the checker and every listed segment downloaded').toEqual([]);
    const a = await analyse(dir, watcher);
    expect(a.segments.length).toBeGreaterThanOrEqual(8);
    expect(watcher.checker.versionsSeen).toBeGreaterThanOrEqual(a.segments.length);
    expectCleanSegments(a, ['aac', 'h264']);
    expect(a.probes.every((p) => p.packets.video[0]?.keyframe), 'every segment starts with a keyframe').toBe(true);
    expectContinuous(a, 'video', FRAME_SEC);
    expectContinuous(a, 'audio', AAC_FRAME_SEC);
    const first = a.probes[0];
    const videoStart = Math.min(...first.packets.video.map((p) => p.pts));
    const audioStart = Math.min(...first.packets.audio.map((p) => p.pts));
    expect(Math.abs(videoStart - audioStart), 'audio and video start together').toBeLessThanOrEqual(0.05);
    expectMuxjsAgrees(a);
    const total = a.segments.reduce((n, s) => n + s.durationSec, 0);
    expect(total, 'the playlist covers the published duration').toBeGreaterThan(18);
    expect(watcher.lastText).toMatch(/#EXT-X-TARGETDURATION:2\n/);
    expect(watcher.lastText).toMatch(/#EXT-X-INDEPENDENT-SEGMENTS/);
    expect(watcher.lastText).toMatch(/#EXT-X-PROGRAM-DATE-TIME:/);
  });

  it('serves an audio-only stream with only an audio track', async () => {
    const watcher = new HlsWatcher(t.httpUrl('/live/audio/index.m3u8'));
    watcher.start();
    await ffmpegPublish(t.rtmpUrl('live/audio'), 8, 'audio');
    await watcher.untilEnded(15_000);
    expect(watcher.errors).toEqual([]);
    const a = await analyse(dir, watcher);
    expect(a.segments.length).toBeGreaterThanOrEqual(3);
    expectCleanSegments(a, ['aac']);
    expectContinuous(a, 'audio', AAC_FRAME_SEC);
    expectMuxjsAgrees(a);
  });

  it('serves a video-only stream with only a video track', async () => {
    const watcher = new HlsWatcher(t.httpUrl('/live/video/index.m3u8'));
    watcher.start();
    await ffmpegPublish(t.rtmpUrl('live/video'), 8, 'video');
    await watcher.untilEnded(15_000);
    expect(watcher.errors).toEqual([]);
    const a = await analyse(dir, watcher);
    expect(a.segments.length).toBeGreaterThanOrEqual(3);
    expectCleanSegments(a, ['h264']);
    expectContinuous(a, 'video', FRAME_SEC);
    expectMuxjsAgrees(a);
  });

  it('passes MP3 audio through', async () => {
    const watcher = new HlsWatcher(t.httpUrl('/live/mp3/index.m3u8'));
    watcher.start();
    await ffmpegPublish(t.rtmpUrl('live/mp3'), 6, 'av', 'libmp3lame');
    await watcher.untilEnded(15_000);
    expect(watcher.errors).toEqual([]);
    const a = await analyse(dir, watcher);
    expect(a.segments.length).toBeGreaterThanOrEqual(2);
    expectCleanSegments(a, ['h264', 'mp3']);
    expectContinuous(a, 'video', FRAME_SEC);
  });

  it('continues the same playlist with a discontinuity when the publisher reconnects', async () => {
    const watcher = new HlsWatcher(t.httpUrl('/live/reconnect/index.m3u8'), { checkFreshness: false });
    watcher.start();
    await ffmpegPublish(t.rtmpUrl('live/reconnect'), 6);
    await new Promise((r) => setTimeout(r, 1000)); // within the 3 s grace period
    await ffmpegPublish(t.rtmpUrl('live/reconnect'), 6);
    await watcher.untilEnded(15_000);
    expect(watcher.errors).toEqual([]);
    const a = await analyse(dir, watcher);
    const marked = a.segments.filter((s) => s.discontinuity);
    expect(marked.length, 'one EXT-X-DISCONTINUITY at the reconnect').toBe(1);
    expectCleanSegments(a, ['aac', 'h264']);
    // Output time keeps running with the wall clock: after the reconnect it moves on by about the
    // outage (here ~1 s plus ffmpeg's start-up), never backwards, so PROGRAM-DATE-TIME stays true.
    const at = a.segments.indexOf(marked[0]);
    const before = a.probes[at - 1].packets.video;
    const after = a.probes[at].packets.video;
    const step = after[0].dts - Math.max(...before.map((p) => p.dts));
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(8);
  });

  it.skipIf(!hasGstElement('rtmp2sink') || !hasGstElement('x264enc'))('serves a GStreamer rtmp2sink publish', async () => {
    const watcher = new HlsWatcher(t.httpUrl('/live/gst/index.m3u8'));
    watcher.start();
    const pipeline = [
      'videotestsrc', 'is-live=true', 'num-buffers=240', '!', 'video/x-raw,width=320,height=180,framerate=30/1', '!',
      'x264enc', 'tune=zerolatency', 'key-int-max=30', 'speed-preset=veryfast', '!', 'h264parse', '!', 'queue', '!', 'm.',
      'audiotestsrc', 'is-live=true', 'num-buffers=345', '!', 'audio/x-raw,rate=44100,channels=2', '!', 'avenc_aac', '!', 'aacparse', '!', 'queue', '!', 'm.',
      'flvmux', 'name=m', 'streamable=true', '!', 'rtmp2sink', `location=${t.rtmpUrl('live/gst')}`,
    ];
    const r = await run('gst-launch-1.0', ['-q', '-e', ...pipeline], { timeoutMs: 40_000 });
    expect(r.code, r.stderr).toBe(0);
    await watcher.untilEnded(15_000);
    expect(watcher.errors).toEqual([]);
    const a = await analyse(dir, watcher);
    expect(a.segments.length).toBeGreaterThanOrEqual(3);
    expectCleanSegments(a, ['aac', 'h264']);
    expectContinuous(a, 'video', FRAME_SEC);
  });
});
