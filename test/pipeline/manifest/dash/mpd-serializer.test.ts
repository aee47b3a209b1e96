// serializeMpd: well-formed XML that states exactly its model, and ProtocolError for bad models (ISO/IEC 23009-1 §5.3).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, UnsupportedError } from '../../../../pipeline/core/errors.js';
import { DASH_PROFILE_CMAF, DASH_PROFILE_ISOFF_LIVE, serializeMpd, type DashRepresentation, type LiveMpd } from '../../../../pipeline/manifest/dash/index.js';
import { expectMpdMatchesModel } from './mpd-expectations.js';
import { readMpd } from './mpd-reader.js';

const VIDEO: DashRepresentation = {
  id: 'v', contentType: 'video', mimeType: 'video/mp4', codecs: 'avc1.64001f', bandwidth: 2_000_000, timescale: 90_000,
  initialization: 'init-v-abc.mp4', media: '$RepresentationID$-$Time$.m4s', segments: [{ t: 0, d: 180_000 }, { t: 180_000, d: 180_000 }],
  width: 1280, height: 720, frameRate: 30,
};
const AUDIO: DashRepresentation = {
  id: 'a', contentType: 'audio', mimeType: 'audio/mp4', codecs: 'mp4a.40.2', bandwidth: 128_000, timescale: 48_000,
  initialization: 'init-a-abc.mp4', media: 'a-$Time$.m4s', segments: [{ t: 0, d: 96_256 }], audioSamplingRate: 48_000, audioChannels: 2,
};
const BASE: LiveMpd = {
  type: 'dynamic', availabilityStartTimeMs: Date.UTC(2024, 4, 1, 12), publishTimeMs: Date.UTC(2024, 4, 1, 12, 0, 4),
  minimumUpdatePeriodSec: 2, timeShiftBufferDepthSec: 30, suggestedPresentationDelaySec: 6, minBufferTimeSec: 4,
  maxSegmentDurationSec: 2.1, utcTimingUrl: 'https://o.example/time', periods: [{ id: '0', startSec: 0, representations: [VIDEO, AUDIO] }],
};

/** Text with XML specials, non-ASCII and astral characters, but no characters XML forbids. */
const xmlText = fc.string({ unit: fc.constantFrom('a', 'Z', '9', '&', '<', '>', '"', "'", ' ', '\t', '\n', 'é', '€', '😀', '/', '?', '='), minLength: 1, maxLength: 20 });
const segmentsArb = fc.array(fc.record({ gap: fc.constantFrom(0, 0, 0, 5000), d: fc.integer({ min: 1, max: 180_000 }) }), { minLength: 1, maxLength: 20 })
  .chain((parts) => fc.nat({ max: 2 ** 36 }).map((start) => {
    let t = start;
    return parts.map((p) => ({ t: (t += p.gap + p.d) - p.d, d: p.d }));
  }));

const mpdArb: fc.Arbitrary<LiveMpd> = fc.record({
  type: fc.constantFrom('dynamic' as const, 'static' as const),
  url: xmlText, codecs: xmlText, init: xmlText, media: xmlText,
  v: segmentsArb, a: segmentsArb, pto: fc.option(fc.nat({ max: 1_000_000 }), { nil: undefined }),
  frameRate: fc.constantFrom(24, 25, 30, 50, 60, 23.976, 29.97, 59.94, 12.5),
  channels: fc.integer({ min: 1, max: 8 }), publishMs: fc.nat({ max: 10 ** 9 }),
  tsbd: fc.integer({ min: 0, max: 7200_000 }), ended: fc.integer({ min: 1, max: 10 ** 8 }), video: fc.boolean(), audio: fc.boolean(),
}).map((r) => {
  const reps: DashRepresentation[] = [];
  const init = `${r.init.replace(/\$/g, '')}.mp4`;
  const media = `${r.media.replace(/\$/g, '')}$Time$`;
  if (r.video || !r.audio) reps.push({ ...VIDEO, codecs: `c${r.codecs}`, initialization: init, media, segments: r.v, frameRate: r.frameRate, presentationTimeOffset: r.pto });
  if (r.audio) reps.push({ ...AUDIO, segments: r.a, audioChannels: r.channels, initialization: init, media: `$RepresentationID$/${media}` });
  return {
    ...BASE, type: r.type, utcTimingUrl: `u${r.url}`, publishTimeMs: BASE.availabilityStartTimeMs + r.publishMs, timeShiftBufferDepthSec: r.tsbd / 1000,
    maxSegmentDurationSec: 4, periods: [{ id: `p${r.publishMs}`, startSec: 0, representations: reps }],
    ...(r.type === 'static' ? { mediaPresentationDurationSec: r.ended / 1000 } : {}),
  };
});

describe('serializeMpd', () => {
  it('writes well-formed XML that reads back as exactly its model, whatever the strings and timelines', () => {
    fc.assert(fc.property(mpdArb, (mpd) => {
      const xml = serializeMpd(mpd);
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<MPD ')).toBe(true);
      expect(xml.endsWith('</MPD>\n')).toBe(true);
      expectMpdMatchesModel(readMpd(xml), mpd);
      expect(serializeMpd(mpd)).toBe(xml);
    }), { numRuns: 300 });
  });

  it('escapes attribute values', () => {
    const xml = serializeMpd({ ...BASE, utcTimingUrl: 'https://o.example/t?a=1&b="2"<\'3\'>' });
    expect(xml).toContain('value="https://o.example/t?a=1&amp;b=&quot;2&quot;&lt;&apos;3&apos;&gt;"');
  });

  it('lists video before audio whatever the input order, and writes CICP channel configuration', () => {
    const read = readMpd(serializeMpd({ ...BASE, periods: [{ id: '0', startSec: 0, representations: [{ ...AUDIO, audioChannels: 8 }, VIDEO] }] }));
    expect(read.periods[0].adaptationSets.map((s) => s.attributes.contentType)).toEqual(['video', 'audio']);
    expect(read.periods[0].adaptationSets[1].representations[0].channelConfiguration?.value).toBe('12');
  });

  it('writes the profiles given, and both end attributes for a dynamic MPD with a known end', () => {
    const profiles = `${DASH_PROFILE_ISOFF_LIVE},${DASH_PROFILE_CMAF}`;
    const read = readMpd(serializeMpd({ ...BASE, profiles, mediaPresentationDurationSec: 3.5 }));
    expect(read.attributes.profiles).toBe(profiles);
    expect(read.attributes.mediaPresentationDuration).toBe('PT3.5S');
    expect(read.attributes.minimumUpdatePeriod).toBe('PT2S');
  });

  const period = (representations: DashRepresentation[]): LiveMpd => ({ ...BASE, periods: [{ id: '0', startSec: 0, representations }] });
  const BAD: readonly [string, LiveMpd][] = [
    ['a static MPD without duration', { ...BASE, type: 'static' }],
    ['no Period', { ...BASE, periods: [] }],
    ['a Representation without segments', period([{ ...VIDEO, segments: [] }])],
    ['two video Representations', period([VIDEO, VIDEO])],
    ['a mimeType that contradicts contentType', period([{ ...VIDEO, mimeType: 'audio/mp4' }])],
    ['an audio Representation with id v', period([{ ...AUDIO, id: 'v' }])],
    ['video attributes on audio', period([{ ...AUDIO, width: 100 }])],
    ['a fractional bandwidth', period([{ ...VIDEO, bandwidth: 1.5 }])],
    ['a zero timescale', period([{ ...VIDEO, timescale: 0 }])],
    ['a media template without $Time$', period([{ ...VIDEO, media: 'v-$Number$.m4s' }])],
    ['$Time$ in the initialization', period([{ ...VIDEO, initialization: 'init-$Time$.mp4' }])],
    ['an unpaired $', period([{ ...VIDEO, media: 'v-$Time$-$.m4s' }])],
    ['overlapping segments', period([{ ...VIDEO, segments: [{ t: 0, d: 100 }, { t: 50, d: 100 }] }])],
    ['a segment longer than maxSegmentDuration', period([{ ...VIDEO, segments: [{ t: 0, d: 189_001 }] }])],
    ['duplicate Period ids', { ...BASE, periods: [BASE.periods[0], { ...BASE.periods[0], startSec: 10 }] }],
    ['Periods out of order', { ...BASE, periods: [{ ...BASE.periods[0], startSec: 10 }, { ...BASE.periods[0], id: '1', startSec: 5 }] }],
    ['a duration ending before the last Period', { ...BASE, type: 'static', mediaPresentationDurationSec: 5, periods: [{ ...BASE.periods[0], startSec: 5 }] }],
    ['an empty UTCTiming URL', { ...BASE, utcTimingUrl: '' }],
    ['a control character in a URL', { ...BASE, utcTimingUrl: 'https://o.example/\u0000' }],
    ['a lone surrogate in codecs', period([{ ...VIDEO, codecs: 'avc1\uD800' }])],
    ['a negative time-shift buffer', { ...BASE, timeShiftBufferDepthSec: -1 }],
    ['an unrepresentable date', { ...BASE, publishTimeMs: 1e16 }],
  ];
  for (const [what, mpd] of BAD) {
    it(`rejects ${what} with ProtocolError`, () => {
      expect(() => serializeMpd(mpd)).toThrow(ProtocolError);
    });
  }

  it('rejects more than 8 audio channels as unsupported', () => {
    expect(() => serializeMpd(period([{ ...AUDIO, audioChannels: 9 }]))).toThrow(UnsupportedError);
  });
});
