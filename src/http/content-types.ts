// Content-Type of each media file the origin serves (RFC 8216 §4, ISO 23009-1 Annex C,
// RFC 4337, CMAF's video/iso.segment registration).

export type MediaExtension = 'm3u8' | 'ts' | 'm4s' | 'mp4' | 'mpd';

export const MEDIA_CONTENT_TYPES: Readonly<Record<MediaExtension, string>> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  mpd: 'application/dash+xml',
};

export function contentTypeFor(extension: MediaExtension): string {
  return MEDIA_CONTENT_TYPES[extension];
}
