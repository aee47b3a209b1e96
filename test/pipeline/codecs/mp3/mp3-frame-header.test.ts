// MPEG audio frame headers: MPEG-1/2/2.5, Layers I–III, padding and CRC, errors; LAME- and TwoLAME-made streams walked frame by frame.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ProtocolError, TruncatedError, UnsupportedError } from '../../../../pipeline/core/errors.js';
import { parseMp3FrameHeader, type Mp3FrameHeader } from '../../../../pipeline/codecs/mp3/mp3-frame-header.js';
import { killAll, run } from '../../../helpers/processes.js';
import { HAVE_FFMPEG } from '../codec-media.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

const CASES: { name: string; header: string; want: Partial<Mp3FrameHeader> }[] = [
  { name: 'MPEG-1 Layer III 128 kbit/s 44.1 kHz stereo', header: 'fffb9000', want: { version: 1, layer: 3, bitrateKbps: 128, sampleRate: 44100, channels: 2, samplesPerFrame: 1152, frameLength: 417, padding: false, crcProtected: false } },
  { name: 'the same, padded', header: 'fffb9200', want: { frameLength: 418, padding: true } },
  { name: 'with CRC (protection_bit 0)', header: 'fffa9000', want: { frameLength: 417, crcProtected: true } },
  { name: 'MPEG-1 Layer III 320 kbit/s 48 kHz mono', header: 'fffbe4c0', want: { version: 1, layer: 3, bitrateKbps: 320, sampleRate: 48000, channels: 1, samplesPerFrame: 1152, frameLength: 960 } },
  { name: 'MPEG-1 Layer III 32 kHz 32 kbit/s joint stereo', header: 'fffb1840', want: { sampleRate: 32000, bitrateKbps: 32, channels: 2, frameLength: 144 } },
  { name: 'MPEG-2 Layer III 64 kbit/s 22.05 kHz (576 samples)', header: 'fff38000', want: { version: 2, layer: 3, bitrateKbps: 64, sampleRate: 22050, samplesPerFrame: 576, frameLength: 208 } },
  { name: 'MPEG-2 Layer III 160 kbit/s 24 kHz padded', header: 'fff3e600', want: { version: 2, bitrateKbps: 160, sampleRate: 24000, frameLength: 481 } },
  { name: 'MPEG-2.5 Layer III 8 kbit/s 8 kHz mono', header: 'ffe318c0', want: { version: 2.5, layer: 3, bitrateKbps: 8, sampleRate: 8000, channels: 1, samplesPerFrame: 576, frameLength: 72 } },
  { name: 'MPEG-2.5 Layer III 32 kbit/s 11.025 kHz', header: 'ffe34000', want: { version: 2.5, bitrateKbps: 32, sampleRate: 11025, frameLength: 208 } },
  { name: 'MPEG-1 Layer II 192 kbit/s 48 kHz', header: 'fffda400', want: { version: 1, layer: 2, bitrateKbps: 192, sampleRate: 48000, samplesPerFrame: 1152, frameLength: 576 } },
  { name: 'MPEG-2 Layer II 8 kbit/s 16 kHz', header: 'fff51800', want: { version: 2, layer: 2, bitrateKbps: 8, sampleRate: 16000, samplesPerFrame: 1152, frameLength: 72 } },
  { name: 'MPEG-1 Layer I 384 kbit/s 32 kHz padded (4-byte slots)', header: 'ffffca00', want: { version: 1, layer: 1, bitrateKbps: 384, sampleRate: 32000, samplesPerFrame: 384, frameLength: 580 } },
  { name: 'MPEG-2 Layer I 256 kbit/s 22.05 kHz', header: 'fff7e000', want: { version: 2, layer: 1, bitrateKbps: 256, sampleRate: 22050, samplesPerFrame: 384, frameLength: 556 } },
];

describe('parseMp3FrameHeader', () => {
  it.each(CASES)('$name', ({ header, want }) => {
    expect(parseMp3FrameHeader(hex(header))).toMatchObject(want);
  });

  it('reads only the first four bytes', () => {
    expect(parseMp3FrameHeader(hex('fffb9000 ffffffff'))).toMatchObject({ frameLength: 417 });
  });

  const ERRORS = [
    { name: 'free-format bitrate', header: 'fffb0000', error: UnsupportedError, message: /free-format bitrate/ },
    { name: 'bitrate index 15', header: 'fffbf000', error: ProtocolError, message: /bitrate_index 15/ },
    { name: 'reserved sampling frequency', header: 'fffb9c00', error: ProtocolError, message: /sampling_frequency 11 is reserved/ },
    { name: 'reserved version 01', header: 'ffeb9000', error: ProtocolError, message: /version ID 01/ },
    { name: 'reserved layer 00', header: 'fff99000', error: ProtocolError, message: /layer 00/ },
    { name: 'no frame sync', header: 'fefb9000', error: ProtocolError, message: /no frame sync/ },
    { name: 'three bytes', header: 'fffb90', error: TruncatedError, message: /MPEG audio frame header/ },
  ];
  it.each(ERRORS)('$name', ({ header, error, message }) => {
    expect(() => parseMp3FrameHeader(hex(header))).toThrow(error);
    expect(() => parseMp3FrameHeader(hex(header))).toThrow(message);
  });
});

/** Walks a headerless MPEG audio stream frame by frame; the frame lengths must tile the stream exactly. */
function walk(stream: Uint8Array): Mp3FrameHeader[] {
  const frames: Mp3FrameHeader[] = [];
  for (let at = 0; at < stream.length; ) {
    const h = parseMp3FrameHeader(stream.subarray(at));
    frames.push(h);
    at += h.frameLength;
    if (at > stream.length) throw new Error(`last frame runs ${at - stream.length} bytes past the end`);
  }
  return frames;
}

const ENCODES = [
  { name: 'LAME MPEG-1 44.1 kHz stereo CBR 128k', codec: 'libmp3lame', rate: 44100, ac: 2, args: ['-b:a', '128k'], want: { version: 1, layer: 3, samplesPerFrame: 1152 } },
  { name: 'LAME MPEG-1 48 kHz mono CBR 64k', codec: 'libmp3lame', rate: 48000, ac: 1, args: ['-b:a', '64k'], want: { version: 1, channels: 1 } },
  { name: 'LAME MPEG-1 32 kHz stereo VBR', codec: 'libmp3lame', rate: 32000, ac: 2, args: ['-q:a', '4'], want: { version: 1 } },
  { name: 'LAME MPEG-2 22.05 kHz stereo (576 samples)', codec: 'libmp3lame', rate: 22050, ac: 2, args: ['-b:a', '64k'], want: { version: 2, samplesPerFrame: 576 } },
  { name: 'LAME MPEG-2 16 kHz mono VBR', codec: 'libmp3lame', rate: 16000, ac: 1, args: ['-q:a', '6'], want: { version: 2 } },
  { name: 'LAME MPEG-2.5 11.025 kHz', codec: 'libmp3lame', rate: 11025, ac: 1, args: ['-b:a', '16k'], want: { version: 2.5, samplesPerFrame: 576 } },
  { name: 'LAME MPEG-2.5 8 kHz', codec: 'libmp3lame', rate: 8000, ac: 2, args: ['-b:a', '16k'], want: { version: 2.5 } },
  { name: 'TwoLAME MPEG-1 Layer II 48 kHz', codec: 'libtwolame', rate: 48000, ac: 2, args: ['-b:a', '192k'], want: { version: 1, layer: 2, samplesPerFrame: 1152 } },
  { name: 'FFmpeg MPEG-2 Layer II 24 kHz', codec: 'mp2', rate: 24000, ac: 1, args: ['-b:a', '32k'], want: { version: 2, layer: 2 } },
];

/** FFmpeg's encoder list (LAME and TwoLAME are optional in FFmpeg builds). */
const ENCODERS = HAVE_FFMPEG ? execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' }) : '';

describe.skipIf(!HAVE_FFMPEG)('MPEG audio streams written by FFmpeg walk frame by frame', () => {
  afterAll(() => killAll());

  it.for(ENCODES)('$name', async ({ codec, rate, ac, args, want }, ctx) => {
    if (!ENCODERS.includes(` ${codec} `)) ctx.skip(`this FFmpeg has no ${codec} encoder`);
    const muxer = codec === 'libmp3lame' ? ['-f', 'mp3', '-id3v2_version', '0', '-write_xing', '0'] : ['-f', 'mp2'];
    const enc = await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}`, '-t', '1', '-ac', String(ac), '-c:a', codec, ...args, ...muxer, 'pipe:1']);
    expect(enc.stderr).toBe('');
    const frames = walk(enc.stdout);
    expect(frames.length).toBeGreaterThan(5);
    for (const f of frames) expect(f).toMatchObject({ ...want, sampleRate: rate, channels: ac });
    // Samples tile one second of input (the encoder pads the end).
    const samples = frames.reduce((n, f) => n + f.samplesPerFrame, 0);
    expect(samples).toBeGreaterThanOrEqual(rate);
    expect(samples).toBeLessThan(rate + 4 * frames[0].samplesPerFrame);
  });
});
