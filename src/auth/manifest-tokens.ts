// Hands a playback token on to the URIs a playlist or manifest lists, so that a player which got
// the playlist with ?token=… also sends it for every segment, part, init segment and media
// playlist (players do not carry a playlist's query over to the URIs in it).
// HLS (RFC 8216bis §4.1, §4.4): URI lines and every URI="…" attribute (EXT-X-MAP, EXT-X-PART,
// EXT-X-PRELOAD-HINT, EXT-X-RENDITION-REPORT, EXT-X-MEDIA, EXT-X-I-FRAME-STREAM-INF, …).
// DASH (ISO 23009-1 §5.3.9): the media, initialization, index and sourceURL attributes of
// SegmentTemplate, SegmentURL, Initialization and RepresentationIndex.
// Only relative URIs are changed: an absolute URL may point at another host, which must not see
// the token. Existing query parameters are kept, so blocking-reload requests (_HLS_msn,
// _HLS_part, _HLS_skip) built on a tokenized URI carry the token too.

export const TOKEN_PARAM = 'token';

/** A scheme ("https:", "data:") or a network-path reference ("//host/…"). */
const ABSOLUTE_URI = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/\/)/;
/** URI="…" in an attribute list: after the tag's ':' or a ','. */
const URI_ATTRIBUTE = /([:,]URI=")([^"]*)(")/g;
/** The opening tags of DASH elements that carry segment URLs. */
const MPD_URL_ELEMENT = /<(?:SegmentTemplate|SegmentURL|Initialization|RepresentationIndex)\b[^>]*>/g;
const MPD_URL_ATTRIBUTE = /(\s(?:media|initialization|index|sourceURL)=")([^"]*)(")/g;

/** `uri` with token=<token> as its last query parameter (replacing any token it had), fragment kept. */
export function withToken(uri: string, token: string): string {
  if (uri === '' || ABSOLUTE_URI.test(uri)) return uri;
  const hash = uri.indexOf('#');
  const fragment = hash < 0 ? '' : uri.slice(hash);
  const beforeHash = hash < 0 ? uri : uri.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const path = q < 0 ? beforeHash : beforeHash.slice(0, q);
  const kept = q < 0 ? [] : beforeHash.slice(q + 1).split('&').filter((p) => p !== '' && p !== TOKEN_PARAM && !p.startsWith(`${TOKEN_PARAM}=`));
  kept.push(`${TOKEN_PARAM}=${encodeURIComponent(token)}`);
  return `${path}?${kept.join('&')}${fragment}`;
}

/** Every relative URI of an HLS playlist (multivariant or media, low-latency tags included) with the token. */
export function tokenizePlaylist(text: string, token: string): string {
  return text
    .split('\n')
    .map((line) => {
      const cr = line.endsWith('\r') ? '\r' : '';
      const content = cr === '' ? line : line.slice(0, -1);
      if (content.trim() === '') return line;
      if (content.startsWith('#')) {
        if (!content.startsWith('#EXT')) return line;
        return content.replace(URI_ATTRIBUTE, (_m, open: string, uri: string, close: string) => `${open}${withToken(uri, token)}${close}`) + cr;
      }
      return withToken(content.trim(), token) + cr;
    })
    .join('\n');
}

/** The segment URL templates of an MPD with the token (XML attribute escaping respected). */
export function tokenizeMpd(text: string, token: string): string {
  return text.replace(MPD_URL_ELEMENT, (element) =>
    element.replace(MPD_URL_ATTRIBUTE, (_m, open: string, value: string, close: string) => `${open}${escapeXml(withToken(unescapeXml(value), token))}${close}`),
  );
}

function unescapeXml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name] ?? '');
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
