// ADTS headers: exact bytes, a round trip through parseAdtsHeader, errors, and byte-for-byte agreement with FFmpeg's ADTS muxer.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LimitError, ProtocolError, TruncatedError, UnsupportedError } from '../../../../pipeline/core/errors.js';
import type { AacConfig } from '../../../../pipeline/ingest/media-types.js';
import { adtsHeader, MAX_ADTS_FRAME_LENGTH, parseAdtsHeader } from '../../../../pipeline/codecs/aac/adts.js';
import { aacConfigFromAsc } from '../../../../pipeline/codecs/aac/audio-specific-config.js';
import { SAMPLING_FREQUENCIES } from '../../../../pipeline/codecs/aac/sampling-frequency.js';
import { killAll, run } from '../../../helpers/processes.js';
import { readFlv } from '../../../helpers/fixtures.js';
import { FIXTURE_H264_AAC, HAVE_FFMPEG, mediaFromRecords } from '../codec-media.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const config = (adtsObjectType: number, coreSampleRate: number, channelConfig: number): AacConfig => ({ codec: 'mp4a', asc: new Uint8Array(0), adtsObjectType, coreSampleRate, channelConfig });

describe('adtsHeader', () => {
  const CASES = [
    // syncword FFF, ID 0, layer 0, protection_absent 1 | profile 1 (LC), index 4, channels 2 | length 107 | fullness 7FF, one block
    { name: 'LC 44.1 kHz stereo, 100-byte frame', config: config(2, 44100, 2), raw: 100, bytes: 'fff150800d7ffc' },
    { name: 'LC 48 kHz mono, empty frame', config: config(2, 48000, 1), raw: 0, bytes: 'fff14c4000fffc' },
    { name: 'Main 96 kHz 7.1 (configuration 7)', config: config(1, 96000, 7), raw: 1000, bytes: 'fff101c07dfffc' },
    { name: 'LTP 7350 Hz, 5.1, the largest frame', config: config(4, 7350, 6), raw: MAX_ADTS_FRAME_LENGTH - 7, bytes: 'fff1f183fffffc' },
  ];
  it.each(CASES)('$name', ({ config: c, raw, bytes }) => {
    expect(toHex(adtsHeader(c, raw))).toBe(bytes);
  });

  it('parseAdtsHeader reads back every field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.constantFrom(...SAMPLING_FREQUENCIES), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: MAX_ADTS_FRAME_LENGTH - 7 }), (aot, rate, ch, raw) => {
          const header = adtsHeader(config(aot, rate, ch), raw);
          expect(header).toHaveLength(7);
          expect(parseAdtsHeader(header)).toEqual({
            mpegVersion: 4, protectionAbsent: true, objectType: aot, samplingFrequencyIndex: SAMPLING_FREQUENCIES.indexOf(rate), sampleRate: rate,
            channelConfig: ch, frameLength: raw + 7, headerLength: 7, bufferFullness: 0x7ff, rawDataBlocks: 1,
          });
        },
      ),
    );
  });

  const ERRORS = [
    { name: 'channel configuration 0 (PCE)', c: config(2, 44100, 0), raw: 10, error: UnsupportedError, message: /channel configuration 0 \(channels defined by a program config element\)/ },
    { name: 'channel configuration 8', c: config(2, 44100, 8), raw: 10, error: UnsupportedError, message: /channel configuration 8/ },
    { name: 'a rate without an index (44 kHz)', c: config(2, 44000, 2), raw: 10, error: UnsupportedError, message: /44000 Hz has no sampling_frequency_index/ },
    { name: 'object type 5 (SBR) instead of the core type', c: config(5, 44100, 2), raw: 10, error: UnsupportedError, message: /object type 5/ },
    { name: 'object type 0', c: config(0, 44100, 2), raw: 10, error: UnsupportedError, message: /object type 0/ },
    { name: 'frame over 8191 bytes', c: config(2, 44100, 2), raw: MAX_ADTS_FRAME_LENGTH - 6, error: LimitError, message: /8192 bytes exceeds/ },
    { name: 'negative raw length', c: config(2, 44100, 2), raw: -1, error: ProtocolError, message: /raw frame length -1/ },
  ];
  it.each(ERRORS)('$name', ({ c, raw, error, message }) => {
    expect(() => adtsHeader(c, raw)).toThrow(error);
    expect(() => adtsHeader(c, raw)).toThrow(message);
  });
});

describe('parseAdtsHeader', () => {
  it('reads an MPEG-2 header with CRC (protection_absent 0): 9-byte header', () => {
    expect(parseAdtsHeader(Uint8Array.from(Buffer.from('fff8508012dffc0000', 'hex')))).toMatchObject({ mpegVersion: 2, protectionAbsent: false, headerLength: 9, frameLength: 150 });
  });
  const ERRORS = [
    { name: 'no syncword', bytes: 'ffe150800d7ffc', error: ProtocolError },
    { name: 'layer 1', bytes: 'fff350800d7ffc', error: ProtocolError },
    { name: 'reserved sampling index 13', bytes: 'fff174800d7ffc', error: ProtocolError },
    { name: 'frame length shorter than the header', bytes: 'fff15080007ffc', error: ProtocolError },
    { name: 'six bytes', bytes: 'fff150800d7f', error: TruncatedError },
  ];
  it.each(ERRORS)('$name', ({ bytes, error }) => {
    expect(() => parseAdtsHeader(Uint8Array.from(Buffer.from(bytes, 'hex')))).toThrow(error);
  });
});

/** Splits an ADTS stream into (header, payload) pairs using the parsed frame lengths. */
function adtsFrames(stream: Uint8Array): { header: Uint8Array; payload: Uint8Array }[] {
  const frames: { header: Uint8Array; payload: Uint8Array }[] = [];
  for (let at = 0; at < stream.length; ) {
    const h = parseAdtsHeader(stream.subarray(at));
    frames.push({ header: stream.subarray(at, at + h.headerLength), payload: stream.subarray(at + h.headerLength, at + h.frameLength) });
    at += h.frameLength;
  }
  return frames;
}

const SOURCES = [
  { name: 'the repo fixture (LC 44.1 kHz stereo)', input: ['-i', FIXTURE_H264_AAC, '-vn'], encode: ['-c:a', 'copy'] },
  { name: 'LC 48 kHz mono', input: ['-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-t', '0.5'], encode: ['-c:a', 'aac', '-ac', '1'] },
  { name: 'Main 8 kHz stereo', input: ['-f', 'lavfi', '-i', 'sine=sample_rate=8000', '-t', '0.5'], encode: ['-c:a', 'aac', '-ac', '2', '-profile:a', 'aac_main'] },
  { name: 'LC 88.2 kHz 5.1', input: ['-f', 'lavfi', '-i', 'sine=sample_rate=88200', '-t', '0.3'], encode: ['-c:a', 'aac', '-af', 'aformat=channel_layouts=5.1'] },
];

describe.skipIf(!HAVE_FFMPEG)('ADTS headers match FFmpeg\'s -f adts byte for byte', () => {
  afterAll(() => killAll());

  it.each(SOURCES)('$name: every frame', async ({ input, encode }) => {
    // Encode once to FLV, then copy that to ADTS: both views of the same frames.
    const flv = await run('ffmpeg', ['-v', 'error', ...input, ...encode, '-f', 'flv', 'pipe:1']);
    expect(flv.stderr).toBe('');
    const media = mediaFromRecords(readFlv(flv.stdout));
    const adts = await run('ffmpeg', ['-v', 'error', '-f', 'flv', '-i', 'pipe:0', '-c:a', 'copy', '-f', 'adts', 'pipe:1'], { stdin: flv.stdout });
    expect(adts.stderr).toBe('');
    const frames = adtsFrames(adts.stdout);
    expect(frames).toHaveLength(media.audio.length);
    const aac = aacConfigFromAsc(media.asc!);
    frames.forEach(({ header, payload }, i) => {
      expect(toHex(adtsHeader(aac, media.audio[i].length))).toBe(toHex(header));
      expect(Buffer.compare(payload, media.audio[i])).toBe(0);
    });
  });

  it('a PCE-defined layout (quad) is refused with a clear UnsupportedError', async () => {
    const flv = await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-t', '0.2', '-c:a', 'aac', '-af', 'aformat=channel_layouts=quad', '-f', 'flv', 'pipe:1']);
    const { asc } = mediaFromRecords(readFlv(flv.stdout));
    expect(() => adtsHeader(aacConfigFromAsc(asc!), 100)).toThrow(/channel configuration 0 \(channels defined by a program config element\) is not supported in MPEG-TS output/);
  });
});
