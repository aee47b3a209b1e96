// The parser on low-latency playlists: parts, server control, pending parts, maps, skip, hints (rfc8216bis §4.4.3-§4.4.5).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { parseMediaPlaylist } from '../../../../pipeline/inspect/hls-playlist-parser.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../../../fixtures/hls/${name}`, import.meta.url)), 'utf8');

describe('parseMediaPlaylist: low-latency tags', () => {
  it('reads PART-INF, SERVER-CONTROL, parts per segment, pending parts and the preload hint', () => {
    const p = parseMediaPlaylist(fixture('ll-live.m3u8'));
    expect(p.partTargetSec).toBe(0.5);
    expect(p.serverControl).toMatchObject({ canBlockReload: true, canSkipUntilSec: 12, holdBackSec: 6, partHoldBackSec: 1.5, canSkipDateRanges: false });
    expect(p.segments.map((s) => s.parts.length)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4]);
    expect(p.segments[9].parts[0]).toMatchObject({ uri: 'v-11.0.m4s', durationSec: 0.5, durationMs: 500, independent: true, gap: false });
    expect(p.segments[9].parts[1].independent).toBe(false);
    expect(p.pendingParts.map((x) => x.uri)).toEqual(['v-14.0.m4s', 'v-14.1.m4s']);
    expect(p.preloadHints).toEqual([{ type: 'PART', uri: 'v-14.2.m4s', line: expect.any(Number) }]);
    expect(p.skippedSegments).toBeUndefined();
    expect(p.segments.every((s) => s.mapUri === 'init.mp4')).toBe(true);
  });

  it('numbers the segments of a delta update after the skipped ones', () => {
    const p = parseMediaPlaylist(fixture('ll-live-delta.m3u8'));
    expect(p.skippedSegments).toBe(5);
    expect(p.mediaSequence).toBe(2);
    expect(p.segments[0]).toMatchObject({ sequence: 7, uri: 'v-7.m4s' });
    expect(p.skipsDateRanges).toBe(false);
  });

  it('follows EXT-X-MAP per segment and for the segment in progress', () => {
    const p = parseMediaPlaylist(fixture('ll-reconnect.m3u8'));
    expect(p.segments.find((s) => s.uri === 'v-4.m4s')?.mapUri).toBe('init.mp4');
    expect(p.segments.find((s) => s.uri === 'v-5.m4s')?.mapUri).toBe('init-1.mp4');
    expect(p.pendingMapUri).toBe('init-2.mp4');
    expect(p.pendingDiscontinuity).toBe(true);
  });

  const bad: readonly [string, string][] = [
    ['INDEPENDENT=NO', '#EXT-X-PART:DURATION=0.5,URI="a.m4s",INDEPENDENT=NO'],
    ['a part without DURATION', '#EXT-X-PART:URI="a.m4s"'],
    ['an unquoted part URI', '#EXT-X-PART:DURATION=0.5,URI=a.m4s'],
    ['CAN-BLOCK-RELOAD=NO', '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=NO'],
    ['EXT-X-SKIP without SKIPPED-SEGMENTS', '#EXT-X-SKIP:RECENTLY-REMOVED-DATERANGES=""'],
    ['a preload hint without URI', '#EXT-X-PRELOAD-HINT:TYPE=PART'],
  ];
  for (const [name, line] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => parseMediaPlaylist(`#EXTM3U\n#EXT-X-TARGETDURATION:2\n${line}\n`)).toThrow(ProtocolError);
    });
  }
});
