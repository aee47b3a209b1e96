// TsMuxer behaviour: PMT per track set (no phantom tracks), PCR placement, random access,
// AUD insertion, continuity across segments and restarts, timestamps, and input checks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProtocolError, UnsupportedError } from '../../../pipeline/core/errors.js';
import type { TrackInfo, VideoTrackInfo } from '../../../pipeline/ingest/media-types.js';
import { AUDIO_PID, PMT_PID, TsMuxer, VIDEO_PID } from '../../../pipeline/mpegts/index.js';
import { continuityErrors, inspectTs, parsePackets, pcrErrors, pcrs, reassemblePes } from '../../helpers/ts-inspect.js';
import { muxSteps, type SampleStep, type Step } from './mux-steps.js';
import { AUDIO_TRACK, VIDEO_TRACK, aacTrack, adtsFrame, h264AccessUnit, mp3Frame, mp3Track, sample } from './synthetic-tracks.js';

const BASE = 900_000; // 10 s

function videoStep(n: number, keyframe = n % 30 === 0, size = 500): SampleStep {
  return { track: VIDEO_TRACK, dts: BASE + n * 3000, pts: BASE + n * 3000 + 6000, keyframe, payload: h264AccessUnit(keyframe, size, n) };
}

function audioStep(n: number, track = AUDIO_TRACK, size = 200): SampleStep {
  return { track, dts: 441_000 + n * 1024, pts: 441_000 + n * 1024, keyframe: true, payload: [adtsFrame(size, n)] };
}

describe('TsMuxer program tables', () => {
  it.each<[string, TrackInfo[], number, { streamType: number; pid: number }[]]>([
    ['video + audio', [VIDEO_TRACK, AUDIO_TRACK], VIDEO_PID, [{ streamType: 0x1b, pid: VIDEO_PID }, { streamType: 0x0f, pid: AUDIO_PID }]],
    ['audio + video given in that order', [AUDIO_TRACK, VIDEO_TRACK], VIDEO_PID, [{ streamType: 0x1b, pid: VIDEO_PID }, { streamType: 0x0f, pid: AUDIO_PID }]],
    ['audio only', [AUDIO_TRACK], AUDIO_PID, [{ streamType: 0x0f, pid: AUDIO_PID }]],
    ['video only', [VIDEO_TRACK], VIDEO_PID, [{ streamType: 0x1b, pid: VIDEO_PID }]],
    ['MP3 44.1 kHz (MPEG-1)', [mp3Track(44_100)], AUDIO_PID, [{ streamType: 0x03, pid: AUDIO_PID }]],
    ['MP3 22.05 kHz (MPEG-2 LSF)', [mp3Track(22_050)], AUDIO_PID, [{ streamType: 0x04, pid: AUDIO_PID }]],
  ])('%s: PAT → PMT 0x1000, which lists exactly the given tracks', (_name, tracks, pcrPid, streams) => {
    const summary = inspectTs(new TsMuxer({ tracks }).tables());
    expect(summary.badCrcs).toBe(0);
    expect(summary.pats).toEqual([{ transportStreamId: 1, programs: [{ programNumber: 1, pmtPid: PMT_PID }] }]);
    expect(summary.pmts).toEqual([{ programNumber: 1, pcrPid, streams }]);
  });

  it('advances the PAT and PMT continuity counters once per segment', () => {
    const muxer = new TsMuxer({ tracks: [AUDIO_TRACK] });
    const packets = parsePackets(muxSteps(muxer, Array.from({ length: 20 }, () => 'tables' as const)));
    expect(packets.filter((p) => p.pid === 0).map((p) => p.continuityCounter)).toEqual(Array.from({ length: 20 }, (_, i) => i % 16));
    expect(continuityErrors(packets)).toEqual([]);
  });
});

describe('TsMuxer samples', () => {
  it('returns one buffer of whole packets per sample', () => {
    const muxer = new TsMuxer({ tracks: [VIDEO_TRACK, AUDIO_TRACK] });
    const out = muxer.writeSample(VIDEO_TRACK, sample(VIDEO_TRACK, 0, 0, true), h264AccessUnit(true, 1000, 1));
    expect(out.length).toBe(1);
    expect(out[0].length % 188).toBe(0);
  });

  it('puts a PCR and random_access_indicator on the first packet of each video access unit, none on audio', () => {
    const ts = muxSteps(new TsMuxer({ tracks: [VIDEO_TRACK, AUDIO_TRACK] }), ['tables', videoStep(0), audioStep(0), videoStep(1), audioStep(1), videoStep(2)]);
    const packets = parsePackets(ts);
    const video = reassemblePes(packets, VIDEO_PID);
    expect(video.map((v) => [v.adaptation?.pcrBase, v.adaptation?.randomAccess])).toEqual([
      [BASE - 9000, true],
      [BASE + 3000 - 9000, false],
      [BASE + 6000 - 9000, false],
    ]);
    const audio = reassemblePes(packets, AUDIO_PID);
    expect(audio.map((a) => a.adaptation?.pcrBase)).toEqual([undefined, undefined]);
    expect(audio.map((a) => a.adaptation?.randomAccess)).toEqual([true, true]);
    expect(packets.filter((p) => p.adaptation?.pcrBase !== undefined).every((p) => p.pid === VIDEO_PID)).toBe(true);
  });

  it('puts a PCR on every audio PES of an audio-only stream', () => {
    const ts = muxSteps(new TsMuxer({ tracks: [AUDIO_TRACK] }), ['tables', ...Array.from({ length: 5 }, (_, i) => audioStep(i))]);
    const audio = reassemblePes(parsePackets(ts), AUDIO_PID);
    expect(audio.map((a) => a.adaptation?.pcrBase)).toEqual(audio.map((a) => (a.pts ?? 0) - 9000));
  });

  it('writes PES headers: video unbounded with PTS+DTS, audio bounded with PTS only, both data-aligned', () => {
    const ts = muxSteps(new TsMuxer({ tracks: [VIDEO_TRACK, AUDIO_TRACK] }), ['tables', videoStep(0), audioStep(0)]);
    const packets = parsePackets(ts);
    const [v] = reassemblePes(packets, VIDEO_PID);
    expect(v).toMatchObject({ streamId: 0xe0, packetLength: 0, pts: BASE + 6000, dts: BASE, dataAlignment: true });
    const [a] = reassemblePes(packets, AUDIO_PID);
    expect(a).toMatchObject({ streamId: 0xc0, packetLength: 3 + 5 + 207, pts: 900_000, dts: undefined, dataAlignment: true });
  });

  it('converts audio ticks to 90 kHz per frame with no drift (44.1 kHz: 1024 samples = 2089.795… ticks)', () => {
    const frames = Array.from({ length: 50 }, (_, i) => audioStep(i, AUDIO_TRACK, 20));
    const audio = reassemblePes(parsePackets(muxSteps(new TsMuxer({ tracks: [AUDIO_TRACK] }), frames)), AUDIO_PID);
    expect(audio.map((a) => a.pts)).toEqual(frames.map((_, i) => Math.round(((441_000 + i * 1024) * 90_000) / 44_100)));
    const track48 = aacTrack(48_000);
    const [a48] = reassemblePes(parsePackets(muxSteps(new TsMuxer({ tracks: [track48] }), [audioStep(7, track48)])), AUDIO_PID);
    expect(a48.pts).toBe(((441_000 + 7 * 1024) * 90_000) / 48_000);
  });

  it('writes timestamps past 2^33 as their low 33 bits, PCR included', () => {
    const high = 2 ** 33 + 123_456;
    const ts = muxSteps(new TsMuxer({ tracks: [VIDEO_TRACK] }), [{ track: VIDEO_TRACK, dts: high, pts: high + 3000, keyframe: true, payload: h264AccessUnit(true, 50, 0) }]);
    const [v] = reassemblePes(parsePackets(ts), VIDEO_PID);
    expect([v.dts, v.pts, v.adaptation?.pcrBase]).toEqual([123_456, 126_456, 123_456 - 9000]);
  });

  it('prepends an access unit delimiter unless the access unit starts with one (§2.14.1)', () => {
    const muxer = new TsMuxer({ tracks: [VIDEO_TRACK] });
    const without = h264AccessUnit(false, 40, 1);
    const withAud = h264AccessUnit(false, 40, 1, true);
    const ts = muxSteps(muxer, [
      { track: VIDEO_TRACK, dts: 0, pts: 0, keyframe: false, payload: without },
      { track: VIDEO_TRACK, dts: 3000, pts: 3000, keyframe: false, payload: withAud },
    ]);
    const [a, b] = reassemblePes(parsePackets(ts), VIDEO_PID);
    expect([...a.payload]).toEqual([0, 0, 0, 1, 0x09, 0xf0, ...without.flatMap((v) => [...v])]);
    expect([...b.payload]).toEqual(withAud.flatMap((v) => [...v]));
  });

  it('keeps PCRs ≤ 100 ms apart at 5 fps, and when only audio flows in an A/V stream', () => {
    const slow: Step[] = ['tables', ...Array.from({ length: 10 }, (_, n) => ({ ...videoStep(n), dts: BASE + n * 18_000, pts: BASE + n * 18_000 }))];
    const slowPackets = parsePackets(muxSteps(new TsMuxer({ tracks: [VIDEO_TRACK] }), slow));
    expect(pcrErrors(slowPackets, VIDEO_PID)).toEqual([]);
    expect(slowPackets.filter((p) => p.adaptationFieldControl === 2).length).toBe(9);
    expect(continuityErrors(slowPackets)).toEqual([]);

    const steps: Step[] = ['tables', videoStep(0)];
    for (let i = 0; i < 40; i++) steps.push(audioStep(i));
    steps.push({ ...videoStep(30), dts: 891_000 + 90_000, pts: 891_000 + 90_000 });
    const packets = parsePackets(muxSteps(new TsMuxer({ tracks: [VIDEO_TRACK, AUDIO_TRACK] }), steps));
    expect(pcrErrors(packets, VIDEO_PID)).toEqual([]);
    expect(pcrs(packets, VIDEO_PID).length).toBeGreaterThan(9);
    expect(continuityErrors(packets)).toEqual([]);
  });

  it('flags a PCR discontinuity when the publisher restarts its clock', () => {
    const ts = muxSteps(new TsMuxer({ tracks: [VIDEO_TRACK] }), ['tables', videoStep(0), videoStep(1), { ...videoStep(0), dts: 0, pts: 0 }]);
    const list = pcrs(parsePackets(ts), VIDEO_PID);
    expect(list.map((p) => p.discontinuity)).toEqual([false, false, true]);
    expect(pcrErrors(parsePackets(ts), VIDEO_PID)).toEqual([]);
  });
});

describe('TsMuxer state', () => {
  it('continues every continuity counter after restore, through JSON', () => {
    const tracks = [VIDEO_TRACK, AUDIO_TRACK];
    const first = new TsMuxer({ tracks });
    const script: Step[] = ['tables', videoStep(0), audioStep(0), videoStep(1), audioStep(1)];
    const a = muxSteps(first, script);
    const state = JSON.parse(JSON.stringify(first.state()));
    const b = muxSteps(TsMuxer.restore({ tracks }, state), ['tables', videoStep(2), audioStep(2)]);
    const whole = new Uint8Array(a.length + b.length);
    whole.set(a);
    whole.set(b, a.length);
    expect(continuityErrors(parsePackets(whole))).toEqual([]);
    expect(state).toEqual({ continuityCounters: { pat: 1, pmt: 1, video: 7, audio: 4 } });
  });

  it('rejects a state with a counter outside 0–15', () => {
    const state = { continuityCounters: { pat: 0, pmt: 16, video: 0, audio: 0 } };
    expect(() => TsMuxer.restore({ tracks: [AUDIO_TRACK] }, state)).toThrow(ProtocolError);
    expect(() => TsMuxer.restore({ tracks: [AUDIO_TRACK] }, { continuityCounters: { pat: 0, pmt: 0, video: 0.5, audio: 0 } })).toThrow(ProtocolError);
  });
});

describe('TsMuxer input checks', () => {
  it('rejects programs it cannot describe with UnsupportedError', () => {
    expect(() => new TsMuxer({ tracks: [] })).toThrow(UnsupportedError);
    expect(() => new TsMuxer({ tracks: [VIDEO_TRACK, { ...VIDEO_TRACK, id: 3 }] })).toThrow(UnsupportedError);
    expect(() => new TsMuxer({ tracks: [AUDIO_TRACK, mp3Track(44_100)] })).toThrow(UnsupportedError);
    const hevc = { ...VIDEO_TRACK, config: { ...VIDEO_TRACK.config, codec: 'hvc1' } } as unknown as VideoTrackInfo;
    expect(() => new TsMuxer({ tracks: [hevc] })).toThrow(/fMP4/);
  });

  it('rejects samples that do not fit the program with ProtocolError', () => {
    const muxer = new TsMuxer({ tracks: [AUDIO_TRACK] });
    const au = h264AccessUnit(true, 10, 0);
    expect(() => muxer.writeSample(VIDEO_TRACK, sample(VIDEO_TRACK, 0, 0, true), au)).toThrow(ProtocolError);
    expect(() => muxer.writeSample({ ...AUDIO_TRACK, id: 9 }, sample({ ...AUDIO_TRACK, id: 9 }, 0, 0, true), [adtsFrame(5, 0)])).toThrow(ProtocolError);
    expect(() => muxer.writeSample(AUDIO_TRACK, { ...sample(AUDIO_TRACK, 0, 0, true), trackId: 1 }, [adtsFrame(5, 0)])).toThrow(ProtocolError);
    expect(() => muxer.writeSample(AUDIO_TRACK, sample(AUDIO_TRACK, 0, 0, true), [new Uint8Array(20)])).toThrow(/ADTS/);
    expect(() => muxer.writeSample(AUDIO_TRACK, sample(AUDIO_TRACK, 0, 0, true), [])).toThrow(ProtocolError);
    expect(() => muxer.writeSample(AUDIO_TRACK, sample(AUDIO_TRACK, 0.5, 0.5, true), [adtsFrame(5, 0)])).toThrow(ProtocolError);
    const video = new TsMuxer({ tracks: [VIDEO_TRACK] });
    expect(() => video.writeSample(VIDEO_TRACK, sample(VIDEO_TRACK, 3000, 0, false), au)).toThrow(/presented before/);
    expect(() => video.writeSample(VIDEO_TRACK, sample(VIDEO_TRACK, 0, 0, false), [Uint8Array.of(0, 0, 0, 9, 0x65, 1)])).toThrow(/Annex B/);
  });

  it('accepts MP3 frames as they are', () => {
    const track = mp3Track(44_100);
    const ts = muxSteps(new TsMuxer({ tracks: [track] }), ['tables', { track, dts: 0, pts: 0, keyframe: true, payload: [mp3Frame(417, 1)] }]);
    const [pes] = reassemblePes(parsePackets(ts), AUDIO_PID);
    expect(pes.payload).toEqual(mp3Frame(417, 1));
  });
});

describe('TsMuxer property', () => {
  it('keeps continuity, PCR spacing and payload bytes for any interleaving of frame sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 25 }),
        (plan) => {
          const steps: Step[] = ['tables'];
          let v = 0;
          let a = 0;
          for (const [isVideo, size, views] of plan) {
            if (isVideo) {
              const au = h264AccessUnit(v % 10 === 0, size + 1, v, true);
              steps.push({ track: VIDEO_TRACK, dts: BASE + v * 3000, pts: BASE + v * 3000 + 3000, keyframe: v % 10 === 0, payload: split(au, views) });
              v++;
            } else {
              steps.push({ track: AUDIO_TRACK, dts: 441_000 + a * 1024, pts: 441_000 + a * 1024, keyframe: true, payload: split([adtsFrame(size, a)], views) });
              a++;
            }
          }
          const packets = parsePackets(muxSteps(new TsMuxer({ tracks: [VIDEO_TRACK, AUDIO_TRACK] }), steps));
          expect(continuityErrors(packets)).toEqual([]);
          expect(pcrErrors(packets, VIDEO_PID)).toEqual([]);
          const expected = (pid: number) => steps.filter((s): s is Exclude<Step, 'tables'> => s !== 'tables' && (s.track.kind === 'video') === (pid === VIDEO_PID));
          for (const pid of [VIDEO_PID, AUDIO_PID]) {
            const pes = reassemblePes(packets, pid);
            expect(pes.map((p) => Buffer.from(p.payload).toString('hex'))).toEqual(expected(pid).map((s) => Buffer.concat(s.payload).toString('hex')));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Splits the concatenation of `parts` into `n` views of roughly equal size. */
function split(parts: readonly Uint8Array[], n: number): Uint8Array[] {
  const whole = Buffer.concat(parts);
  const out: Uint8Array[] = [];
  const step = Math.ceil(whole.length / n);
  for (let i = 0; i < whole.length; i += step) out.push(whole.subarray(i, i + step));
  return out;
}
