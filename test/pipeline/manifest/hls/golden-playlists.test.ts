// Golden media playlists (test/fixtures/hls/*.m3u8); UPDATE_GOLDEN=1 rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HlsPlaylistChecker } from '../../../helpers/hls-playlist-checker.js';
import { AUDIO_ONLY, DISCONTINUITY_SLID_OUT, ENDED, LIVE_MID_STREAM, runScenario, type Step } from './hls-scenarios.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../fixtures/hls/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const CASES: readonly { file: string; targetDurationSec: number; steps: readonly Step[]; prefix?: string }[] = [
  { file: 'live-mid-stream.m3u8', targetDurationSec: 6, steps: LIVE_MID_STREAM },
  { file: 'discontinuity-slid-out.m3u8', targetDurationSec: 2, steps: DISCONTINUITY_SLID_OUT },
  { file: 'ended.m3u8', targetDurationSec: 4, steps: ENDED },
  { file: 'audio-only.m3u8', targetDurationSec: 2, steps: AUDIO_ONLY, prefix: 'audio' },
];

describe('HLS media playlist golden files', () => {
  for (const c of CASES) {
    it(`${c.file} is reproduced byte for byte, and every version before it passes the checker`, () => {
      const { versions } = runScenario({ targetDurationSec: c.targetDurationSec, minSegments: 6 }, c.steps, c.prefix);
      const checker = new HlsPlaylistChecker();
      for (const v of versions) checker.check(v);
      const actual = versions[versions.length - 1];
      const path = `${GOLDEN_DIR}${c.file}`;
      if (UPDATE || !existsSync(path)) {
        if (!UPDATE) throw new Error(`${path} is missing; run with UPDATE_GOLDEN=1 to create it`);
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(path, actual);
      }
      expect(actual).toBe(readFileSync(path, 'utf8'));
    });
  }

  it('the discontinuity golden file carries DISCONTINUITY-SEQUENCE 1 and one remaining DISCONTINUITY', () => {
    const text = readFileSync(`${GOLDEN_DIR}discontinuity-slid-out.m3u8`, 'utf8');
    expect(text).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
    expect(text.match(/^#EXT-X-DISCONTINUITY$/gm)).toHaveLength(1);
  });
});
