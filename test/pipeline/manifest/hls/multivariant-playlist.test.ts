// The multivariant playlist serializer: exact text, what it refuses, and a parse of what it writes (RFC 8216 §4.3.4).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { attributeOf, parseMultivariantPlaylist } from '../../../../pipeline/inspect/hls-playlist-parser.js';
import { serializeMultivariantPlaylist, type MultivariantPlaylist } from '../../../../pipeline/manifest/hls/index.js';
import { AUDIO_ONLY, AV, MULTIVARIANT_CASES, VIDEO_ONLY } from './multivariant-cases.js';

describe('serializeMultivariantPlaylist', () => {
  it('writes EXT-X-MEDIA for the audio rendition and one STREAM-INF with both codecs and the audio group', () => {
    expect(serializeMultivariantPlaylist(AV)).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="main",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="ll-a.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=2692000,AVERAGE-BANDWIDTH=2450000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO="aud"',
      'll-v.m3u8',
      '',
    ].join('\n'));
  });

  it('audio only: one STREAM-INF pointing at the audio playlist, CODECS of the audio alone, no EXT-X-MEDIA', () => {
    expect(serializeMultivariantPlaylist(AUDIO_ONLY)).toBe('#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=132000,CODECS="mp4a.40.2"\nll-a.m3u8\n');
  });

  it('video only: FRAME-RATE with three decimals, no AUDIO', () => {
    expect(serializeMultivariantPlaylist(VIDEO_ONLY)).toContain('#EXT-X-STREAM-INF:BANDWIDTH=2560000,CODECS="hvc1.1.6.L93.B0",RESOLUTION=1920x1080,FRAME-RATE=60.000\nll-v.m3u8\n');
  });

  it('takes an explicit version and omits EXT-X-INDEPENDENT-SEGMENTS when asked', () => {
    const text = serializeMultivariantPlaylist({ ...AUDIO_ONLY, version: 3, independentSegments: false });
    expect(text).toBe('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=132000,CODECS="mp4a.40.2"\nll-a.m3u8\n');
  });

  for (const c of MULTIVARIANT_CASES) {
    it(`${c.file}: the parser reads back every attribute written`, () => {
      const parsed = parseMultivariantPlaylist(c.text());
      expect(parsed.version).toBe(c.playlist.version ?? 6);
      expect(parsed.independentSegments).toBe(true);
      expect(parsed.media).toHaveLength(c.playlist.audio?.length ?? 0);
      expect(parsed.variants.map((v) => v.uri)).toEqual(c.playlist.variants.map((v) => v.uri));
      parsed.variants.forEach(({ tag }, i) => {
        const v = c.playlist.variants[i];
        expect(Number(attributeOf(tag, 'BANDWIDTH')?.value)).toBe(v.bandwidth);
        expect(attributeOf(tag, 'CODECS')?.value).toBe(v.codecs);
        expect(attributeOf(tag, 'AUDIO')?.value).toBe(v.audioGroup);
      });
    });
  }

  const bad: readonly [string, MultivariantPlaylist][] = [
    ['no variant', { ...AV, variants: [] }],
    ['an AUDIO group without EXT-X-MEDIA', { ...AV, audio: [] }],
    ['DEFAULT=YES without AUTOSELECT=YES', { ...AV, audio: [{ ...AV.audio![0], autoselect: false }] }],
    ['two DEFAULT renditions in a group', { ...AV, audio: [AV.audio![0], { ...AV.audio![0], name: 'second', uri: 'b.m3u8' }] }],
    ['two renditions with one NAME', { ...AV, audio: [AV.audio![0], { ...AV.audio![0], default: false, uri: 'b.m3u8' }] }],
    ['a CODECS with a space', { ...AV, variants: [{ ...AV.variants[0], codecs: 'avc1.64001f, mp4a.40.2' }] }],
    ['a quote in CODECS', { ...AV, variants: [{ ...AV.variants[0], codecs: 'avc1"' }] }],
    ['a fractional BANDWIDTH', { ...AV, variants: [{ ...AV.variants[0], bandwidth: 1.5 }] }],
    ['a zero-width RESOLUTION', { ...AV, variants: [{ ...AV.variants[0], resolution: { width: 0, height: 720 } }] }],
    ['a NaN FRAME-RATE', { ...AV, variants: [{ ...AV.variants[0], frameRate: Number.NaN }] }],
    ['an unsafe variant URI', { ...AV, variants: [{ ...AV.variants[0], uri: '#x.m3u8' }] }],
    ['a bad LANGUAGE', { ...AV, audio: [{ ...AV.audio![0], language: 'english language' }] }],
    ['zero CHANNELS', { ...AV, audio: [{ ...AV.audio![0], channels: 0 }] }],
    ['version 0', { ...AV, version: 0 }],
  ];
  for (const [name, playlist] of bad) {
    it(`refuses ${name} with a ProtocolError`, () => {
      expect(() => serializeMultivariantPlaylist(playlist)).toThrow(ProtocolError);
    });
  }
});

describe('parseMultivariantPlaylist', () => {
  it('rejects media segment tags, a STREAM-INF without URI, a URI without STREAM-INF and missing required attributes', () => {
    const ok = serializeMultivariantPlaylist(AV);
    expect(() => parseMultivariantPlaylist(`${ok}#EXTINF:2.000,\nseg.m4s\n`)).toThrow(/media playlist tag/);
    expect(() => parseMultivariantPlaylist(ok.replace('\nll-v.m3u8\n', '\n'))).toThrow(/followed by a URI/);
    expect(() => parseMultivariantPlaylist(`${ok}extra.m3u8\n`)).toThrow(/without EXT-X-STREAM-INF/);
    expect(() => parseMultivariantPlaylist(ok.replace('BANDWIDTH=2692000,', ''))).toThrow(/lacks BANDWIDTH/);
    expect(() => parseMultivariantPlaylist(ok.replace('RESOLUTION=1280x720', 'RESOLUTION=wide'))).toThrow(/decimal-resolution/);
  });
});
