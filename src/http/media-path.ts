// Which URL paths are media files (/{app}/{name}/{file}) and the storage key each maps to. App and
// stream names follow checkStreamName; files follow one allow-list; nothing else reaches storage.
import { checkStreamName } from '../streams/stream-names.js';
import type { MediaKind } from './cache-policy.js';
import type { MediaExtension } from './content-types.js';

/**
 * The files the origin serves; anything else is not a media path (404):
 *   index.m3u8, <base>.m3u8   HLS multivariant and media playlists
 *   seg-<digits>.ts           MPEG-TS segments
 *   <base>.m4s                CMAF/fMP4 segments and parts
 *   init<suffix>.mp4          fMP4 init segments
 *   <base>.mpd                DASH manifests
 * <base> uses the stream-name alphabet, starts with a letter, digit, '_' or '-', and is at most
 * 100 characters, so no file name can be '.', '..', hidden, or contain a separator.
 */
const MEDIA_FILE_PATTERN =
  /^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\.(?<m3u8>m3u8)|seg-\d{1,20}\.(?<ts>ts)|[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\.(?<m4s>m4s)|init[A-Za-z0-9_.-]{0,96}\.(?<mp4>mp4)|[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\.(?<mpd>mpd))$/;

const KIND_OF: Readonly<Record<MediaExtension, MediaKind>> = {
  m3u8: 'playlist',
  mpd: 'manifest',
  ts: 'segment',
  m4s: 'segment',
  mp4: 'init',
};

export interface MediaPath {
  readonly app: string;
  readonly name: string;
  readonly file: string;
  readonly extension: MediaExtension;
  readonly kind: MediaKind;
  /** Playlists and manifests are rewritten in place; every other file is written once. */
  readonly mutable: boolean;
  /** The storage key, "{app}/{name}/{file}". */
  readonly key: string;
}

/** The media file a file name denotes, or undefined if it is not on the allow-list. */
export function matchMediaFile(file: string): { extension: MediaExtension; kind: MediaKind } | undefined {
  const groups = MEDIA_FILE_PATTERN.exec(file)?.groups;
  if (groups === undefined) return undefined;
  const extension = (Object.keys(KIND_OF) as MediaExtension[]).find((ext) => groups[ext] !== undefined);
  return extension === undefined ? undefined : { extension, kind: KIND_OF[extension] };
}

/**
 * Parses a raw (still percent-encoded) URL path such as "/live/mystream/index.m3u8". Each of the
 * three segments is decoded exactly once and then validated; since no valid name contains '%',
 * '/', '\' or NUL, encoded or doubly encoded traversal can never produce a valid path.
 */
export function parseMediaPath(rawPath: string): MediaPath | undefined {
  const parts = rawPath.split('/');
  if (parts.length !== 4 || parts[0] !== '') return undefined;
  const app = decodeSegment(parts[1]);
  const name = decodeSegment(parts[2]);
  const file = decodeSegment(parts[3]);
  if (app === undefined || name === undefined || file === undefined) return undefined;
  if (checkStreamName('app', app) !== undefined || checkStreamName('stream', name) !== undefined) return undefined;
  const match = matchMediaFile(file);
  if (match === undefined) return undefined;
  return { app, name, file, ...match, mutable: match.kind === 'playlist' || match.kind === 'manifest', key: `${app}/${name}/${file}` };
}

/** One percent-encoded path segment, decoded once; undefined when it is not valid. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed escapes and invalid UTF-8 (e.g. overlong %c0%ae)
  }
}
