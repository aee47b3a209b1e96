// The watch folder: an FLV file copied into it becomes a recording (same pipeline and jobs as a
// live stream) that plays as HLS, DASH and MP4; the file then moves to done/. A file that is not
// FLV moves to failed/ and its failure is visible in /api/jobs.
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../src/http/recordings-route.js';
import { FIXTURE_H264_AAC } from '../helpers/fixtures.js';
import { run } from '../helpers/processes.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';
import { expectPlayableVod } from '../helpers/vod-check.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe');

describe.skipIf(!enabled)('watch folder', () => {
  let t: TestServer;
  let dir: string;
  let watchDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-watch-'));
    watchDir = join(dir, 'drop');
    t = await startTestServer({ watch: { dir: watchDir, app: 'uploads' } });
  });
  afterAll(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a dropped FLV file as a recording and moves it to done/', async () => {
    const flv = join(dir, 'source.flv');
    const made = await run('ffmpeg', ['-v', 'error', '-i', FIXTURE_H264_AAC, '-c', 'copy', '-f', 'flv', flv]);
    expect(made.code, made.stderr).toBe(0);
    await copyFile(flv, join(watchDir, 'My Show (final).flv'));
    const rec = await waitFor('the dropped file to become a finished recording', async () => {
      const body = (await (await fetch(t.httpUrl('/api/recordings?app=uploads'))).json()) as { recordings: RecordingView[] };
      const r = body.recordings[0];
      return r !== undefined && r.state === 'ready' && r.jobs.mp4 === 'ready' && r;
    }, 30_000);
    expect(rec.name, 'stream name from the file name').toBe('My-Show-final');
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', FIXTURE_H264_AAC]);
    const sourceSec = Number(probe.stdout.toString().trim());
    expect(Math.abs(rec.durationSec - sourceSec), `${rec.durationSec} s recorded of a ${sourceSec} s file`).toBeLessThanOrEqual(0.2);
    await expectPlayableVod(rec, sourceSec);
    await waitFor('the file to move to done/', async () => (await readdir(join(watchDir, 'done')).catch(() => [])).length === 1);
    expect((await readdir(watchDir)).filter((n) => n.endsWith('.flv'))).toEqual([]);
  }, 60_000);

  it('moves a file that is not FLV to failed/ and reports the failed job', async () => {
    await writeFile(join(watchDir, 'broken.flv'), Buffer.from('this is not an flv file at all, just text'));
    await waitFor('the broken file to move to failed/', async () => (await readdir(join(watchDir, 'failed')).catch(() => [])).length === 1, 20_000);
    const jobs = (await (await fetch(t.httpUrl('/api/jobs'))).json()) as { failed: { name: string; error: string }[] };
    const failure = jobs.failed.find((f) => f.name === 'import-flv');
    expect(failure?.error, 'the failed import names the file and the problem').toMatch(/broken\.flv/);
  }, 30_000);
});
