// Legacy AudioTagHeader and body (FLV v10.1 E.4.2.1): SoundFormat, rate/size/type bits, AACPacketType.
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import type { ByteReader } from '../core/byte-reader.js';
import type { ByteWriter } from '../core/byte-writer.js';
import { AAC_PACKET_TYPE, SOUND_FORMAT } from './flv-constants.js';
import { audioCodecFromSoundFormat } from './flv-codecs.js';
import { checkRange } from './field-checks.js';
import type { AudioTag } from './audio-tag-types.js';

const WHAT = 'FLV audio';

export type LegacyAudioTag = Extract<AudioTag, { enhanced: false }>;

/** Decodes a legacy tag whose first byte (SoundFormat UB[4], SoundRate UB[2], SoundSize UB[1], SoundType UB[1]) was read. */
export function decodeLegacyAudioTag(r: ByteReader, first: number): AudioTag {
  const soundFormat = first >> 4;
  const codec = audioCodecFromSoundFormat(soundFormat);
  const base = {
    kind: 'audio',
    codec,
    trackId: 0,
    enhanced: false,
    soundFormat,
    soundRate: (first >> 2) & 0x03,
    soundSize: (first >> 1) & 0x01,
    soundType: first & 0x01,
  } as const;
  if (soundFormat !== SOUND_FORMAT.AAC) return { ...base, packet: 'codedFrames', data: r.rest() };
  const aacPacketType = r.u8();
  switch (aacPacketType) {
    case AAC_PACKET_TYPE.SEQUENCE_HEADER:
      return { ...base, packet: 'sequenceStart', config: r.rest() };
    case AAC_PACKET_TYPE.RAW:
      return { ...base, packet: 'codedFrames', data: r.rest() };
    default:
      throw new UnsupportedError(`${WHAT}: unknown AACPacketType ${aacPacketType}`, { aacPacketType });
  }
}

/** Encodes a tag in the legacy form: its SoundFormat must name its codec; only AAC has a sequence header. */
export function encodeLegacyAudioTag(w: ByteWriter, tag: LegacyAudioTag): void {
  const codec = audioCodecFromSoundFormat(tag.soundFormat);
  if (codec !== tag.codec) throw new ProtocolError(`${WHAT}: SoundFormat ${tag.soundFormat} is ${codec}, not ${tag.codec}`);
  if (tag.trackId !== 0) throw new ProtocolError(`${WHAT}: a legacy tag cannot carry trackId ${tag.trackId}`);
  if (tag.timestampOffsetNs !== undefined) throw new ProtocolError(`${WHAT}: a legacy tag cannot carry a ModEx timestamp offset`);
  checkRange(tag.soundRate, 0, 3, 'soundRate', WHAT);
  checkRange(tag.soundSize, 0, 1, 'soundSize', WHAT);
  checkRange(tag.soundType, 0, 1, 'soundType', WHAT);
  w.u8((tag.soundFormat << 4) | (tag.soundRate << 2) | (tag.soundSize << 1) | tag.soundType);

  const aac = tag.soundFormat === SOUND_FORMAT.AAC;
  if (tag.packet === 'codedFrames') {
    if (aac) w.u8(AAC_PACKET_TYPE.RAW);
    w.bytes(tag.data);
  } else if (tag.packet === 'sequenceStart' && aac) {
    w.u8(AAC_PACKET_TYPE.SEQUENCE_HEADER).bytes(tag.config);
  } else {
    throw new UnsupportedError(`${WHAT}: ${tag.codec} has no legacy ${tag.packet} packet; use the extended header`);
  }
}
