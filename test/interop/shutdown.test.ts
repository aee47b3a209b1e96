// SIGTERM during a live, recorded stream: the process exits with status 0 within 5 s (the jobs it
// must run, finalizing and exporting the recording, take about a second; jobs due later, such as
// the stream folder's cleanup, are not waited for: it used to wait out its 6 s deadline); the live
// playlists end with EXT-X-ENDLIST (TS and low-latency HLS) and the MPD is static; the recording
// is finalized before exit and plays from start to end from the media folder alone.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegLivePublish } from '../helpers/ffmpeg-publish.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { waitFor } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { probeVod } from '../helpers/vod-check.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe');

describe.skipIf(!enabled)('graceful shutdown', () => {
  let server: ServerProcess | undefined;
  let dir = '';
  afterAll(async () => {
    await server?.kill('SIGKILL');
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('ends playlists and finalizes the recording on SIGTERM, within 5 s', async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-shutdown-'));
    server = await startServerProcess(['--media-dir', dir, '--record', 'live']);
    const s = server;
    const publishing = ffmpegLivePublish(s.rtmpUrl('live/term'), 30);
    await waitFor('a few live segments', async () => {
      const res = await fetch(s.httpUrl('/live/term/index.m3u8'));
      return res.status === 200 && ((await res.text()).match(/#EXTINF/g)?.length ?? 0) >= 2;
    }, 20_000);
    const sent = Date.now();
    s.child.kill('SIGTERM');
    const code = await s.exited;
    const tookMs = Date.now() - sent;
    expect(code, s.lines.slice(-5).join('\n')).toBe(0);
    expect(tookMs, `exited ${tookMs} ms after SIGTERM`).toBeLessThan(5_000);
    await publishing; // the publisher is disconnected

    const live = join(dir, 'live', 'term');
    for (const playlist of ['index.m3u8', 'll-v.m3u8', 'll-a.m3u8']) {
      const text = await readFile(join(live, playlist), 'utf8');
      expect(text.trimEnd().endsWith('#EXT-X-ENDLIST'), `${playlist} ends with EXT-X-ENDLIST`).toBe(true);
    }
    expect(await readFile(join(live, 'index.mpd'), 'utf8')).toContain('type="static"');

    const [id] = await readdir(join(dir, 'vod', 'live', 'term'));
    const meta = JSON.parse(await readFile(join(dir, 'vod', 'live', 'term', id, 'recording.json'), 'utf8')) as { state: string; durationSec: number };
    expect(meta.state, 'finalized before the process exited').toBe('ready');
    const vod = await probeVod(join(dir, 'vod', 'live', 'term', id, 'index.m3u8'));
    expect(vod.decodeErrors).toBe('');
    expect(Math.abs(vod.durationSec - meta.durationSec)).toBeLessThanOrEqual(0.5);
    expect(meta.durationSec).toBeGreaterThan(1.5);
    expect(s.lines.join('\n')).toContain('"msg":"stopped"');
  }, 60_000);
});
