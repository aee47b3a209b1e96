// encodeInitSegment, encodeStyp, fmp4CodecString and BoxWriter: fields checked with the test box
// reader (sample entry bytes, esds descriptors, sample rates, channel counts) and the errors.
import { describe, expect, it } from 'vitest';
import { LimitError, ProtocolError, UnsupportedError } from '../../../pipeline/core/errors.js';
import { BoxWriter, encodeInitSegment, encodeStyp, fmp4CodecString } from '../../../pipeline/fmp4/index.js';
import type { AudioTrackInfo, TrackInfo, VideoTrackInfo } from '../../../pipeline/ingest/media-types.js';
import { audioTrackFromAsc } from '../../../pipeline/ingest/track-builder.js';
import { findBox, readBoxes } from './box-reader.js';
import { AAC, mp3Track, VIDEO } from './fmp4-media.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const STSD = ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd'];

function u32At(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);
}

/** The mp4a body fields after SampleEntry: channelcount, samplesize, samplerate (16.16). */
function mp4aFields(track: AudioTrackInfo): { channels: number; sampleSize: number; sampleRate: number; esds: Uint8Array } {
  const mp4a = findBox(encodeInitSegment(track), [...STSD, 'mp4a']).body;
  const v = new DataView(mp4a.buffer, mp4a.byteOffset, mp4a.byteLength);
  return { channels: v.getUint16(16), sampleSize: v.getUint16(18), sampleRate: v.getUint32(24), esds: readBoxes(mp4a.subarray(28))[0].body };
}

describe('encodeInitSegment', () => {
  it('puts the avcC in the avc1 entry byte for byte', () => {
    const avcC = findBox(encodeInitSegment(VIDEO), [...STSD, 'avc1', 'avcC']);
    expect(avcC.body).toEqual(VIDEO.config.avcC);
  });

  it('writes the AAC esds: ES_Descriptor, DecoderConfigDescriptor (0x40, audio), the ASC, SLConfig predefined 2', () => {
    expect(hex(mp4aFields(AAC).esds)).toBe(
      '00000000' + // version, flags
        '0319' + '0000' + '00' + // ES_Descriptor, 25 bytes: ES_ID 0, flags 0
        '0411' + '40' + '15' + '000000' + '00000000' + '00000000' + // DecoderConfigDescriptor, 17 bytes
        '0502' + '1210' + // DecoderSpecificInfo: the AudioSpecificConfig
        '060102', // SLConfigDescriptor predefined 2
    );
  });

  it('encodes descriptor sizes of 128 bytes and more in several 7-bit groups', () => {
    const asc = new Uint8Array(300);
    asc.set([0x12, 0x10]);
    const esds = mp4aFields({ ...AAC, config: { codec: 'mp4a', asc, adtsObjectType: 2, coreSampleRate: 44_100, channelConfig: 2 } }).esds;
    // DecoderSpecificInfo 300 = 0x82 0x2c; DecoderConfigDescriptor 13 + 303 = 316 = 0x82 0x3c;
    // ES_Descriptor 3 + 319 + 3 = 325 = 0x82 0x45.
    expect(hex(esds.subarray(4, 7))).toBe('038245');
    expect(hex(esds.subarray(10, 13))).toBe('04823c');
    expect(hex(esds.subarray(26, 29))).toBe('05822c');
    expect(esds.length).toBe(4 + 3 + 325);
  });

  it.each([
    ['AAC-LC 48 kHz 5.1', Uint8Array.of(0x11, 0xb0), 6, 48_000 * 65536],
    ['AAC-LC 8 kHz mono', Uint8Array.of(0x15, 0x88), 1, 8_000 * 65536],
    // 96 kHz does not fit 16.16: 0, as ffmpeg writes; decoders use the ASC's rate.
    ['AAC-LC 96 kHz stereo', Uint8Array.of(0x10, 0x10), 2, 0],
  ])('%s: channelcount and samplerate', (_name, asc, channels, sampleRate) => {
    const f = mp4aFields(audioTrackFromAsc(asc));
    expect([f.channels, f.sampleSize, f.sampleRate >>> 0]).toEqual([channels, 16, sampleRate]);
  });

  it('MP3: objectTypeIndication 0x6B at MPEG-1 rates, 0x69 below 32 kHz, no DecoderSpecificInfo', () => {
    expect(hex(mp4aFields(mp3Track(48_000)).esds)).toBe('00000000' + '0315' + '000000' + '040d' + '6b' + '15' + '000000' + '00000000' + '00000000' + '060102');
    expect(mp4aFields(mp3Track(22_050)).esds[11]).toBe(0x69);
  });

  it('tkhd: flags 7, track id, volume for audio only, 16.16 width and height for video only', () => {
    const video = findBox(encodeInitSegment(VIDEO), ['moov', 'trak', 'tkhd']).body;
    const audio = findBox(encodeInitSegment(AAC), ['moov', 'trak', 'tkhd']).body;
    expect(u32At(video, 0)).toBe(7);
    expect([u32At(video, 12), video[36], u32At(video, 76), u32At(video, 80)]).toEqual([1, 0, 320 * 65536, 180 * 65536]);
    expect([u32At(audio, 12), video.length, audio[36], audio[37], u32At(audio, 76), u32At(audio, 80)]).toEqual([2, 84, 1, 0, 0, 0]);
  });

  it('mvhd next_track_ID is the track id + 1; trex names the track', () => {
    const track: VideoTrackInfo = { ...VIDEO, id: 7 };
    const init = encodeInitSegment(track);
    expect(u32At(findBox(init, ['moov', 'mvhd']).body, 96)).toBe(8);
    expect(hex(findBox(init, ['moov', 'mvex', 'trex']).body)).toBe('00000000' + '00000007' + '00000001' + '00000000'.repeat(3));
  });

  const bad: [string, TrackInfo, typeof ProtocolError | typeof UnsupportedError][] = [
    ['track id 0', { ...VIDEO, id: 0 }, ProtocolError],
    ['timescale 0', { ...AAC, timescale: 0 }, ProtocolError],
    ['width 0', { ...VIDEO, width: 0 }, ProtocolError],
    ['height 65536', { ...VIDEO, height: 65_536 }, ProtocolError],
    ['an avcC of the wrong version', { ...VIDEO, config: { ...VIDEO.config, avcC: Uint8Array.of(0, 0x64, 0, 0x0d, 0xff, 0xe0) } }, ProtocolError],
    ['a truncated avcC', { ...VIDEO, config: { ...VIDEO.config, avcC: Uint8Array.of(1, 0x64) } }, ProtocolError],
    ['0 channels', { ...AAC, channels: 0 }, ProtocolError],
    ['an unknown audio codec', { ...AAC, config: { codec: 'Opus' } } as unknown as TrackInfo, UnsupportedError],
    ['an unknown video codec', { ...VIDEO, config: { ...VIDEO.config, codec: 'hvc1' } } as unknown as TrackInfo, UnsupportedError],
  ];
  it.each(bad)('%s is rejected', (_name, track, error) => {
    expect(() => encodeInitSegment(track)).toThrow(error);
  });
});

describe('encodeStyp', () => {
  it("is styp 'msdh' 0 ['msdh', 'cmfs']", () => {
    expect(Buffer.from(encodeStyp()).toString('latin1')).toBe('\0\0\0\x18stypmsdh\0\0\0\0msdhcmfs');
  });
});

describe('fmp4CodecString', () => {
  it.each([
    ['H.264', VIDEO, 'avc1.64000d'],
    ['AAC', AAC, 'mp4a.40.2'],
    ['MP3 44.1 kHz', mp3Track(44_100), 'mp4a.6B'],
    ['MP3 24 kHz', mp3Track(24_000), 'mp4a.69'],
  ])('%s', (_name, track, expected) => {
    expect(fmp4CodecString(track)).toBe(expected);
  });
});

describe('BoxWriter', () => {
  it('patches nested box sizes and writes FullBox version and flags', () => {
    const w = new BoxWriter(4);
    w.box('outr', () => w.fullBox('innr', 1, 0x020304, () => w.u16(0xabcd)));
    expect(hex(w.finish())).toBe('00000016' + '6f757472' + '0000000e' + '696e6e72' + '01020304' + 'abcd');
  });

  it('writes 64-bit values from numbers exactly and refuses unsafe ones', () => {
    const w = new BoxWriter();
    w.u64Number(2 ** 53 - 1).u64Number(2 ** 32).u64Number(0xffff_ffff);
    expect(hex(w.finish())).toBe('001fffffffffffff' + '0000000100000000' + '00000000ffffffff');
    expect(() => new BoxWriter().u64Number(2 ** 53)).toThrow(ProtocolError);
    expect(() => new BoxWriter().u64Number(-1)).toThrow(ProtocolError);
  });

  it('refuses a box header past 32-bit sizes', () => {
    expect(() => new BoxWriter().boxHeader('mdat', 2 ** 32)).toThrow(LimitError);
  });
});
