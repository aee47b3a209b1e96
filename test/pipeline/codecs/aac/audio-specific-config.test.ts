// AudioSpecificConfig: LC, Main, LTP, explicit and implicit SBR/PS, 960-sample frames, escapes, explicit rates, PCE layouts; FFmpeg-made configs vs ffprobe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProtocolError, TruncatedError, UnsupportedError } from '../../../../pipeline/core/errors.js';
import { aacConfigFromAsc, parseAudioSpecificConfig } from '../../../../pipeline/codecs/aac/audio-specific-config.js';
import { killAll, run } from '../../../helpers/processes.js';
import { readFlv } from '../../../helpers/fixtures.js';
import { ffprobeStream, fixtureMedia, HAVE_FFMPEG, mediaFromRecords, tempDir } from '../codec-media.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

/** Program config elements as FFmpeg 5.1's AAC encoder writes them (48 kHz; comment "Lavc59.37.100"; then the 0x2b7 sync extension, SBR absent). */
const PCE_QUAD = '118004c4040021100d4c61766335392e33372e313030 56e500';
const PCE_2_1 = '118004c4010020000d4c61766335392e33372e313030 56e500';
const PCE_HEXAGONAL = '118004c808002008840d4c61766335392e33372e313030 56e500';
const PCE_OCTAGONAL = '118004c848002008c8200d4c61766335392e33372e313030 56e500';

const LC = { audioObjectType: 2, coreObjectType: 2, frameLengthSamples: 1024, outputFrameLengthSamples: 1024, sbr: false, ps: false, codecString: 'mp4a.40.2' };
const CASES = [
  { name: 'AAC-LC 44.1 kHz stereo (12 10)', asc: '1210', want: { ...LC, samplingFrequency: 44100, channelConfiguration: 2, channels: 2, outputSampleRate: 44100 } },
  { name: 'the fixture: LC 44.1 kHz stereo + sync extension with SBR absent (FFmpeg)', asc: '1210 56e500', want: { ...LC, samplingFrequency: 44100, channels: 2, outputSampleRate: 44100 } },
  { name: 'AAC-LC 48 kHz mono', asc: '1188', want: { ...LC, samplingFrequency: 48000, channelConfiguration: 1, channels: 1, outputSampleRate: 48000 } },
  { name: 'AAC Main (FFmpeg -profile:a aac_main)', asc: '0a10', want: { audioObjectType: 1, coreObjectType: 1, samplingFrequency: 44100, codecString: 'mp4a.40.1' } },
  { name: 'AAC LTP', asc: '2210', want: { audioObjectType: 4, coreObjectType: 4, codecString: 'mp4a.40.4' } },
  {
    name: 'HE-AAC explicit (AOT 5): 22.05 kHz core, 44.1 kHz out',
    asc: '2b920800',
    want: { audioObjectType: 5, coreObjectType: 2, samplingFrequency: 22050, channels: 2, sbr: true, ps: false, outputSampleRate: 44100, frameLengthSamples: 1024, outputFrameLengthSamples: 2048, codecString: 'mp4a.40.5' },
  },
  {
    name: 'HE-AACv2 explicit (AOT 29): 24 kHz mono core, 48 kHz stereo out',
    asc: 'eb098800',
    want: { audioObjectType: 29, coreObjectType: 2, samplingFrequency: 24000, channelConfiguration: 1, channels: 2, sbr: true, ps: true, outputSampleRate: 48000, outputFrameLengthSamples: 2048, codecString: 'mp4a.40.29' },
  },
  {
    name: 'HE-AAC explicit, downsampled SBR (output rate = core rate)',
    asc: '29918800',
    want: { audioObjectType: 5, samplingFrequency: 48000, sbr: true, outputSampleRate: 48000, outputFrameLengthSamples: 1024, codecString: 'mp4a.40.5' },
  },
  {
    name: 'implicit SBR: LC 22.05 kHz + sync extension 0x2b7 (SBR present, 44.1 kHz)',
    asc: '1390 56e5a0',
    want: { audioObjectType: 2, coreObjectType: 2, samplingFrequency: 22050, sbr: true, ps: false, outputSampleRate: 44100, outputFrameLengthSamples: 2048, codecString: 'mp4a.40.5' },
  },
  {
    name: 'implicit SBR and PS: sync extensions 0x2b7 then 0x548',
    asc: '1308 56e59d 4880',
    want: { audioObjectType: 2, samplingFrequency: 24000, channelConfiguration: 1, channels: 2, sbr: true, ps: true, outputSampleRate: 48000, codecString: 'mp4a.40.29' },
  },
  { name: '960-sample frames (frameLengthFlag)', asc: '1194', want: { ...LC, samplingFrequency: 48000, frameLengthSamples: 960, outputFrameLengthSamples: 960 } },
  { name: 'explicit sampling frequency (index 15): 44100', asc: '1780562210', want: { ...LC, samplingFrequency: 44100, channels: 2, outputSampleRate: 44100 } },
  { name: 'explicit sampling frequency (index 15): 44000, not in the table', asc: '178055f010', want: { samplingFrequency: 44000, outputSampleRate: 44000 } },
  { name: 'channel configuration 7: eight channels', asc: '11b8', want: { channelConfiguration: 7, channels: 8 } },
  { name: 'dependsOnCoreCoder with coreCoderDelay', asc: '12122690', want: { ...LC, samplingFrequency: 44100 } },
  { name: 'ER AAC-LC (AOT 17), epConfig 0', asc: '8a1100', want: { audioObjectType: 17, coreObjectType: 17, codecString: 'mp4a.40.17' } },
  { name: 'PCE: quad (FFmpeg)', asc: PCE_QUAD, want: { ...LC, samplingFrequency: 48000, channelConfiguration: 0, channels: 4 } },
  { name: 'PCE: 2.1 (FFmpeg)', asc: PCE_2_1, want: { channelConfiguration: 0, channels: 3, sbr: false } },
  { name: 'PCE: hexagonal (FFmpeg)', asc: PCE_HEXAGONAL, want: { channelConfiguration: 0, channels: 6, sbr: false } },
  { name: 'PCE: octagonal (FFmpeg)', asc: PCE_OCTAGONAL, want: { channelConfiguration: 0, channels: 8, sbr: false } },
  {
    name: 'PCE then an implicit SBR sync extension (the PCE is skipped exactly, comment and alignment included)',
    asc: PCE_QUAD.replace('56e500', '56e580'),
    want: { channels: 4, sbr: true, outputSampleRate: 96000, codecString: 'mp4a.40.5' },
  },
];

describe('parseAudioSpecificConfig', () => {
  it.each(CASES)('$name', ({ asc, want }) => {
    expect(parseAudioSpecificConfig(hex(asc))).toMatchObject(want);
  });

  const ERRORS = [
    { name: 'reserved sampling frequency index 13', asc: '1690', error: ProtocolError, message: /sampling frequency index 13 is reserved/ },
    { name: 'explicit sampling frequency 0', asc: '1780000010', error: ProtocolError, message: /explicit sampling frequency is 0/ },
    { name: 'reserved channel configuration 9', asc: '11c8', error: ProtocolError, message: /channelConfiguration 9 is reserved/ },
    { name: 'escaped object type 39 (ER AAC-ELD)', asc: 'f8e62000', error: UnsupportedError, message: /audio object type 39/ },
    { name: 'escaped object type 42 (USAC)', asc: 'f9464000', error: UnsupportedError, message: /audio object type 42/ },
    { name: 'explicit SBR over an escaped core type 39', asc: '2b11fc7000', error: UnsupportedError, message: /audio object type 39/ },
    { name: 'SBR output rate three times the core rate', asc: '2c118800', error: ProtocolError, message: /neither once nor twice/ },
    { name: 'ER AAC-LC with epConfig 2', asc: '8a1108', error: UnsupportedError, message: /epConfig 2/ },
    { name: 'empty', asc: '', error: TruncatedError, message: /AudioSpecificConfig/ },
    { name: 'one byte', asc: '12', error: TruncatedError, message: /AudioSpecificConfig/ },
    { name: 'PCE cut inside its comment', asc: PCE_QUAD.slice(0, 24), error: TruncatedError, message: /AudioSpecificConfig/ },
  ];
  it.each(ERRORS)('$name', ({ asc, error, message }) => {
    expect(() => parseAudioSpecificConfig(hex(asc))).toThrow(error);
    expect(() => parseAudioSpecificConfig(hex(asc))).toThrow(message);
  });
});

describe('aacConfigFromAsc', () => {
  it('LC: object type 2 at the coded rate, the ASC kept as given', () => {
    const asc = hex('1210');
    expect(aacConfigFromAsc(asc)).toEqual({ codec: 'mp4a', asc, adtsObjectType: 2, coreSampleRate: 44100, channelConfig: 2 });
  });
  it('explicit HE-AACv2: ADTS gets the core type (LC) and the core rate', () => {
    expect(aacConfigFromAsc(hex('eb098800'))).toMatchObject({ adtsObjectType: 2, coreSampleRate: 24000, channelConfig: 1 });
  });
  it('implicit SBR: the core rate, not the output rate', () => {
    expect(aacConfigFromAsc(hex('139056e5a0'))).toMatchObject({ adtsObjectType: 2, coreSampleRate: 22050, channelConfig: 2 });
  });
});

/** FFmpeg AAC encodes (native encoder) whose ASC is compared with ffprobe's reading of the same FLV. */
const ENCODES = [
  { name: 'LC 48 kHz mono', args: ['-ar', '48000', '-ac', '1'], want: { coreObjectType: 2, channelConfiguration: 1 } },
  { name: 'LC 8 kHz stereo', args: ['-ar', '8000', '-ac', '2'], want: { coreObjectType: 2, channelConfiguration: 2 } },
  { name: 'LC 96 kHz 5.1', args: ['-ar', '96000', '-af', 'aformat=channel_layouts=5.1'], want: { coreObjectType: 2, channelConfiguration: 6 } },
  { name: 'Main 44.1 kHz stereo', args: ['-ar', '44100', '-ac', '2', '-profile:a', 'aac_main'], want: { coreObjectType: 1, codecString: 'mp4a.40.1' } },
  { name: 'MPEG-2 LC profile (MPEG-4 ASC, object type 2)', args: ['-ar', '22050', '-ac', '2', '-profile:a', 'mpeg2_aac_low'], want: { coreObjectType: 2 } },
  { name: 'PCE quad 48 kHz', args: ['-ar', '48000', '-af', 'aformat=channel_layouts=quad'], want: { channelConfiguration: 0 } },
  { name: 'PCE 7.1(wide) 48 kHz', args: ['-ar', '48000', '-af', 'aformat=channel_layouts=7.1(wide)'], want: { channelConfiguration: 0 } },
  { name: 'forced PCE for stereo', args: ['-ar', '32000', '-ac', '2', '-aac_pce', '1'], want: { channelConfiguration: 0 } },
];

describe.skipIf(!HAVE_FFMPEG)('ASCs written by FFmpeg, compared with ffprobe', () => {
  const tmp = HAVE_FFMPEG ? tempDir('asc') : undefined;
  afterAll(() => {
    killAll();
    tmp?.remove();
  });

  it.each(ENCODES)('$name', async ({ name, args, want }) => {
    const file = join(tmp!.dir, `${name.replace(/\W+/g, '-')}.flv`);
    const enc = await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '0.3', '-c:a', 'aac', ...args, '-f', 'flv', '-y', file]);
    expect(enc.stderr).toBe('');
    const { asc } = mediaFromRecords(readFlv(new Uint8Array(readFileSync(file))));
    const info = parseAudioSpecificConfig(asc!);
    const probe = await ffprobeStream(file, 'a');
    expect(info).toMatchObject(want);
    expect({ rate: info.outputSampleRate, channels: info.channels }).toEqual({ rate: Number(probe.sample_rate), channels: probe.channels });
  });

  it('the repo fixture: AAC-LC 44.1 kHz stereo', async () => {
    const { asc } = await fixtureMedia();
    expect(parseAudioSpecificConfig(asc!)).toMatchObject({ ...LC, samplingFrequency: 44100, channels: 2, outputSampleRate: 44100 });
  });
});
