// buildVodManifests over hand-made recordings: exact text for one A/V period, discontinuities and
// period layout in HLS and DASH, audio-only and video-only, the target duration rule, a track
// missing from a period, and ProtocolError for invalid models (RFC 8216 §4.3; ISO/IEC 23009-1 §5.3).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../pipeline/core/errors.js';
import { attributeOf, parseMediaPlaylist, parseMultivariantPlaylist, type ParsedMediaPlaylist } from '../../../pipeline/inspect/hls-playlist-parser.js';
import { segmentUri, type TrackLetter } from '../../../pipeline/packaging/cmaf-packager.js';
import { buildVodManifests, type VodManifests, type VodModelRule } from '../../../pipeline/packaging/vod-manifests.js';
import type { VodPeriod, VodRecording, VodSegment, VodTrack } from '../../../pipeline/packaging/vod-model.js';
import { HlsPlaylistChecker } from '../../helpers/hls-playlist-checker.js';
import { parseXml, type XmlNode } from '../manifest/dash/xml-check.js';

/** 2026-01-01T00:00:00Z: output time is wall-clock time since the epoch, as the packager writes it. */
const T0_SEC = 1_767_225_600;
const VIDEO: VodTrack = { letter: 'v', kind: 'video', codecString: 'avc1.64001f', timescale: 90_000, init: 'init-v-0000000a.mp4', width: 1280, height: 720, frameRate: 30 };
const VIDEO_HD: VodTrack = { ...VIDEO, codecString: 'avc1.640028', init: 'init-v-0000000b.mp4', width: 1920, height: 1080, frameRate: 60 };
const AUDIO: VodTrack = { letter: 'a', kind: 'audio', codecString: 'mp4a.40.2', timescale: 48_000, init: 'init-a-0000000c.mp4', sampleRate: 48_000, channels: 2 };

/** Contiguous segments of one track from `startSec` (+ `offsetTicks`), with the given durations (ticks) and sizes. */
function run(track: VodTrack, startSec: number, durations: readonly number[], sizes: readonly number[], offsetTicks = 0): VodSegment[] {
  let t = startSec * track.timescale + offsetTicks;
  return durations.map((d, i) => {
    const s: VodSegment = { letter: track.letter, uri: segmentUri(track.letter, t), startTicks: t, durationTicks: d, bytes: sizes[i], programDateTimeMs: (t / track.timescale) * 1000 };
    t += d;
    return s;
  });
}

/** 5 s of 720p30 video (2 + 2 + 1 s) and AAC starting 20 ms later (94 + 94 + 46 frames of 1024). */
function avPeriod(startSec: number, video: VodTrack = VIDEO): VodPeriod {
  return {
    tracks: [video, AUDIO],
    segments: [
      ...run(video, startSec, [180_000, 180_000, 90_000], [500_000, 450_000, 125_000]),
      ...run(AUDIO, startSec, [96_256, 96_256, 47_104], [32_000, 32_100, 16_000], 960),
    ],
  };
}

const playlist = (m: VodManifests, letter: TrackLetter): string => m.mediaPlaylists.find((p) => p.letter === letter)?.text ?? '';

function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

interface ReadRep {
  readonly periodId: string;
  readonly periodStart: string;
  readonly rep: Readonly<Record<string, string>>;
  readonly template: Readonly<Record<string, string>>;
  readonly s: readonly Readonly<Record<string, string>>[];
}

/** Every Representation of the MPD with its Period, SegmentTemplate and S elements. */
function representations(mpd: XmlNode): ReadRep[] {
  return children(mpd, 'Period').flatMap((p) => children(p, 'AdaptationSet').flatMap((set) => children(set, 'Representation').map((r) => {
    const template = children(r, 'SegmentTemplate')[0];
    const s = children(children(template, 'SegmentTimeline')[0], 'S').map((e) => e.attributes);
    return { periodId: p.attributes.id, periodStart: p.attributes.start, rep: r.attributes, template: template.attributes, s };
  })));
}

/** A media playlist passes the RFC 8216 checker and is a finished VOD playlist. */
function checkedVod(text: string): ParsedMediaPlaylist {
  new HlsPlaylistChecker().check(text);
  const p = parseMediaPlaylist(text);
  expect(p.playlistType).toBe('VOD');
  expect(p.endList).toBe(true);
  expect(p.independentSegments).toBe(true);
  for (const s of p.segments) expect(Math.round(s.durationSec)).toBeLessThanOrEqual(p.targetDurationSec ?? 0);
  return p;
}

function ruleOf(fn: () => unknown): VodModelRule | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return (err as ProtocolError).context.rule as VodModelRule;
  }
  return undefined;
}

describe('buildVodManifests: one A/V period, exact text', () => {
  const m = buildVodManifests({ periods: [avPeriod(T0_SEC)] });

  it('writes the multivariant playlist: peak and average bit rates of video + audio, the live playlist’s attributes', () => {
    // Video peak: 500 000 B in 2 s = 2 000 000 b/s. Audio peak: its 2nd + 3rd segments (2.987 s,
    // the only set of 1 to 3 s holding the 0.981 s one) = 128 839.3 b/s. Averages: 1 720 000 +
    // 128 365.4 b/s.
    expect(m.multivariant).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="main",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="a.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=2128840,AVERAGE-BANDWIDTH=1848366,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO="aud"',
      'v.m3u8',
      '',
    ].join('\n'));
    expect(parseMultivariantPlaylist(m.multivariant).variants.map((v) => v.uri)).toEqual(['v.m3u8']);
  });

  it('writes one VOD media playlist per track, with its init section and wall-clock times', () => {
    expect(m.mediaPlaylists.map((p) => p.name)).toEqual(['v.m3u8', 'a.m3u8']);
    expect(playlist(m, 'v')).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-DISCONTINUITY-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MAP:URI="init-v-0000000a.mp4"',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z',
      '#EXTINF:2.000,',
      'v-159050304000000.m4s',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:02.000Z',
      '#EXTINF:2.000,',
      'v-159050304180000.m4s',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:04.000Z',
      '#EXTINF:1.000,',
      'v-159050304360000.m4s',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n'));
    expect(playlist(m, 'a')).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-DISCONTINUITY-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MAP:URI="init-a-0000000c.mp4"',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.020Z',
      '#EXTINF:2.005,',
      'a-84826828800960.m4s',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:02.025Z',
      '#EXTINF:2.005,',
      'a-84826828897216.m4s',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:04.031Z',
      '#EXTINF:0.981,',
      'a-84826828993472.m4s',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n'));
    for (const p of m.mediaPlaylists) checkedVod(p.text);
  });

  it('writes a static MPD with one Period whose offsets are its start in each timescale', () => {
    expect(m.mpd).toBe([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static" availabilityStartTime="1970-01-01T00:00:00.000Z" publishTime="2026-01-01T00:00:05.012Z" mediaPresentationDuration="PT5.012S" maxSegmentDuration="PT2.006S" minBufferTime="PT2S">',
      '  <Period id="p0" start="PT0S">',
      '    <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1" maxWidth="1280" maxHeight="720" maxFrameRate="30">',
      '      <Representation id="v" bandwidth="2000000" codecs="avc1.64001f" width="1280" height="720" frameRate="30">',
      '        <SegmentTemplate timescale="90000" presentationTimeOffset="159050304000000" initialization="init-v-0000000a.mp4" media="$RepresentationID$-$Time$.m4s">',
      '          <SegmentTimeline>',
      '            <S t="159050304000000" d="180000" r="1"/>',
      '            <S d="90000"/>',
      '          </SegmentTimeline>',
      '        </SegmentTemplate>',
      '      </Representation>',
      '    </AdaptationSet>',
      '    <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" segmentAlignment="true" startWithSAP="1">',
      '      <Representation id="a" bandwidth="128840" codecs="mp4a.40.2" audioSamplingRate="48000">',
      '        <AudioChannelConfiguration schemeIdUri="urn:mpeg:mpegB:cicp:ChannelConfiguration" value="2"/>',
      '        <SegmentTemplate timescale="48000" presentationTimeOffset="84826828800000" initialization="init-a-0000000c.mp4" media="$RepresentationID$-$Time$.m4s">',
      '          <SegmentTimeline>',
      '            <S t="84826828800960" d="96256" r="1"/>',
      '            <S d="47104"/>',
      '          </SegmentTimeline>',
      '        </SegmentTemplate>',
      '      </Representation>',
      '    </AdaptationSet>',
      '  </Period>',
      '</MPD>',
      '',
    ].join('\n'));
    parseXml(m.mpd);
  });

  it('reports the duration (the longest track, from the period start) and the tracks', () => {
    expect(m.durationSec).toBeCloseTo(5.012, 9);
    expect(m.tracks).toEqual({ codecs: ['avc1.64001f', 'mp4a.40.2'], width: 1280, height: 720 });
  });

  it('does not depend on how the tracks’ segments are interleaved', () => {
    const p = avPeriod(T0_SEC);
    const v = p.segments.filter((s) => s.letter === 'v');
    const a = p.segments.filter((s) => s.letter === 'a');
    const interleaved = [a[0], v[0], v[1], a[1], a[2], v[2]];
    expect(buildVodManifests({ periods: [{ tracks: [AUDIO, VIDEO], segments: interleaved }] })).toEqual(m);
  });

  it('skips empty periods without a discontinuity', () => {
    const empty: VodPeriod = { tracks: [VIDEO, AUDIO], segments: [] };
    expect(buildVodManifests({ periods: [{ tracks: [], segments: [] }, avPeriod(T0_SEC), empty] })).toEqual(m);
  });
});

describe('buildVodManifests: two periods (a reconnect 10 s later with a new video configuration)', () => {
  // Period 0: 5.012 s (its audio ends last). Period 1 starts 20 s after period 0 on the wall clock.
  const rec: VodRecording = { periods: [avPeriod(T0_SEC), avPeriod(T0_SEC + 20, VIDEO_HD)] };
  const m = buildVodManifests(rec);

  it('HLS: EXT-X-DISCONTINUITY, then the period’s EXT-X-MAP (even when unchanged) and its wall-clock time', () => {
    const v = checkedVod(playlist(m, 'v'));
    const a = checkedVod(playlist(m, 'a'));
    for (const [p, inits] of [[v, [VIDEO.init, VIDEO_HD.init]], [a, [AUDIO.init, AUDIO.init]]] as const) {
      expect(p.segments.map((s) => s.discontinuity)).toEqual([false, false, false, true, false, false]);
      expect(p.segments.map((s) => s.discontinuitySequence)).toEqual([0, 0, 0, 1, 1, 1]);
      expect(p.segments.map((s) => s.mapUri)).toEqual([inits[0], inits[0], inits[0], inits[1], inits[1], inits[1]]);
      expect(p.tags.filter((t) => t.name === 'EXT-X-MAP')).toHaveLength(2);
      expect(p.segments.every((s) => s.programDateTimeMs !== undefined)).toBe(true);
    }
    expect(v.segments[3].programDateTimeMs).toBe((T0_SEC + 20) * 1000);
    expect(a.segments[3].programDateTimeMs).toBe((T0_SEC + 20) * 1000 + 20);
    // The tags after the discontinuity come in RFC order: DISCONTINUITY, MAP, PROGRAM-DATE-TIME, EXTINF.
    expect(playlist(m, 'a')).toContain([
      '#EXT-X-DISCONTINUITY',
      '#EXT-X-MAP:URI="init-a-0000000c.mp4"',
      '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:20.020Z',
      '#EXTINF:2.005,',
    ].join('\n'));
    // The VOD holds the media only: 10 s of EXTINF per track, not the 20 s of wall clock between.
    expect(v.segments.reduce((sum, s) => sum + s.durationMs, 0)).toBe(10_000);
  });

  it('HLS: the variant lists every codec, the largest picture and the highest frame rate', () => {
    const mv = parseMultivariantPlaylist(m.multivariant);
    const inf = mv.variants[0].tag;
    expect(mv.variants.map((v) => v.uri)).toEqual(['v.m3u8']);
    expect(attributeOf(inf, 'CODECS')?.value).toBe('avc1.64001f,avc1.640028,mp4a.40.2');
    expect(attributeOf(inf, 'RESOLUTION')?.value).toBe('1920x1080');
    expect(attributeOf(inf, 'FRAME-RATE')?.value).toBe('60.000');
    expect(m.tracks).toEqual({ codecs: ['avc1.64001f', 'avc1.640028', 'mp4a.40.2'], width: 1920, height: 1080 });
  });

  it('DASH: one Period per recording period, starting where the previous one ends, each with its init and offsets', () => {
    const mpd = parseXml(m.mpd);
    expect(mpd.attributes.type).toBe('static');
    expect(mpd.attributes.mediaPresentationDuration).toBe('PT10.024S');
    expect(children(mpd, 'UTCTiming')).toHaveLength(0);
    expect(children(mpd, 'Period').map((p) => [p.attributes.id, p.attributes.start])).toEqual([['p0', 'PT0S'], ['p1', 'PT5.012S']]);
    const reps = representations(mpd);
    expect(reps.map((r) => [r.periodId, r.rep.id, r.rep.codecs, r.template.initialization])).toEqual([
      ['p0', 'v', 'avc1.64001f', VIDEO.init], ['p0', 'a', 'mp4a.40.2', AUDIO.init],
      ['p1', 'v', 'avc1.640028', VIDEO_HD.init], ['p1', 'a', 'mp4a.40.2', AUDIO.init],
    ]);
    // §5.3.9.2: presentationTimeOffset = the period's start (its earliest segment, the video's) in each timescale.
    expect(reps.map((r) => r.template.presentationTimeOffset)).toEqual([
      String(T0_SEC * 90_000), String(T0_SEC * 48_000), String((T0_SEC + 20) * 90_000), String((T0_SEC + 20) * 48_000),
    ]);
    expect(reps.map((r) => r.s[0].t)).toEqual([
      String(T0_SEC * 90_000), String(T0_SEC * 48_000 + 960), String((T0_SEC + 20) * 90_000), String((T0_SEC + 20) * 48_000 + 960),
    ]);
    expect(reps.every((r) => r.template.media === '$RepresentationID$-$Time$.m4s')).toBe(true);
    expect(m.durationSec).toBeCloseTo(10.024, 9);
  });
});

describe('buildVodManifests: one kind of track', () => {
  it('audio only: the variant is the audio playlist itself, with no rendition group or picture', () => {
    const m = buildVodManifests({ periods: [{ tracks: [AUDIO], segments: run(AUDIO, T0_SEC, [96_256, 47_104], [32_000, 16_000]) }] });
    expect(m.mediaPlaylists.map((p) => p.name)).toEqual(['a.m3u8']);
    const mv = parseMultivariantPlaylist(m.multivariant);
    expect(mv.media).toHaveLength(0);
    expect(mv.variants.map((v) => v.uri)).toEqual(['a.m3u8']);
    const inf = mv.variants[0].tag;
    expect(attributeOf(inf, 'CODECS')?.value).toBe('mp4a.40.2');
    for (const name of ['RESOLUTION', 'FRAME-RATE', 'AUDIO']) expect(attributeOf(inf, name)).toBeUndefined();
    checkedVod(playlist(m, 'a'));
    const reps = representations(parseXml(m.mpd));
    expect(reps.map((r) => r.rep.id)).toEqual(['a']);
    expect(m.tracks).toEqual({ codecs: ['mp4a.40.2'] });
    expect(m.durationSec).toBeCloseTo(143_360 / 48_000, 9);
  });

  it('video only: no audio group, no EXT-X-MEDIA, no audio AdaptationSet', () => {
    const m = buildVodManifests({ periods: [{ tracks: [VIDEO], segments: run(VIDEO, T0_SEC, [180_000, 90_000], [400_000, 100_000]) }] });
    expect(m.mediaPlaylists.map((p) => p.name)).toEqual(['v.m3u8']);
    const mv = parseMultivariantPlaylist(m.multivariant);
    expect(mv.media).toHaveLength(0);
    const inf = mv.variants[0].tag;
    expect(mv.variants[0].uri).toBe('v.m3u8');
    expect(attributeOf(inf, 'AUDIO')).toBeUndefined();
    expect(attributeOf(inf, 'CODECS')?.value).toBe('avc1.64001f');
    expect(attributeOf(inf, 'BANDWIDTH')?.value).toBe('1600000');
    expect(attributeOf(inf, 'AVERAGE-BANDWIDTH')?.value).toBe('1333334');
    checkedVod(playlist(m, 'v'));
    expect(representations(parseXml(m.mpd)).map((r) => r.rep.id)).toEqual(['v']);
    expect(m.durationSec).toBe(3);
  });
});

describe('buildVodManifests: EXT-X-TARGETDURATION (RFC 8216 §4.3.3.1)', () => {
  const targetOf = (durations: readonly number[]): number => {
    const m = buildVodManifests({ periods: [{ tracks: [VIDEO], segments: run(VIDEO, T0_SEC, durations, durations.map(() => 1000)) }] });
    const p = checkedVod(playlist(m, 'v'));
    return p.targetDurationSec ?? 0;
  };

  it('is the largest EXTINF rounded to the nearest integer, as written (ms)', () => {
    expect(targetOf([180_000, 224_910])).toBe(2); // 2.499 s rounds to 2
    expect(targetOf([180_000, 225_000])).toBe(3); // 2.500 s rounds up to 3
    expect(targetOf([558_000, 90_000])).toBe(6); // 6.2 s
    expect(targetOf([9_000])).toBe(1); // never below 1
  });

  it('is shared by every media playlist of the recording', () => {
    const m = buildVodManifests({
      periods: [{ tracks: [VIDEO, AUDIO], segments: [...run(VIDEO, T0_SEC, [180_000], [1000]), ...run(AUDIO, T0_SEC, [192_000], [1000])] }],
    });
    expect(m.mediaPlaylists.map((p) => parseMediaPlaylist(p.text).targetDurationSec)).toEqual([4, 4]);
  });
});

describe('buildVodManifests: a track missing from a period is left out there', () => {
  const rec: VodRecording = {
    periods: [
      avPeriod(T0_SEC),
      { tracks: [AUDIO], segments: run(AUDIO, T0_SEC + 20, [96_256], [30_000]) },
      avPeriod(T0_SEC + 40),
    ],
  };
  const m = buildVodManifests(rec);

  it('HLS: its playlist goes on after one discontinuity; the other playlist has one per period', () => {
    expect(checkedVod(playlist(m, 'v')).segments.map((s) => s.discontinuitySequence)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(checkedVod(playlist(m, 'a')).segments.map((s) => s.discontinuitySequence)).toEqual([0, 0, 0, 1, 2, 2, 2]);
  });

  it('DASH: the Period has no AdaptationSet for it, and the Periods stay end to end', () => {
    const mpd = parseXml(m.mpd);
    const reps = representations(mpd);
    expect(reps.map((r) => `${r.periodId}:${r.rep.id}`)).toEqual(['p0:v', 'p0:a', 'p1:a', 'p2:v', 'p2:a']);
    // Period 1 starts at its audio: its offset is that audio's first tick, exactly.
    expect(reps[2].template.presentationTimeOffset).toBe(String((T0_SEC + 20) * 48_000));
    expect(children(mpd, 'Period').map((p) => p.attributes.start)).toEqual(['PT0S', 'PT5.012S', 'PT7.017S']);
  });
});

describe('buildVodManifests: the period start is its earliest segment over tracks', () => {
  it('when audio starts first, the video offset is that instant in 90 kHz, rounded down', () => {
    // Audio 1 tick (1/48000 s) before the video: 1.875 ticks at 90 kHz, so the offset is 1 tick below
    // the video's first tick (floor) and no video segment starts before its Period (§5.3.9.2).
    const segments = [...run(VIDEO, T0_SEC, [180_000], [1000]), ...run(AUDIO, T0_SEC, [96_000], [1000], -1)];
    const m = buildVodManifests({ periods: [{ tracks: [VIDEO, AUDIO], segments }] });
    const reps = representations(parseXml(m.mpd));
    expect(reps.map((r) => r.template.presentationTimeOffset)).toEqual([String(T0_SEC * 90_000 - 2), String(T0_SEC * 48_000 - 1)]);
    expect(m.durationSec).toBeCloseTo(2 + 1 / 48_000, 9);
  });
});

describe('buildVodManifests: invalid models throw ProtocolError with a rule', () => {
  const ok = avPeriod(T0_SEC);
  const v = ok.segments.filter((s) => s.letter === 'v');
  const a = ok.segments.filter((s) => s.letter === 'a');
  const cases: readonly [string, VodRecording, VodModelRule][] = [
    ['no periods', { periods: [] }, 'no-segments'],
    ['periods without segments', { periods: [{ tracks: [VIDEO, AUDIO], segments: [] }, { tracks: [], segments: [] }] }, 'no-segments'],
    ['a segment of a track its period lacks', { periods: [{ tracks: [VIDEO], segments: [...v, a[0]] }] }, 'unknown-track'],
    ['a segment of a track only another period has', { periods: [{ tracks: [VIDEO], segments: v }, { tracks: [VIDEO], segments: run(AUDIO, T0_SEC + 20, [96_256], [1]) }] }, 'unknown-track'],
    ['the same start twice', { periods: [{ tracks: [VIDEO], segments: [v[0], v[0]] }] }, 'segment-order'],
    ['a segment before the previous one', { periods: [{ tracks: [VIDEO], segments: [v[1], v[0]] }] }, 'segment-order'],
    ['overlapping segments', { periods: [{ tracks: [VIDEO], segments: [v[0], { ...v[1], startTicks: v[1].startTicks - 1, uri: segmentUri('v', v[1].startTicks - 1) }] }] }, 'segment-order'],
    ['a zero duration', { periods: [{ tracks: [VIDEO], segments: [{ ...v[0], durationTicks: 0 }] }] }, 'segment-timing'],
    ['a fractional start', { periods: [{ tracks: [VIDEO], segments: [{ ...v[0], startTicks: 0.5, uri: 'v-0.5.m4s' }] }] }, 'segment-timing'],
    ['a negative size', { periods: [{ tracks: [VIDEO], segments: [{ ...v[0], bytes: -1 }] }] }, 'segment-timing'],
    ['a file not named by its start', { periods: [{ tracks: [VIDEO], segments: [{ ...v[0], uri: 'v-1.m4s' }] }] }, 'segment-name'],
    ['two video tracks in a period', { periods: [{ tracks: [VIDEO, VIDEO_HD], segments: v }] }, 'duplicate-track'],
    ['a track whose letter is not its kind', { periods: [{ tracks: [{ ...AUDIO, letter: 'v' }], segments: v }] }, 'track-kind'],
  ];
  for (const [name, rec, rule] of cases) {
    it(name, () => {
      expect(() => buildVodManifests(rec)).toThrow(ProtocolError);
      expect(ruleOf(() => buildVodManifests(rec))).toBe(rule);
    });
  }

  it('a later period may start before an earlier one ends (each period is its own timeline)', () => {
    expect(() => buildVodManifests({ periods: [{ tracks: [VIDEO], segments: v }, { tracks: [VIDEO], segments: v }] })).not.toThrow();
  });
});
