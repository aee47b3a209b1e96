// EXT-X-VERSION table: the minimum version for each combination of features (RFC 8216 §7; rfc8216bis §8).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { minimumMediaPlaylistVersion, serializeMediaPlaylist, type MediaPlaylist, type VersionFeatures } from '../../../../pipeline/manifest/hls/index.js';
import { parseMediaPlaylist } from '../../../../pipeline/inspect/hls-playlist-parser.js';
import { T0_MS } from './hls-scenarios.js';

describe('minimumMediaPlaylistVersion', () => {
  const table: readonly [string, VersionFeatures, number][] = [
    ['MPEG-TS, float EXTINF', {}, 3],
    ['fMP4 (EXT-X-MAP)', { map: { uri: 'init.mp4' } }, 6],
    ['fMP4 with parts, hint, server control: no low-latency tag raises it', { map: { uri: 'init.mp4' } }, 6],
    ['a delta update (EXT-X-SKIP)', { map: { uri: 'init.mp4' }, skippedSegments: 4 }, 9],
    ['a delta update of TS segments', { skippedSegments: 4 }, 9],
    ['EXT-X-SKIP:SKIPPED-SEGMENTS=0 is still EXT-X-SKIP', { skippedSegments: 0 }, 9],
    ['a delta update skipping date ranges (RECENTLY-REMOVED-DATERANGES)', { map: {}, skippedSegments: 4, skipsDateRanges: true }, 10],
    ['skipsDateRanges without EXT-X-SKIP means nothing', { skipsDateRanges: true }, 3],
  ];
  for (const [name, features, version] of table) {
    it(`${name}: ${version}`, () => expect(minimumMediaPlaylistVersion(features)).toBe(version));
  }

  const ll = (over: Partial<MediaPlaylist>): MediaPlaylist => ({
    version: 6, targetDurationSec: 2, mediaSequence: 3, discontinuitySequence: 0, independentSegments: true, endList: false,
    map: { uri: 'init.mp4' }, partTargetSec: 0.5, serverControl: { canBlockReload: true, partHoldBackSec: 1.5, canSkipUntilSec: 12 },
    segments: [{ sequence: 3, uri: 's3.m4s', durationSec: 2, discontinuity: false, programDateTimeMs: T0_MS }],
    ...over,
  });

  it('the serializer refuses a version below the minimum, and the parser-side count agrees', () => {
    expect(() => serializeMediaPlaylist(ll({ skippedSegments: 2 }))).toThrow(ProtocolError);
    const text = serializeMediaPlaylist(ll({ version: 9, skippedSegments: 2, segments: [{ sequence: 5, uri: 's5.m4s', durationSec: 2, discontinuity: false, programDateTimeMs: T0_MS }] }));
    const parsed = parseMediaPlaylist(text);
    expect(parsed.version).toBe(9);
    expect(parsed.skippedSegments).toBe(2);
    expect(parsed.segments[0].sequence).toBe(5);
    expect(() => serializeMediaPlaylist(ll({ version: 5 }))).toThrow(/below 6/);
    expect(() => serializeMediaPlaylist(ll({ map: undefined, version: 3, segments: [{ sequence: 3, uri: 's3.m4s', durationSec: 2, discontinuity: false, programDateTimeMs: T0_MS, map: { uri: 'i.mp4' } }] }))).toThrow(/below 6/);
  });
});
