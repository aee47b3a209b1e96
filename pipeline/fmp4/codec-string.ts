// RFC 6381 codecs parameter for a track as encodeInitSegment describes it (what a DASH
// Representation@codecs or an HLS CODECS attribute must say for these fragments).
import type { TrackInfo } from '../ingest/media-types.js';
import { audioObjectTypeIndication } from './audio-sample-entry.js';

/**
 * AAC and H.264 keep the track's own string ("avc1.64001f", "mp4a.40.2"). MP3 in an MP4 sample
 * entry is signalled by its objectTypeIndication, so it is "mp4a.6B" (or "mp4a.69" for MPEG-2
 * rates), not the "mp4a.40.34" the MPEG-TS path uses.
 */
export function fmp4CodecString(track: TrackInfo): string {
  if (track.kind === 'audio' && track.config.codec === '.mp3') {
    return `mp4a.${audioObjectTypeIndication(track).toString(16).toUpperCase()}`;
  }
  return track.codecString;
}
