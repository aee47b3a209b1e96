// AudioChannelConfiguration with the CICP ChannelConfiguration scheme (ISO/IEC 23009-1 §5.3.7.2, §5.8.4.7; ISO/IEC 23091-3).
import { ProtocolError, UnsupportedError } from '../../core/errors.js';

/**
 * CICP ChannelConfiguration for a channel count, assuming the usual layout of that count:
 * 1 mono, 2 stereo, 3 = 3/0, 4 = 3/1, 5 = 3/2, 6 = 5.1, 7 = 6.1 (index 11), 8 = 7.1 with rear
 * surrounds (index 12, the Opus/Vorbis and WAVE 7.1 layout; AAC channelConfiguration 7 is the
 * front-wide 7.1 of index 7, which a count alone cannot tell apart). The value is an index into
 * the ChannelConfiguration list of ISO/IEC 23091-3, not the count itself.
 */
export const CICP_BY_CHANNEL_COUNT: readonly (number | undefined)[] = [undefined, 1, 2, 3, 4, 5, 6, 11, 12];

export function cicpChannelConfiguration(channels: number): number {
  if (!Number.isSafeInteger(channels) || channels < 1) {
    throw new ProtocolError(`audioChannels must be a positive integer, got ${channels}`);
  }
  const value = CICP_BY_CHANNEL_COUNT[channels];
  if (value === undefined) {
    throw new UnsupportedError(`no CICP ChannelConfiguration written for ${channels} audio channels (1 to 8 are)`);
  }
  return value;
}
