// kill -9 in the middle of a recorded stream, then a restart on the same media folder: the
// recording is finalized from what is on disk, plays from start to end as HLS, DASH and MP4, and
// its duration matches what was published up to the crash within one fragment (1 s by default);
// the live playlist the dead process left open is closed with EXT-X-ENDLIST.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../src/http/recordings-route.js';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { waitFor } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { expectPlayableVod } from '../helpers/vod-check.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe');
/** recording.fragmentDurationMs's default: what a crash may lose at most. */
const FRAGMENT_SEC = 1;

describe.skipIf(!enabled)('a recording survives kill -9', () => {
  const servers: ServerProcess[] = [];
  let dir = '';
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGKILL');
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('is finalized at the next start from what reached the disk', async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-crash-'));
    const first = await startServerProcess(['--media-dir', dir, '--record', 'live']);
    servers.push(first);
    const publishing = ffmpegLivePublish(first.rtmpUrl('live/crash'), 30);
    const t0 = await waitFor('the stream to go live', async () => {
      const res = await fetch(first.httpUrl('/api/streams'));
      const body = (await res.json()) as { streams: { name: string; video?: unknown }[] };
      return body.streams.some((s) => s.name === 'crash') && Date.now();
    }, 15_000);
    await new Promise((r) => setTimeout(r, 6000));
    const tKill = Date.now();
    expect(await first.kill('SIGKILL')).toBeNull(); // killed by the signal, no exit code
    await publishing; // ffmpeg fails: its server is gone
    const publishedSec = (tKill - t0) / 1000;

    const second = await startServerProcess(['--media-dir', dir]);
    servers.push(second);
    const rec = await waitFor('the interrupted recording to be finalized', async () => {
      const body = (await (await fetch(second.httpUrl('/api/recordings?app=live&name=crash'))).json()) as { recordings: RecordingView[] };
      const r = body.recordings[0];
      return r !== undefined && r.state === 'ready' && r.jobs.mp4 !== 'pending' && r;
    }, 30_000);
    expect(rec.jobs.mp4).toBe('ready');
    // Lost: at most the fragment in progress; allow the encoder's start-up and one frame more.
    expect(rec.durationSec, `recorded ${rec.durationSec} s of ${publishedSec.toFixed(2)} s published before kill -9`).toBeGreaterThanOrEqual(publishedSec - FRAGMENT_SEC - 0.7);
    expect(rec.durationSec).toBeLessThanOrEqual(publishedSec + 0.5);
    await expectPlayableVod(rec, rec.durationSec);
    const live = await (await fetch(second.httpUrl('/live/crash/index.m3u8'))).text();
    expect(live.trimEnd().endsWith('#EXT-X-ENDLIST'), 'the live playlist left open is closed').toBe(true);
    expect(second.lines.join('\n')).toContain('recording interrupted by a restart');
    expect(await second.kill('SIGTERM')).toBe(0);
  }, 90_000);
});
