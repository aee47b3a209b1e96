// CMAF end to end: ffmpeg publishes; Onramp serves low-latency HLS (fMP4 parts) and DASH from one
// set of fragments. Every playlist version passes the checker; each segment file is exactly its
// parts' bytes; init + segment decodes per track; the ended MPD plays through ffmpeg; blocking
// reloads are answered when the part is written, together, and with the spec's 400 and 503.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkDeltaUpdate, HlsPlaylistChecker } from '../helpers/hls-playlist-checker.js';
import { killAll, run } from '../helpers/processes.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/test-server.js';
import { requireTool } from '../helpers/tools.js';

const enabled = requireTool('ffmpeg') && requireTool('ffprobe');

function publish(url: string, seconds: number): Promise<void> {
  const args = ['-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-bf', '2', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', url];
  return run('ffmpeg', args, { timeoutMs: (seconds + 20) * 1000 }).then((r) => {
    if (r.code !== 0) throw new Error(`ffmpeg publish failed: ${r.stderr}`);
  });
}

const lines = (text: string): string[] => text.split('\n');
const uris = (text: string): string[] => lines(text).filter((l) => l !== '' && !l.startsWith('#'));
const playlistSequence = (text: string): number => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1]);
const partUris = (text: string): string[] => lines(text).filter((l) => l.startsWith('#EXT-X-PART:')).map((l) => /URI="([^"]+)"/.exec(l)?.[1] ?? '');

describe.skipIf(!enabled)('CMAF: DASH and low-latency HLS from one set of fragments', () => {
  let t: TestServer;
  let dir: string;
  const fetched = new Map<string, Buffer>();

  beforeAll(async () => {
    t = await startTestServer({ streams: { reconnectGraceMs: 8000 }, hls: { endedRetentionMs: 60_000, segmentRetentionMs: 60_000 } });
    dir = mkdtempSync(join(tmpdir(), 'onramp-cmaf-'));
  });
  afterEach(() => killAll());
  afterAll(async () => {
    const problems = t?.log.entries.filter((e) => e.level === 'error' || e.level === 'warn') ?? [];
    if (problems.length > 0) console.warn(problems.map((e) => `${e.level}: ${e.msg} ${JSON.stringify(e.fields).slice(0, 600)}`).join('\n'));
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function get(path: string): Promise<Buffer> {
    const cached = fetched.get(path);
    if (cached) return cached;
    const res = await fetch(t.httpUrl(path));
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    if (!path.endsWith('.m3u8') && !path.endsWith('.mpd')) fetched.set(path, body);
    return body;
  }

  it('serves valid LL-HLS and DASH whose segments are their parts and decode cleanly', async () => {
    const base = '/live/cmaf';
    const checkers = { v: new HlsPlaylistChecker(), a: new HlsPlaylistChecker() };
    const errors: string[] = [];
    let polling = true;
    const poll = async (): Promise<void> => {
      while (polling) {
        for (const letter of ['v', 'a'] as const) {
          const res = await fetch(t.httpUrl(`${base}/ll-${letter}.m3u8`));
          if (res.status !== 200) continue;
          const text = await res.text();
          try {
            checkers[letter].check(text);
            for (const u of [...partUris(text), ...uris(text)]) await get(`${base}/${u}`);
          } catch (err) {
            errors.push(`${letter}: ${(err as Error).message}`);
          }
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    const polled = poll();
    const published = publish(t.rtmpUrl('live/cmaf'), 18);

    // Blocking reload, while live: ask for the next part of the video playlist before it exists.
    const first = await waitFor('the first LL playlist', async () => {
      const res = await fetch(t.httpUrl(`${base}/ll-v.m3u8`));
      return res.status === 200 ? res.text() : undefined;
    }, 15_000);
    const msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(first)?.[1]) + uris(first).length;
    const part = partUris(first).filter((u) => u.startsWith(`v-`) && !uris(first).some((s) => u.startsWith(s.replace('.m4s', '.')))).length;
    const q = `?_HLS_msn=${msn}&_HLS_part=${part + 1}`;
    const started = Date.now();
    const blocked = await Promise.all([1, 2, 3].map(() => fetch(t.httpUrl(`${base}/ll-v.m3u8${q}`)).then(async (r) => ({ status: r.status, text: await r.text(), at: Date.now(), cache: r.headers.get('cache-control') }))));
    for (const b of blocked) {
      expect(b.status, 'a blocking reload is answered').toBe(200);
      expect(b.cache).toMatch(/max-age/);
    }
    const spread = Math.max(...blocked.map((b) => b.at)) - Math.min(...blocked.map((b) => b.at));
    expect(spread, 'the three blocked requests are answered together').toBeLessThan(200);
    expect(Date.now() - started, 'answered within about one part duration').toBeLessThan(3000);

    const far = await fetch(t.httpUrl(`${base}/ll-v.m3u8?_HLS_msn=${msn + 10}`));
    expect(far.status, 'a request far beyond the live edge is refused at once').toBe(400);
    expect((await fetch(t.httpUrl(`${base}/ll-v.m3u8?_HLS_part=1`))).status, '_HLS_part without _HLS_msn').toBe(400);

    // Delta update: once segments older than CAN-SKIP-UNTIL (6 × target) exist, _HLS_skip=YES skips them.
    // A full playlist and a delta of the same version (the live edge moves between two requests:
    // a new part, or the open segment completing, which lists it with its parts unchanged).
    const [full, delta] = await waitFor('a delta update that skips segments', async () => {
      const f = await (await fetch(t.httpUrl(`${base}/ll-v.m3u8`))).text();
      const d = await (await fetch(t.httpUrl(`${base}/ll-v.m3u8?_HLS_skip=YES`))).text();
      const same = playlistSequence(f) === playlistSequence(d) && partUris(f).at(-1) === partUris(d).at(-1) && uris(f).at(-1) === uris(d).at(-1);
      return d.includes('#EXT-X-SKIP:SKIPPED-SEGMENTS=') && same ? [f, d] : undefined;
    }, 20_000);
    checkDeltaUpdate(full, delta);
    expect(delta).toMatch(/#EXT-X-VERSION:9/);

    const somePart = [...fetched.keys()].find((k) => /\.\d+\.m4s$/.test(k)) as string;
    const partRes = await fetch(t.httpUrl(somePart));
    expect(partRes.headers.get('cache-control'), 'parts are immutable').toContain('immutable');

    await published;
    // The publisher is gone but the grace period keeps the stream live: nothing new will come.
    const last = await (await fetch(t.httpUrl(`${base}/ll-v.m3u8`))).text();
    const nextMsn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(last)?.[1]) + uris(last).length + 1;
    const t0 = Date.now();
    const stalled = await fetch(t.httpUrl(`${base}/ll-v.m3u8?_HLS_msn=${nextMsn}`));
    expect(stalled.status, 'a reload blocked for 3 target durations gets 503').toBe(503);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5500);

    await waitFor('ENDLIST on both playlists', async () => {
      const v = await (await fetch(t.httpUrl(`${base}/ll-v.m3u8`))).text();
      const a = await (await fetch(t.httpUrl(`${base}/ll-a.m3u8`))).text();
      return v.includes('#EXT-X-ENDLIST') && a.includes('#EXT-X-ENDLIST');
    }, 15_000);
    polling = false;
    await polled;
    expect(errors, 'every LL playlist version passed the checker').toEqual([]);

    const multivariant = (await get(`${base}/ll.m3u8`)).toString();
    expect(multivariant).toMatch(/#EXT-X-STREAM-INF:.*CODECS="avc1\.64000d,mp4a\.40\.2"/);
    expect(multivariant).toMatch(/#EXT-X-MEDIA:TYPE=AUDIO/);

    for (const letter of ['v', 'a'] as const) {
      const text = (await (await fetch(t.httpUrl(`${base}/ll-${letter}.m3u8`))).text());
      const init = await get(`${base}/${/#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1]}`);
      const segs = uris(text);
      expect(segs.length).toBeGreaterThanOrEqual(4);
      for (const s of segs) {
        const seg = await get(`${base}/${s}`);
        const parts = [...fetched.keys()].filter((k) => k.startsWith(`${base}/${s.replace('.m4s', '.')}`) && /\.\d+\.m4s$/.test(k)).sort((x, y) => Number(x.split('.').at(-2)) - Number(y.split('.').at(-2)));
        if (parts.length > 0) expect(Buffer.concat(parts.map((k) => fetched.get(k) as Buffer)).equals(seg), `${s} is exactly its parts (${parts.join(' ')}: ${parts.map((k) => fetched.get(k)?.length).join('+')} vs ${seg.length})`).toBe(true);
        const file = join(dir, `${letter}-${s}.mp4`);
        writeFileSync(file, Buffer.concat([init, seg]));
        const decode = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
        expect(decode.stderr, `${s} decodes after its init segment`).toBe('');
      }
    }

    const mpd = (await get(`${base}/index.mpd`)).toString();
    expect(mpd).toMatch(/type="static"/);
    expect(mpd).toContain(`<UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-iso:2014" value="${t.httpUrl('/api/time')}"`);
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', t.httpUrl(`${base}/index.mpd`)]);
    expect([...new Set(probe.stdout.toString().split('\n').filter((l) => l !== ''))].sort(), `ffprobe reads the MPD: ${probe.stderr}`).toEqual(['aac', 'h264']);
    const decodeDash = await run('ffmpeg', ['-v', 'error', '-i', t.httpUrl(`${base}/index.mpd`), '-f', 'null', '-'], { timeoutMs: 60_000 });
    expect(decodeDash.stderr, 'the DASH presentation decodes end to end').toBe('');
    const time = await (await fetch(t.httpUrl('/api/time'))).text();
    expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(2000);
  }, 90_000);

  it.each([
    ['audio-only', ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-c:a', 'aac'], 'a', 'aac'],
    ['video-only', ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '30', '-pix_fmt', 'yuv420p'], 'v', 'h264'],
  ])('packages a %s stream with only its real track', async (label, input, letter, codec) => {
    const name = `cmaf-${label}`;
    const r = await run('ffmpeg', ['-v', 'error', '-re', ...input.slice(0, 4), '-t', '6', ...input.slice(4), '-f', 'flv', t.rtmpUrl(`live/${name}`)], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const multivariant = await waitFor('the multivariant playlist', async () => {
      const res = await fetch(t.httpUrl(`/live/${name}/ll.m3u8`));
      return res.status === 200 ? res.text() : undefined;
    });
    expect(multivariant).toContain(`ll-${letter}.m3u8`);
    expect(multivariant).not.toContain(`ll-${letter === 'a' ? 'v' : 'a'}.m3u8`);
    const stored = await t.server.storage.list(`live/${name}`);
    expect(stored.filter((k) => /\/init-/.test(k)).map((k) => k.split('/').pop()?.slice(0, 6)), 'one init segment, of the real track').toEqual([`init-${letter}`]);
    const mpd = await (await fetch(t.httpUrl(`/live/${name}/index.mpd`))).text();
    expect((mpd.match(/<AdaptationSet/g) ?? []).length, 'one AdaptationSet').toBe(1);
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', t.httpUrl(`/live/${name}/index.mpd`)]);
    expect([...new Set(probe.stdout.toString().split('\n').filter((l) => l !== ''))]).toEqual([codec]);
  }, 40_000);
});
