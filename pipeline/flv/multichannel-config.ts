// E-RTMP v2 AudioPacketType.MultichannelConfig body: AudioChannelOrder, channel count, mapping or mask.
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import type { ByteReader } from '../core/byte-reader.js';
import type { ByteWriter } from '../core/byte-writer.js';
import { AUDIO_CHANNEL_ORDER } from './flv-constants.js';
import { checkRange, checkU8 } from './field-checks.js';
import type { AudioChannelLayout } from './audio-tag-types.js';

const WHAT = 'E-RTMP audio MultichannelConfig';

export type MultichannelConfigFields = { readonly packet: 'multichannelConfig'; readonly channelCount: number } & AudioChannelLayout;

/** Reads audioChannelOrder UI8, channelCount UI8, then UI8[channelCount] (Custom) or UI32 flags (Native). */
export function decodeMultichannelConfig(r: ByteReader): MultichannelConfigFields {
  const order = r.u8();
  const channelCount = r.u8();
  switch (order) {
    case AUDIO_CHANNEL_ORDER.UNSPECIFIED:
      return { packet: 'multichannelConfig', channelCount, channelOrder: 'unspecified' };
    case AUDIO_CHANNEL_ORDER.NATIVE:
      return { packet: 'multichannelConfig', channelCount, channelOrder: 'native', channelFlags: r.u32() };
    case AUDIO_CHANNEL_ORDER.CUSTOM:
      return { packet: 'multichannelConfig', channelCount, channelOrder: 'custom', channelMapping: r.bytesView(channelCount) };
    default:
      throw new UnsupportedError(`${WHAT}: unknown AudioChannelOrder ${order}`, { channelOrder: order });
  }
}

export function encodeMultichannelConfig(w: ByteWriter, config: MultichannelConfigFields): void {
  checkU8(config.channelCount, 'channelCount', WHAT);
  switch (config.channelOrder) {
    case 'unspecified':
      w.u8(AUDIO_CHANNEL_ORDER.UNSPECIFIED).u8(config.channelCount);
      return;
    case 'native':
      checkRange(config.channelFlags, 0, 0xffffffff, 'channelFlags', WHAT);
      w.u8(AUDIO_CHANNEL_ORDER.NATIVE).u8(config.channelCount).u32(config.channelFlags);
      return;
    case 'custom':
      if (config.channelMapping.length !== config.channelCount) {
        throw new ProtocolError(`${WHAT}: ${config.channelMapping.length} channel mappings for ${config.channelCount} channels`);
      }
      w.u8(AUDIO_CHANNEL_ORDER.CUSTOM).u8(config.channelCount).bytes(config.channelMapping);
      return;
    default:
      throw new ProtocolError(`${WHAT}: unknown channel order`);
  }
}
