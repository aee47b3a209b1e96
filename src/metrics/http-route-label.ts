// The route label of an HTTP request for metrics: one of a small fixed set, never the raw URL,
// so a client cannot create series by requesting made-up paths.

export const HTTP_ROUTE_LABELS = ['playlist', 'segment', 'manifest', 'api', 'vod', 'metrics', 'health', 'web', 'other'] as const;
export type HttpRouteLabel = (typeof HTTP_ROUTE_LABELS)[number];

/** Static files of the web page (the dashboard and player). */
const WEB_EXTENSIONS = ['.html', '.js', '.mjs', '.css', '.svg', '.ico', '.png', '.map', '.webmanifest'] as const;

/**
 * Classifies a request URL (path and optional query, as in `req.originalUrl`) without allocating:
 * recordings under /vod/ are 'vod' whatever the file; live playlists ('.m3u8') are 'playlist',
 * DASH manifests ('.mpd') 'manifest', media ('.ts', '.m4s', '.mp4') 'segment'.
 */
export function classifyRoute(url: string): HttpRouteLabel {
  const q = url.indexOf('?');
  const end = q === -1 ? url.length : q;
  if (end === 8 && url.startsWith('/metrics')) return 'metrics';
  if ((end === 8 && url.startsWith('/healthz')) || (end === 7 && url.startsWith('/readyz'))) return 'health';
  if (url.startsWith('/api/') || (end === 4 && url.startsWith('/api'))) return 'api';
  if (url.startsWith('/vod/')) return 'vod';
  if (url.startsWith('/admin/')) return 'web';
  if (url.endsWith('.m3u8', end)) return 'playlist';
  if (url.endsWith('.mpd', end)) return 'manifest';
  if (url.endsWith('.ts', end) || url.endsWith('.m4s', end) || url.endsWith('.mp4', end)) return 'segment';
  if (end === 1 && url.startsWith('/')) return 'web';
  for (const ext of WEB_EXTENSIONS) if (url.endsWith(ext, end)) return 'web';
  return 'other';
}
