// Request URLs as logs may show them: the values of credential parameters (playback tokens,
// publish signatures) replaced, everything else kept for debugging.

/** Query parameters whose values are credentials. */
export const CREDENTIAL_PARAMS: readonly string[] = ['token', 'sig'];

const CREDENTIAL_VALUE = new RegExp(`([?&](?:${CREDENTIAL_PARAMS.join('|')})=)[^&#]*`, 'gi');

/** "/live/cam/index.m3u8?token=1.ab&_HLS_msn=3" → "/live/cam/index.m3u8?token=***&_HLS_msn=3". */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q) + url.slice(q).replace(CREDENTIAL_VALUE, '$1***');
}
