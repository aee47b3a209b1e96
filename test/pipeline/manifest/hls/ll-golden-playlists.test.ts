// Golden low-latency media playlists, full and delta, and multivariant playlists (test/fixtures/hls/ll-*.m3u8, multivariant-*.m3u8); UPDATE_GOLDEN=1 rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HlsPlaylistChecker, checkDeltaUpdate } from '../../../helpers/hls-playlist-checker.js';
import { LL_AUDIO, LL_LIVE, LL_RECONNECT, runLlScenario, type LlStep } from './ll-scenarios.js';
import { MULTIVARIANT_CASES } from './multivariant-cases.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../fixtures/hls/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function expectGolden(file: string, actual: string): void {
  const path = `${GOLDEN_DIR}${file}`;
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) throw new Error(`${path} is missing; run with UPDATE_GOLDEN=1 to create it`);
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const LL_CASES: readonly { name: string; steps: readonly LlStep[]; minSegments: number; prefix?: string }[] = [
  { name: 'll-live', steps: LL_LIVE, minSegments: 12 },
  { name: 'll-reconnect', steps: LL_RECONNECT, minSegments: 12 },
  { name: 'll-audio', steps: [...LL_AUDIO, 'end'], minSegments: 6, prefix: 'a' },
];

describe('low-latency HLS golden playlists', () => {
  for (const c of LL_CASES) {
    it(`${c.name}.m3u8 and ${c.name}-delta.m3u8 are reproduced byte for byte; every version passes the checker, in pairs`, () => {
      const { versions } = runLlScenario({ targetDurationSec: 2, partTargetSec: 0.5, minSegments: c.minSegments, mapUri: 'init.mp4' }, c.steps, { prefix: c.prefix });
      const checker = new HlsPlaylistChecker();
      for (const v of versions) checker.checkDelta(v.full, v.delta);
      const last = versions[versions.length - 1];
      expectGolden(`${c.name}.m3u8`, last.full);
      expectGolden(`${c.name}-delta.m3u8`, last.delta);
    });
  }

  it('ll-live: parts only for the last three segments and the one in progress; the delta skips what ends beyond 12 s', () => {
    const full = readFileSync(`${GOLDEN_DIR}ll-live.m3u8`, 'utf8');
    const delta = readFileSync(`${GOLDEN_DIR}ll-live-delta.m3u8`, 'utf8');
    expect(full).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,HOLD-BACK=6.000,PART-HOLD-BACK=1.500\n');
    expect(full).toContain('#EXT-X-PART-INF:PART-TARGET=0.500\n');
    expect(full.match(/^#EXT-X-PART:/gm)).toHaveLength(3 * 4 + 2);
    expect(full).not.toContain('v-10.3.m4s');
    expect(full).toContain('#EXT-X-PART:DURATION=0.500,URI="v-11.0.m4s",INDEPENDENT=YES\n');
    expect(full.endsWith('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="v-14.2.m4s"\n')).toBe(true);
    expect(full).toContain('#EXT-X-VERSION:6\n');
    expect(delta).toContain('#EXT-X-VERSION:9\n');
    // 12 segments of 2 s: those ending more than 12 s before the end of the last are skipped (5).
    expect(delta).toContain('#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n');
    checkDeltaUpdate(full, delta);
  });

  it('ll-reconnect: DISCONTINUITY and MAP precede the first part; the delta starts with the map then in effect', () => {
    const full = readFileSync(`${GOLDEN_DIR}ll-reconnect.m3u8`, 'utf8');
    const delta = readFileSync(`${GOLDEN_DIR}ll-reconnect-delta.m3u8`, 'utf8');
    expect(full).toContain('v-12.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-2.mp4"\n#EXT-X-PART:DURATION=0.500,URI="v-13.0.m4s",INDEPENDENT=YES\n');
    expect(full).toContain('v-4.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-1.mp4"\n#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:12.500Z\n#EXTINF:1.834,\nv-5.m4s\n');
    expect(delta).toContain('#EXT-X-MAP:URI="init-1.mp4"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:14.334Z\n');
    expect(delta).not.toContain('init.mp4');
    expect(delta.match(/^#EXT-X-DISCONTINUITY$/gm)).toHaveLength(1);
  });

  it('ll-audio: every part is independent; the ended playlist has no preload hint and no skip', () => {
    const full = readFileSync(`${GOLDEN_DIR}ll-audio.m3u8`, 'utf8');
    expect(full.match(/^#EXT-X-PART:.*INDEPENDENT=YES$/gm)?.length).toBe(full.match(/^#EXT-X-PART:/gm)?.length);
    expect(full).not.toContain('PRELOAD-HINT');
    expect(full.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
    expect(readFileSync(`${GOLDEN_DIR}ll-audio-delta.m3u8`, 'utf8')).toBe(full);
  });
});

describe('multivariant golden playlists', () => {
  for (const c of MULTIVARIANT_CASES) {
    it(`${c.file} is reproduced byte for byte`, () => {
      expectGolden(c.file, c.text());
    });
  }
});
