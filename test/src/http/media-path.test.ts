// The media path allow-list and its mapping to storage keys, kinds and content types.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYLIST_MAX_AGE_SEC, IMMUTABLE_CACHE_CONTROL, createCachePolicy, livePlaylistCacheControl } from '../../../src/http/cache-policy.js';
import { contentTypeFor } from '../../../src/http/content-types.js';
import { matchMediaFile, parseMediaPath } from '../../../src/http/media-path.js';

describe('matchMediaFile', () => {
  it.each([
    ['index.m3u8', 'm3u8', 'playlist'],
    ['video_720p.m3u8', 'm3u8', 'playlist'],
    ['a.b-c.m3u8', 'm3u8', 'playlist'],
    ['seg-0.ts', 'ts', 'segment'],
    ['seg-000001.ts', 'ts', 'segment'],
    ['seg-1.m4s', 'm4s', 'segment'],
    ['part-12.3.m4s', 'm4s', 'segment'],
    ['init.mp4', 'mp4', 'init'],
    ['init-video-2.mp4', 'mp4', 'init'],
    ['manifest.mpd', 'mpd', 'manifest'],
  ])('%s → %s (%s)', (file, extension, kind) => {
    expect(matchMediaFile(file)).toEqual({ extension, kind });
  });

  it.each([
    '', '.m3u8', '..m3u8', '.index.m3u8', 'index.m3u8.tmp', 'index.M3U8', 'seg-.ts', 'seg-1a.ts', 'segment-1.ts', 'x.ts', 'seg-1.ts.bak',
    'video.mp4', 'xinit.mp4', 'init.mp4/', 'a/b.m3u8', 'a\\b.m3u8', 'a b.m3u8', 'a%2e.m3u8', 'index.m3u8\u0000', 'passwd', '..', '.',
    `${'a'.repeat(101)}.m3u8`, `seg-${'1'.repeat(21)}.ts`,
  ])('%j is not served', (file) => {
    expect(matchMediaFile(file)).toBeUndefined();
  });
});

describe('parseMediaPath', () => {
  it('maps a valid path to its storage key', () => {
    expect(parseMediaPath('/live/my.stream-1/seg-000001.ts')).toEqual({
      app: 'live', name: 'my.stream-1', file: 'seg-000001.ts', extension: 'ts', kind: 'segment', mutable: false, key: 'live/my.stream-1/seg-000001.ts',
    });
    expect(parseMediaPath('/live/s/index.m3u8')).toMatchObject({ kind: 'playlist', mutable: true });
    expect(parseMediaPath('/live/s/manifest.mpd')).toMatchObject({ kind: 'manifest', mutable: true });
  });

  it('decodes each segment exactly once', () => {
    expect(parseMediaPath('/%6Cive/s/index.m3u8')?.key).toBe('live/s/index.m3u8');
    expect(parseMediaPath('/live/%252e/index.m3u8')).toBeUndefined();
  });

  it.each(['live/s/index.m3u8', '/live/s', '/live/s/index.m3u8/', '//s/index.m3u8', '/.live/s/index.m3u8', `/${'a'.repeat(129)}/s/index.m3u8`, '/live/%E0%A4%A/index.m3u8'])(
    '%j is not a media path',
    (path) => {
      expect(parseMediaPath(path)).toBeUndefined();
    },
  );
});

describe('content types and cache policy', () => {
  it('names the registered media types', () => {
    expect([contentTypeFor('m3u8'), contentTypeFor('ts'), contentTypeFor('m4s'), contentTypeFor('mp4'), contentTypeFor('mpd')]).toEqual([
      'application/vnd.apple.mpegurl', 'video/mp2t', 'video/iso.segment', 'video/mp4', 'application/dash+xml',
    ]);
  });

  it('gives live playlists and manifests a short max-age and everything else a year, immutable', () => {
    const policy = createCachePolicy();
    expect(DEFAULT_PLAYLIST_MAX_AGE_SEC).toBe(1);
    expect(policy.forKind('playlist')).toBe('max-age=1');
    expect(policy.forKind('manifest')).toBe('max-age=1');
    expect(policy.forKind('segment')).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(policy.forKind('init')).toBe('public, max-age=31536000, immutable');
    expect(createCachePolicy({ playlistMaxAgeSec: 4 }).forKind('playlist')).toBe('max-age=4');
  });

  it('uses no-cache for 0 and refuses negative or fractional max-ages', () => {
    expect(livePlaylistCacheControl(0)).toBe('no-cache');
    expect(() => livePlaylistCacheControl(-1)).toThrow(RangeError);
    expect(() => livePlaylistCacheControl(0.5)).toThrow(RangeError);
    expect(() => createCachePolicy({ playlistMaxAgeSec: Number.NaN })).toThrow(RangeError);
  });
});
