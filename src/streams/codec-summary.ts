// What /api/streams says about a track, read from its sequence header (FourCC, RFC 6381 codecs
// string where the header gives it) and from the publisher's onMetaData.
import type { AudioTag, VideoTag } from '../../pipeline/flv/index.js';

export interface TrackSummary {
  /** FourCC or legacy codec name, e.g. "avc1", "mp4a", "hvc1", "Opus". */
  readonly codec: string;
  /** RFC 6381 codecs string when known, e.g. "avc1.64001f", "mp4a.40.2". */
  readonly codecString?: string;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

export function summarizeVideo(tag: VideoTag): TrackSummary {
  if (tag.packet === 'sequenceStart' && tag.codec === 'avc1' && tag.config.length >= 4) {
    // AVCDecoderConfigurationRecord (ISO 14496-15 §5.3.3.1): profile, compatibility, level.
    const c = tag.config;
    return { codec: 'avc1', codecString: `avc1.${hex2(c[1])}${hex2(c[2])}${hex2(c[3])}` };
  }
  return { codec: tag.codec ?? 'unknown' };
}

export function summarizeAudio(tag: AudioTag): TrackSummary {
  if (tag.packet === 'sequenceStart' && tag.codec === 'mp4a' && tag.config.length >= 1) {
    // AudioSpecificConfig (ISO 14496-3 §1.6.2.1): the first 5 bits are the object type.
    let aot = tag.config[0] >> 3;
    if (aot === 31 && tag.config.length >= 2) aot = 32 + (((tag.config[0] & 0x07) << 3) | (tag.config[1] >> 5));
    return { codec: 'mp4a', codecString: `mp4a.40.${aot}` };
  }
  if (tag.codec === '.mp3') return { codec: '.mp3', codecString: 'mp4a.40.34' };
  return { codec: tag.codec };
}
