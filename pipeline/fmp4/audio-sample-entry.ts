// The audio sample entry of an init segment: 'mp4a' (ISO/IEC 14496-12 §12.2.3 AudioSampleEntry,
// ISO/IEC 14496-14 §3.1.2 MP4AudioSampleEntry) with an esds for AAC or MP3.
import { ProtocolError } from '../core/errors.js';
import type { AudioTrackInfo } from '../ingest/media-types.js';
import type { BoxWriter } from './box-writer.js';
import { OBJECT_TYPE_MPEG1_AUDIO, OBJECT_TYPE_MPEG2_AUDIO, OBJECT_TYPE_MPEG4_AUDIO, writeEsds } from './es-descriptor.js';

/** samplesize: 16, the template value (§12.2.3.2). */
const SAMPLE_SIZE_BITS = 16;
/** The largest rate the 16.16 samplerate field holds. */
const MAX_FIXED_SAMPLE_RATE = 0xffff;
/** MPEG-1 Layer III rates are 32, 44.1 and 48 kHz; lower ones are MPEG-2 (LSF) audio. */
const MIN_MPEG1_AUDIO_RATE = 32_000;

/** The objectTypeIndication the esds carries for this track. */
export function audioObjectTypeIndication(track: AudioTrackInfo): number {
  if (track.config.codec === 'mp4a') return OBJECT_TYPE_MPEG4_AUDIO;
  return track.sampleRate >= MIN_MPEG1_AUDIO_RATE ? OBJECT_TYPE_MPEG1_AUDIO : OBJECT_TYPE_MPEG2_AUDIO;
}

export function writeAudioSampleEntry(w: BoxWriter, track: AudioTrackInfo): void {
  const { channels, sampleRate } = track;
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff) throw new ProtocolError('audio track needs a channel count from 1 to 65535', { channels });
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new ProtocolError('audio track needs a positive integer sample rate', { sampleRate });
  w.box('mp4a', () => {
    w.zeros(6).u16(1); // SampleEntry: reserved, data_reference_index 1 (the one dref entry)
    w.zeros(8); // reserved
    w.u16(channels).u16(SAMPLE_SIZE_BITS);
    w.u16(0).u16(0); // pre_defined, reserved
    // samplerate is 16.16 fixed point. Rates above 65535 (88.2/96 kHz AAC) do not fit; like
    // ffmpeg, write 0 rather than AudioSampleEntryV1 + srat (§12.2.3), which readers that take
    // entry version 1 for QuickTime's SoundDescriptionV1 misparse. AAC decoders take the rate
    // from the AudioSpecificConfig anyway.
    w.u32(sampleRate <= MAX_FIXED_SAMPLE_RATE ? sampleRate * 0x1_0000 : 0);
    writeEsds(w, audioObjectTypeIndication(track), track.config.codec === 'mp4a' ? track.config.asc : undefined);
  });
}
