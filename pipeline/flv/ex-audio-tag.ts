// E-RTMP ExAudioTagHeader and ExAudioTagBody (E-RTMP v2 "Enhanced Audio"): FourCC packets, ModEx, multitrack.
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import { ByteReader } from '../core/byte-reader.js';
import type { ByteWriter } from '../core/byte-writer.js';
import { AUDIO_PACKET_TYPE, SOUND_FORMAT } from './flv-constants.js';
import { isAudioFourCc, readAudioFourCc, type AudioCodec } from './flv-codecs.js';
import { readModEx, writeTimestampOffsetNano } from './mod-ex.js';
import { readMultitrack, writeMultitrack } from './multitrack.js';
import { decodeMultichannelConfig, encodeMultichannelConfig } from './multichannel-config.js';
import type { AudioTag } from './audio-tag-types.js';

const WHAT = 'E-RTMP audio';

type Extra = { timestampOffsetNs?: number };

const PACKET_TYPE_BY_NAME: Readonly<Record<AudioTag['packet'], number>> = {
  sequenceStart: AUDIO_PACKET_TYPE.SEQUENCE_START,
  codedFrames: AUDIO_PACKET_TYPE.CODED_FRAMES,
  sequenceEnd: AUDIO_PACKET_TYPE.SEQUENCE_END,
  multichannelConfig: AUDIO_PACKET_TYPE.MULTICHANNEL_CONFIG,
};

const KNOWN_PACKET_TYPES: ReadonlySet<number> = new Set(Object.values(AUDIO_PACKET_TYPE));

function checkPacketType(packetType: number): void {
  if (!KNOWN_PACKET_TYPES.has(packetType)) throw new UnsupportedError(`${WHAT}: unknown AudioPacketType ${packetType}`, { packetType });
}

function decodeBody(r: ByteReader, packetType: number, codec: AudioCodec, trackId: number, extra: Extra): AudioTag {
  const base = { kind: 'audio', codec, trackId, enhanced: true, ...extra } as const;
  switch (packetType) {
    case AUDIO_PACKET_TYPE.SEQUENCE_START:
      return { ...base, packet: 'sequenceStart', config: r.rest() };
    case AUDIO_PACKET_TYPE.CODED_FRAMES:
      return { ...base, packet: 'codedFrames', data: r.rest() };
    case AUDIO_PACKET_TYPE.SEQUENCE_END:
      return { ...base, packet: 'sequenceEnd' };
    case AUDIO_PACKET_TYPE.MULTICHANNEL_CONFIG:
      return { ...base, ...decodeMultichannelConfig(r) };
    default:
      throw new ProtocolError(`${WHAT}: AudioPacketType ${packetType} cannot start a track body`, { packetType });
  }
}

/** Decodes an extended tag whose first byte (SoundFormat ExHeader UB[4], AudioPacketType UB[4]) was read. */
export function decodeExAudioTag(r: ByteReader, first: number): AudioTag[] {
  const modEx = readModEx(r, first & 0x0f, AUDIO_PACKET_TYPE.MOD_EX);
  const extra: Extra = modEx.timestampOffsetNs === undefined ? {} : { timestampOffsetNs: modEx.timestampOffsetNs };
  const packetType = modEx.packetType;
  checkPacketType(packetType);
  if (packetType !== AUDIO_PACKET_TYPE.MULTITRACK) return [decodeBody(r, packetType, readAudioFourCc(r), 0, extra)];

  const typeByte = r.u8();
  const trackPacketType = typeByte & 0x0f;
  checkPacketType(trackPacketType);
  if (trackPacketType === AUDIO_PACKET_TYPE.MULTITRACK || trackPacketType === AUDIO_PACKET_TYPE.MOD_EX) {
    throw new ProtocolError(`${WHAT}: AudioPacketType ${trackPacketType} inside a multitrack packet`, { packetType: trackPacketType });
  }
  const tracks = readMultitrack(r, typeByte >> 4, readAudioFourCc, WHAT);
  return tracks.map((t) => decodeBody(new ByteReader(t.body, WHAT), trackPacketType, t.codec, t.trackId, extra));
}

function fourCcOf(tag: AudioTag): AudioCodec {
  if (!isAudioFourCc(tag.codec)) throw new UnsupportedError(`${WHAT}: codec ${tag.codec} has no FourCC`);
  return tag.codec;
}

function writeBody(w: ByteWriter, tag: AudioTag): void {
  if (tag.packet === 'sequenceStart') w.bytes(tag.config);
  else if (tag.packet === 'codedFrames') w.bytes(tag.data);
  else if (tag.packet === 'multichannelConfig') encodeMultichannelConfig(w, tag);
}

/** Encodes tags as one extended message; several tags or a non-zero trackId make it multitrack. */
export function encodeExAudioTags(w: ByteWriter, tags: readonly AudioTag[]): void {
  const first = tags[0];
  for (const t of tags) {
    if (!t.enhanced) throw new ProtocolError(`${WHAT}: a legacy tag cannot be multitrack or extended`);
    if (t.packet !== first.packet || t.timestampOffsetNs !== first.timestampOffsetNs) {
      throw new ProtocolError(`${WHAT}: tracks of one packet must share packet type and timestamp offset`);
    }
  }
  const multitrack = tags.length > 1 || first.trackId !== 0;
  const packetType = PACKET_TYPE_BY_NAME[first.packet];
  const headerPacketType = multitrack ? AUDIO_PACKET_TYPE.MULTITRACK : packetType;
  const offset = first.timestampOffsetNs;
  w.u8((SOUND_FORMAT.EX_HEADER << 4) | (offset === undefined ? headerPacketType : AUDIO_PACKET_TYPE.MOD_EX));
  if (offset !== undefined) writeTimestampOffsetNano(w, offset, headerPacketType);
  if (multitrack) {
    writeMultitrack(w, packetType, tags, fourCcOf, (t) => t.trackId, writeBody, WHAT);
    return;
  }
  w.fourCc(fourCcOf(first));
  writeBody(w, first);
}
