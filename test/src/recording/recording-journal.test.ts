// The recording journal (journal.jsonl): journalLine/parseJournal round trip, how segment lines
// group into periods (a period line; a reconnect's `disc` segment, once per reconnect), and that
// parseJournal reads anything a crash or a hand edit may leave behind without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VodTrack } from '../../../pipeline/packaging/vod-model.js';
import { journalLine, parseJournal, vodTrackOf, type JournalLine } from '../../../src/recording/recording-journal.js';

const VIDEO: VodTrack = { letter: 'v', kind: 'video', codecString: 'avc1.64001f', timescale: 90_000, init: 'init-v-0123abcd.mp4', width: 1280, height: 720, frameRate: 30 };
const AUDIO: VodTrack = { letter: 'a', kind: 'audio', codecString: 'mp4a.40.2', timescale: 48_000, init: 'init-a-89abcdef.mp4', sampleRate: 48_000, channels: 2 };
const PERIOD: JournalLine = { t: 'period', tracks: [VIDEO, AUDIO] };

/** A segment line of track `letter` starting at `start` ticks (its uri follows the packager's naming). */
function seg(letter: 'v' | 'a', start: number, disc = false): Extract<JournalLine, { t: 'segment' }> {
  const duration = letter === 'v' ? 180_000 : 96_000;
  return { t: 'segment', letter, uri: `${letter}-${start}.m4s`, start, duration, bytes: 1000 + start % 997, pdt: 1_767_225_600_000 + start, disc };
}

const text = (lines: readonly JournalLine[]): string => lines.map(journalLine).join('');

/** The uris of each period's segments. */
const urisByPeriod = (t: string): string[][] => parseJournal(t).recording.periods.map((p) => p.segments.map((s) => s.uri));

describe('journalLine and parseJournal', () => {
  it('writes one JSON line per event, ending in a newline', () => {
    for (const line of [PERIOD, seg('v', 0), { t: 'end', atMs: 5 } as const]) {
      const out = journalLine(line);
      expect(out.endsWith('\n'), 'a journal line ends with \\n').toBe(true);
      expect(out.slice(0, -1).includes('\n'), 'a journal line holds no other newline').toBe(false);
      expect(JSON.parse(out)).toEqual(line);
    }
  });

  it('round-trips a recording: tracks, segments with every field, and the end', () => {
    const v0 = seg('v', 0);
    const a0 = seg('a', 0);
    const v1 = seg('v', 180_000);
    const parsed = parseJournal(text([PERIOD, v0, a0, v1, { t: 'end', atMs: 1_767_225_604_000 }]));
    expect(parsed.badLines).toBe(0);
    expect(parsed.endedAtMs).toBe(1_767_225_604_000);
    expect(parsed.recording.periods).toHaveLength(1);
    const [period] = parsed.recording.periods;
    expect(period.tracks).toEqual([VIDEO, AUDIO]);
    expect(period.segments).toEqual([v0, a0, v1].map((s) => ({
      letter: s.letter, uri: s.uri, startTicks: s.start, durationTicks: s.duration, bytes: s.bytes, programDateTimeMs: s.pdt,
    })));
  });

  it('has no end time when the recording never ended (crash)', () => {
    const parsed = parseJournal(text([PERIOD, seg('v', 0)]));
    expect(parsed.endedAtMs).toBeUndefined();
    expect(parsed.badLines).toBe(0);
  });

  it('reads an empty journal as a recording without periods', () => {
    expect(parseJournal('')).toEqual({ recording: { periods: [] }, endedAtMs: undefined, badLines: 0 });
    expect(parseJournal('\n\n  \n')).toEqual({ recording: { periods: [] }, endedAtMs: undefined, badLines: 0 });
  });

  it('vodTrackOf keeps what the manifests need of a TrackInfo', () => {
    const v = vodTrackOf({ id: 1, kind: 'video', codec: 'h264', codecString: 'avc1.64001f', timescale: 90_000, width: 640, height: 360, frameRate: 25 } as never, 'v', 'init-v-00000000.mp4');
    expect(v).toEqual({ letter: 'v', kind: 'video', codecString: 'avc1.64001f', timescale: 90_000, init: 'init-v-00000000.mp4', width: 640, height: 360, frameRate: 25 });
    const noRate = vodTrackOf({ id: 1, kind: 'video', codecString: 'avc1.64001f', timescale: 90_000, width: 640, height: 360 } as never, 'v', 'i.mp4');
    expect('frameRate' in noRate, 'an unknown frame rate is left out, not undefined').toBe(false);
    const a = vodTrackOf({ id: 2, kind: 'audio', codecString: 'mp4a.40.2', timescale: 44_100, sampleRate: 44_100, channels: 1 } as never, 'a', 'init-a-00000000.mp4');
    expect(a).toEqual({ letter: 'a', kind: 'audio', codecString: 'mp4a.40.2', timescale: 44_100, init: 'init-a-00000000.mp4', sampleRate: 44_100, channels: 1 });
  });
});

describe('periods', () => {
  it('a period line starts a period (a codec change), even without a reconnect', () => {
    const changed: VodTrack = { ...VIDEO, codecString: 'avc1.640028', init: 'init-v-fedcba98.mp4' };
    const journal = text([PERIOD, seg('v', 0), seg('a', 0), { t: 'period', tracks: [changed, AUDIO] }, seg('v', 180_000), seg('a', 96_000)]);
    expect(parseJournal(journal).recording.periods.map((p) => p.tracks[0].init)).toEqual(['init-v-0123abcd.mp4', 'init-v-fedcba98.mp4']);
    expect(urisByPeriod(journal)).toEqual([['v-0.m4s', 'a-0.m4s'], ['v-180000.m4s', 'a-96000.m4s']]);
  });

  it('a disc segment starts a new period once: the other track\'s first disc segment joins it', () => {
    const t = text([
      PERIOD, seg('v', 0), seg('a', 0),
      seg('v', 900_000, true), seg('a', 480_000, true), seg('v', 1_080_000), seg('a', 576_000),
      seg('a', 960_000, true), seg('v', 1_800_000, true),
    ]);
    expect(urisByPeriod(t)).toEqual([
      ['v-0.m4s', 'a-0.m4s'],
      ['v-900000.m4s', 'a-480000.m4s', 'v-1080000.m4s', 'a-576000.m4s'],
      ['a-960000.m4s', 'v-1800000.m4s'],
    ]);
    const periods = parseJournal(t).recording.periods;
    expect(periods.every((p) => p.tracks === periods[0].tracks), 'a reconnect keeps the tracks of its period').toBe(true);
  });

  it('a disc segment right after a period line (reconnect with new codecs) does not add an empty period', () => {
    const t = text([PERIOD, seg('v', 0), seg('a', 0), { t: 'period', tracks: [VIDEO, AUDIO] }, seg('v', 900_000, true), seg('a', 480_000, true)]);
    expect(urisByPeriod(t)).toEqual([['v-0.m4s', 'a-0.m4s'], ['v-900000.m4s', 'a-480000.m4s']]);
  });

  it('a disc flag on the first segment of a recording starts no extra period', () => {
    expect(urisByPeriod(text([PERIOD, seg('v', 0, true), seg('a', 0, true), seg('v', 180_000)]))).toEqual([['v-0.m4s', 'a-0.m4s', 'v-180000.m4s']]);
  });

  it('an audio-only period takes audio segments and refuses video ones', () => {
    const parsed = parseJournal(text([{ t: 'period', tracks: [AUDIO] }, seg('a', 0), seg('v', 0), seg('a', 96_000)]));
    expect(parsed.recording.periods.map((p) => p.segments.map((s) => s.uri))).toEqual([['a-0.m4s', 'a-96000.m4s']]);
    expect(parsed.badLines, 'a segment of a track its period lacks is a bad line').toBe(1);
  });
});

describe('damaged journals', () => {
  const good = text([PERIOD, seg('v', 0), seg('a', 0), seg('v', 180_000), seg('a', 96_000)]);

  it('a torn last line (kill during the append) is one bad line; everything before it is kept', () => {
    const last = journalLine(seg('v', 360_000));
    for (const cut of [1, 10, last.length - 3, last.length - 2]) {
      const parsed = parseJournal(good + last.slice(0, cut));
      expect(parsed.badLines, `last line cut after ${cut} characters`).toBe(1);
      expect(parsed.recording.periods[0].segments.map((s) => s.uri)).toEqual(['v-0.m4s', 'a-0.m4s', 'v-180000.m4s', 'a-96000.m4s']);
    }
    // Cut right before its newline, the line is whole JSON: nothing is lost.
    expect(parseJournal(good + last.slice(0, -1)).badLines).toBe(0);
  });

  it('counts garbage lines as bad and goes on', () => {
    const garbage = [
      'hello', '{', '[]', 'null', '42', '"period"', '{}', '{"t":"bogus"}',
      '{"t":"period"}', '{"t":"period","tracks":{}}', '{"t":"period","tracks":[{"letter":"x"}]}',
      '{"t":"period","tracks":[{"letter":"v","kind":"video","codecString":"avc1","timescale":0,"init":"i.mp4"}]}',
      '{"t":"segment","letter":"x","uri":"x-0.m4s","start":0,"duration":1,"bytes":1,"pdt":0}',
      '{"t":"segment","letter":"v","uri":7,"start":0,"duration":1,"bytes":1,"pdt":0}',
      '{"t":"segment","letter":"v","uri":"v-0.m4s","start":-1,"duration":1,"bytes":1,"pdt":0}',
      '{"t":"segment","letter":"v","uri":"v-0.m4s","start":0.5,"duration":1,"bytes":1,"pdt":0}',
      '{"t":"segment","letter":"v","uri":"v-0.m4s","start":0,"duration":"1","bytes":1,"pdt":0}',
      '{"t":"segment","letter":"v","uri":"v-0.m4s","start":0,"duration":1,"bytes":1e300,"pdt":0}',
      '{"t":"segment","letter":"v","uri":"v-0.m4s","start":0,"duration":1,"bytes":1}',
      '{"t":"end"}', '{"t":"end","atMs":"soon"}',
      '\u0000\u0001binary',
    ];
    const lines = good.split('\n').filter((l) => l !== '');
    const mixed = [lines[0], ...garbage.slice(0, 11), ...lines.slice(1), ...garbage.slice(11)].join('\n');
    const parsed = parseJournal(mixed);
    expect(parsed.badLines).toBe(garbage.length);
    expect(parsed.recording.periods).toHaveLength(1);
    expect(parsed.recording.periods[0].segments.map((s) => s.uri)).toEqual(['v-0.m4s', 'a-0.m4s', 'v-180000.m4s', 'a-96000.m4s']);
    expect(parsed.endedAtMs).toBeUndefined();
  });

  it('a segment before any period line is a bad line', () => {
    const parsed = parseJournal(text([seg('v', 0), PERIOD, seg('v', 180_000)]));
    expect(parsed.badLines).toBe(1);
    expect(urisByPeriod(text([seg('v', 0), PERIOD, seg('v', 180_000)]))).toEqual([['v-180000.m4s']]);
  });

  it('accepts CRLF line ends (a journal edited on Windows)', () => {
    const parsed = parseJournal(good.replaceAll('\n', '\r\n'));
    expect(parsed.badLines).toBe(0);
    expect(parsed.recording.periods[0].segments).toHaveLength(4);
  });
});

describe('parseJournal never throws (property)', () => {
  /** Checks what parseJournal promises about its result, whatever the input (plain throws: fast enough for many runs). */
  function checkResult(input: string): void {
    const parsed = parseJournal(input);
    const nonBlank = input.split('\n').filter((l) => l.trim() !== '').length;
    const segments = parsed.recording.periods.reduce((n, p) => n + p.segments.length, 0);
    if (!(parsed.badLines >= 0 && segments + parsed.badLines <= nonBlank)) {
      throw new Error(`${segments} segments + ${parsed.badLines} bad lines from ${nonBlank} lines`);
    }
    for (const p of parsed.recording.periods) {
      for (const s of p.segments) {
        if (!p.tracks.some((t) => t.letter === s.letter)) throw new Error(`segment ${s.uri} has no track "${s.letter}" in its period`);
        for (const n of [s.startTicks, s.durationTicks, s.bytes]) if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${s.uri}: ${n} is not a count`);
      }
    }
  }

  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => checkResult(s)), { numRuns: 300 });
  });

  it('on arbitrary JSON lines', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 20 }), (values) => {
      checkResult(values.map((v) => JSON.stringify(v)).join('\n'));
    }), { numRuns: 300 });
  });

  it('on journal-shaped lines with arbitrary field values', () => {
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('v', 'a', 'period', 'segment', 'end', 0, -1, 1.5, 90_000, true));
    const track = fc.record({ letter: anyValue, kind: fc.oneof(anyValue, fc.constantFrom('video', 'audio')), codecString: anyValue, timescale: anyValue, init: anyValue }, { requiredKeys: [] });
    const line = fc.oneof(
      fc.record({ t: fc.constant('period'), tracks: fc.oneof(anyValue, fc.array(fc.oneof(track, fc.constant(VIDEO), fc.constant(AUDIO)), { maxLength: 3 })) }),
      fc.record({ t: fc.constant('segment'), letter: fc.oneof(anyValue, fc.constantFrom('v', 'a')), uri: anyValue, start: anyValue, duration: anyValue, bytes: anyValue, pdt: anyValue, disc: anyValue }, { requiredKeys: ['t'] }),
      fc.record({ t: fc.constant('end'), atMs: anyValue }),
      fc.constant(PERIOD), fc.constant(seg('v', 0, true)), fc.constant(seg('a', 0)),
    );
    fc.assert(fc.property(fc.array(line, { maxLength: 25 }), fc.nat(), (lines, cut) => {
      const all = lines.map((l) => JSON.stringify(l)).join('\n');
      checkResult(all);
      checkResult(all.slice(0, cut % (all.length + 1))); // torn anywhere
    }), { numRuns: 300 });
  });
});
