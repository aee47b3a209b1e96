// A recording from the sink to the finished VOD, over MemoryStorage: the real 3 s H.264 + AAC
// fixture goes through the ingest stages into a RecordingSink (segment files appended fragment by
// fragment, a journal), then finalizeRecording writes the playlists and MPD. Then the crash cases
// recovery must handle (segments the journal missed, torn and tiny segment files, journaled files
// that are gone, no media), idempotence, the job errors, and the MP4 export of the result.
import { beforeAll, describe, expect, it } from 'vitest';
import { readBoxes } from '../../../pipeline/fmp4/box-reader.js';
import { readFragments, type ParsedFragment } from '../../../pipeline/fmp4/fragment-reader.js';
import type { FlvRecord } from '../../../pipeline/flv/index.js';
import { TrackBuilder } from '../../../pipeline/ingest/track-builder.js';
import { TrackSetGate, type GateOutput } from '../../../pipeline/ingest/track-set-gate.js';
import { VOD_MP4, VOD_MPD, VOD_MULTIVARIANT } from '../../../pipeline/packaging/vod-model.js';
import { PermanentJobError } from '../../../src/jobs/job-types.js';
import { createMemoryLogger, type MemoryLogger } from '../../../src/logging/memory-logger.js';
import { exportRecordingMp4 } from '../../../src/recording/mp4-export.js';
import { RecordingCatalog } from '../../../src/recording/recording-catalog.js';
import { finalizeRecording } from '../../../src/recording/recording-finalizer.js';
import { newRecordingId } from '../../../src/recording/recording-id.js';
import { journalLine, parseJournal, type JournalLine } from '../../../src/recording/recording-journal.js';
import { newRecordingMeta, type RecordingMeta } from '../../../src/recording/recording-meta.js';
import { RECORDED_SEGMENT, RECORDING_JOURNAL, RECORDING_META, recordingFolder, type RecordingRef } from '../../../src/recording/recording-paths.js';
import { RecordingSink } from '../../../src/recording/recording-sink.js';
import { MemoryStorage } from '../../../src/storage/memory-storage.js';
import { FIXTURE_H264_AAC, referenceFlvRecords } from '../../helpers/fixtures.js';

const START = Date.UTC(2026, 0, 1, 10, 0, 0);
const REF: RecordingRef = { id: newRecordingId(START, 'abc123'), app: 'live', name: 'show' };
const FOLDER = recordingFolder(REF);
const FRAGMENT_MS = 500;
/** The fixture lasts 3 s (video and audio); allow a frame or two of either. */
const FIXTURE_SEC = 3;

let records: FlvRecord[];
/** What the sink wrote for one pass of the fixture, never changed: each test works on a copy. */
let recorded: MemoryStorage;
/** ...and for two passes with a reconnect between them. */
let reconnected: MemoryStorage;
let sinkResult: { bytes: number; stopped: { ref: RecordingRef; endedAtMs: number }[]; lateWrites: number };

/** Plays the fixture `passes` times into a RecordingSink (a reconnect 2 s long before each pass after the first). */
async function record(storage: MemoryStorage, passes: number): Promise<typeof sinkResult> {
  const { logger } = createMemoryLogger();
  const stopped: { ref: RecordingRef; endedAtMs: number }[] = [];
  const sink = new RecordingSink({
    storage, ref: REF, logger, fragmentDurationMs: FRAGMENT_MS, targetDurationSec: 1,
    onStopped: (ref, endedAtMs) => void stopped.push({ ref, endedAtMs }),
  });
  const lastTs = records.reduce((m, r) => Math.max(m, r.timestampMs), 0);
  let clock = START;
  for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) {
      sink.discontinuity();
      clock += lastTs + 2000;
    }
    const builder = new TrackBuilder();
    const gate = new TrackSetGate({ probeSec: 1 });
    const apply = (outputs: GateOutput[], now: number): void => {
      for (const o of outputs) {
        if (o.type === 'tracks') sink.setTracks(o.tracks, now);
        else if (o.type === 'sample') sink.push(o.sample, now);
      }
    };
    for (const r of records) {
      if (r.tagType !== 8 && r.tagType !== 9) continue;
      const now = clock + r.timestampMs;
      for (const ev of builder.push(r.tagType, r.timestampMs, r.body)) {
        if (ev.type === 'track') apply(gate.track(ev.track), now);
        else if (ev.type === 'sample') apply(gate.sample(ev.sample), now);
      }
    }
    apply(gate.flush(), clock + lastTs);
    sink.flush(clock + lastTs);
  }
  const endAt = clock + lastTs + 40;
  sink.end(endAt);
  await sink.idle();
  // A stopped sink takes nothing more.
  const before = (await storage.list('')).length + (await storage.stat(FOLDER + RECORDING_JOURNAL))!.size;
  const video = records.find((r) => r.tagType === 9);
  if (video !== undefined) sink.push({ trackId: 1, dts: 0, pts: 0, duration: 3000, keyframe: true, data: video.body }, endAt + 1);
  sink.flush(endAt + 2);
  sink.end(endAt + 3);
  await sink.idle();
  const after = (await storage.list('')).length + (await storage.stat(FOLDER + RECORDING_JOURNAL))!.size;
  return { bytes: sink.bytes, stopped, lateWrites: after - before };
}

async function copyOf(source: MemoryStorage): Promise<MemoryStorage> {
  const copy = new MemoryStorage();
  for (const key of await source.list('')) await copy.write(key, [(await source.readAll(key))!]);
  return copy;
}

async function text(storage: MemoryStorage, file: string): Promise<string> {
  const bytes = await storage.readAll(FOLDER + file);
  if (bytes === undefined) throw new Error(`${file} is missing`);
  return Buffer.from(bytes).toString('utf8');
}

/** Every object of the storage, key → bytes (for comparing two states). */
async function snapshot(storage: MemoryStorage): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const key of await storage.list('')) out.set(key, Buffer.from((await storage.readAll(key))!));
  return out;
}

/** Names of the segment files of a track on storage, in time order. */
async function segmentFiles(storage: MemoryStorage, letter: 'v' | 'a'): Promise<string[]> {
  return (await storage.list(FOLDER))
    .map((k) => k.slice(FOLDER.length))
    .map((n) => RECORDED_SEGMENT.exec(n))
    .filter((m): m is RegExpExecArray => m?.groups?.letter === letter)
    .sort((a, b) => Number(a.groups?.ticks) - Number(b.groups?.ticks))
    .map((m) => m[0]);
}

/** Bytes of the media files (init segments and segments) on storage. */
async function mediaBytes(storage: MemoryStorage): Promise<number> {
  let n = 0;
  for (const key of await storage.list(FOLDER)) {
    const name = key.slice(FOLDER.length);
    if (RECORDED_SEGMENT.test(name) || /^init-[va]-[0-9a-f]{8}\.mp4$/.test(name)) n += (await storage.stat(key))!.size;
  }
  return n;
}

/** The segment URIs a media playlist lists. */
const playlistUris = (playlist: string): string[] => playlist.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

async function fragmentsOf(storage: MemoryStorage, file: string): Promise<ParsedFragment[]> {
  return readFragments((await storage.readAll(FOLDER + file))!).fragments;
}

const fragmentSec = (f: ParsedFragment, timescale: number): number => f.samples.reduce((n, s) => n + s.duration, 0) / timescale;

interface Finalizing {
  readonly storage: MemoryStorage;
  readonly catalog: RecordingCatalog;
  readonly log: MemoryLogger;
  readonly ready: RecordingMeta[];
  finalize(id?: string): Promise<RecordingMeta>;
}

/** A copy of `source` with a catalog that knows the recording (as the manager made it), ready to finalize. */
async function setUp(source: MemoryStorage, active: (id: string) => boolean = () => false): Promise<Finalizing> {
  const storage = await copyOf(source);
  const log = createMemoryLogger();
  const catalog = new RecordingCatalog(storage, log.logger);
  await catalog.save(newRecordingMeta(REF, START, true));
  const ready: RecordingMeta[] = [];
  return {
    storage, catalog, log, ready,
    async finalize(id = REF.id) {
      await finalizeRecording({ storage, catalog, logger: log.logger, onReady: (m) => ready.push(m), isActive: active }, id);
      return catalog.get(id)!;
    },
  };
}

/** Rewrites the journal without its end line and its last `n` segment lines (killed before they were appended). */
async function dropJournalTail(storage: MemoryStorage, n: number): Promise<Extract<JournalLine, { t: 'segment' }>[]> {
  const lines = (await text(storage, RECORDING_JOURNAL)).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as JournalLine);
  const kept = lines.filter((l) => l.t !== 'end');
  const segmentIndexes = kept.flatMap((l, i) => (l.t === 'segment' ? [i] : []));
  const dropped = segmentIndexes.slice(-n).map((i) => kept[i] as Extract<JournalLine, { t: 'segment' }>);
  const remaining = kept.filter((l) => !dropped.includes(l as Extract<JournalLine, { t: 'segment' }>));
  await storage.writeAtomic(FOLDER + RECORDING_JOURNAL, remaining.map(journalLine).join(''));
  return dropped;
}

let clean: { meta: RecordingMeta; files: Map<string, Buffer> };

beforeAll(async () => {
  records = await referenceFlvRecords(FIXTURE_H264_AAC);
  recorded = new MemoryStorage();
  sinkResult = await record(recorded, 1);
  reconnected = new MemoryStorage();
  await record(reconnected, 2);
  const f = await setUp(recorded);
  clean = { meta: await f.finalize(), files: await snapshot(f.storage) };
}, 30_000);

describe('RecordingSink', () => {
  it('writes init segments, whole-fragment segment files and a journal that lists them', async () => {
    const names = (await recorded.list(FOLDER)).map((k) => k.slice(FOLDER.length));
    expect(names.filter((n) => /^init-[va]-[0-9a-f]{8}\.mp4$/.test(n)).map((n) => n[5]).sort()).toEqual(['a', 'v']);
    const journal = parseJournal(await text(recorded, RECORDING_JOURNAL));
    expect(journal.badLines).toBe(0);
    expect(journal.recording.periods).toHaveLength(1);
    const segments = journal.recording.periods[0].segments;
    for (const letter of ['v', 'a'] as const) {
      const files = await segmentFiles(recorded, letter);
      expect(files.length, `${letter}: a 3 s recording with 1 s segments has several`).toBeGreaterThanOrEqual(3);
      expect(segments.filter((s) => s.letter === letter).map((s) => s.uri), `${letter}: the journal lists every segment file, in order`).toEqual(files);
    }
    for (const s of segments) {
      const bytes = (await recorded.readAll(FOLDER + s.uri))!;
      const scan = readFragments(bytes);
      expect(bytes.length, `${s.uri}: journaled size`).toBe(s.bytes);
      expect(scan.completeBytes, `${s.uri}: whole fragments only`).toBe(bytes.length);
      expect(scan.fragments[0].baseMediaDecodeTime, `${s.uri}: named and journaled by its start`).toBe(s.startTicks);
      const track = journal.recording.periods[0].tracks.find((t) => t.letter === s.letter)!;
      for (const f of scan.fragments) expect(fragmentSec(f, track.timescale), `${s.uri}: fragments last at most ${FRAGMENT_MS} ms`).toBeLessThanOrEqual(FRAGMENT_MS / 1000 + 1e-9);
    }
    expect(sinkResult.bytes, 'sink.bytes counts the segments').toBe(segments.reduce((n, s) => n + s.bytes, 0));
    expect(journal.endedAtMs).toBe(sinkResult.stopped[0]?.endedAtMs);
  });

  it('calls onStopped once, after its writes, and ignores media after end()', () => {
    expect(sinkResult.stopped).toHaveLength(1);
    expect(sinkResult.stopped[0].ref).toEqual(REF);
    expect(sinkResult.lateWrites, 'objects or journal bytes written after end()').toBe(0);
  });
});

describe('finalizeRecording', () => {
  it('writes the VOD manifests and marks the recording ready with its duration and size', async () => {
    const { meta, files } = clean;
    for (const name of [VOD_MULTIVARIANT, 'v.m3u8', 'a.m3u8', VOD_MPD]) expect(files.has(FOLDER + name), `${name} written`).toBe(true);
    const v = files.get(`${FOLDER}v.m3u8`)!.toString('utf8');
    expect(v).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(v.trimEnd().endsWith('#EXT-X-ENDLIST'), 'the media playlist is closed').toBe(true);
    expect(playlistUris(v)).toEqual(await segmentFiles(recorded, 'v'));
    expect(playlistUris(files.get(`${FOLDER}a.m3u8`)!.toString('utf8'))).toEqual(await segmentFiles(recorded, 'a'));
    expect(files.get(FOLDER + VOD_MPD)!.toString('utf8')).toContain('type="static"');
    expect(meta.state).toBe('ready');
    expect(meta.error).toBeNull();
    expect(Math.abs(meta.durationSec - FIXTURE_SEC), `duration ${meta.durationSec} s of a 3 s fixture`).toBeLessThan(0.1);
    expect(meta.bytes, 'bytes = init segments + segments on storage').toBe(await mediaBytes(recorded));
    expect(meta.discontinuities).toBe(0);
    expect(meta.tracks.map((t) => t.kind)).toEqual(['video', 'audio']);
    expect(meta.tracks[0]).toMatchObject({ codec: expect.stringMatching(/^avc1\./) as unknown, width: expect.any(Number) as unknown });
    expect(meta.endedAtMs, 'the end the journal recorded').toBe(sinkResult.stopped[0].endedAtMs);
    expect(meta.mp4.state, 'the MP4 export comes later').toBe('pending');
    // recording.json on storage says the same.
    const stored = JSON.parse(files.get(FOLDER + RECORDING_META)!.toString('utf8')) as RecordingMeta;
    expect(stored).toEqual(meta);
  });

  it('calls onReady once with the ready recording', async () => {
    const f = await setUp(recorded);
    const meta = await f.finalize();
    expect(f.ready).toEqual([meta]);
  });

  it('joins the periods of a reconnect and leaves the gap out of the duration', async () => {
    const f = await setUp(reconnected);
    const meta = await f.finalize();
    expect(meta.state).toBe('ready');
    expect(meta.discontinuities).toBe(1);
    expect(Math.abs(meta.durationSec - 2 * FIXTURE_SEC), `duration ${meta.durationSec} s of two 3 s passes`).toBeLessThan(0.2);
    expect(meta.bytes).toBe(await mediaBytes(f.storage));
    expect(await text(f.storage, 'v.m3u8')).toContain('#EXT-X-DISCONTINUITY');
  });

  describe('after a crash', () => {
    it('(1) finds the segment files the journal missed and includes them', async () => {
      const f = await setUp(recorded);
      const dropped = await dropJournalTail(f.storage, 2);
      expect(dropped.map((d) => d.letter).sort(), 'the last segment of each track is unjournaled').toEqual(['a', 'v']);
      const meta = await f.finalize();
      expect(meta.state).toBe('ready');
      expect(meta.durationSec).toBeCloseTo(clean.meta.durationSec, 3);
      expect(meta.bytes).toBe(clean.meta.bytes);
      for (const letter of ['v', 'a'] as const) {
        expect(playlistUris(await text(f.storage, `${letter}.m3u8`)), `${letter}.m3u8 lists the unjournaled segment`).toEqual(await segmentFiles(recorded, letter));
        // As if nothing had crashed; the wall clock of a segment the journal missed is estimated from the one before (± 1 ms).
        const got = await text(f.storage, `${letter}.m3u8`);
        const want = clean.files.get(`${FOLDER}${letter}.m3u8`)!.toString('utf8');
        expect(withoutPdt(got), `${letter}.m3u8 as if nothing had crashed`).toBe(withoutPdt(want));
        const [gotPdt, wantPdt] = [pdtsOf(got), pdtsOf(want)];
        expect(gotPdt.length).toBe(wantPdt.length);
        gotPdt.forEach((t, i) => expect(Math.abs(t - wantPdt[i]), `${letter}.m3u8 PROGRAM-DATE-TIME #${i}`).toBeLessThanOrEqual(1));
      }
      expect(await text(f.storage, VOD_MPD)).toBe(clean.files.get(FOLDER + VOD_MPD)!.toString('utf8'));
      // Without an end line the end is where the media ends.
      const lastPdtEnd = clean.meta.endedAtMs!;
      expect(Math.abs(meta.endedAtMs! - lastPdtEnd), `end ${meta.endedAtMs} vs ${lastPdtEnd}`).toBeLessThan(1000);
    });

    it('(2) cuts a segment file torn mid-fragment back to whole fragments', async () => {
      const f = await setUp(recorded);
      const dropped = await dropJournalTail(f.storage, 2);
      let lostSec = 0;
      const keptBytes = new Map<string, number>();
      for (const d of dropped) {
        const bytes = (await f.storage.readAll(FOLDER + d.uri))!;
        const fragments = readFragments(bytes).fragments;
        expect(fragments.length, `${d.uri} has fragments to lose`).toBeGreaterThan(1);
        const last = fragments[fragments.length - 1];
        await f.storage.writeAtomic(FOLDER + d.uri, [bytes.subarray(0, last.byteOffset + Math.floor(last.byteLength / 2))]);
        keptBytes.set(d.uri, last.byteOffset);
        lostSec = Math.max(lostSec, fragmentSec(last, await trackTimescale(f.storage, d.letter)));
      }
      const meta = await f.finalize();
      expect(meta.state).toBe('ready');
      for (const [uri, kept] of keptBytes) {
        expect((await f.storage.stat(FOLDER + uri))?.size, `${uri} rewritten to its whole fragments`).toBe(kept);
        expect(readFragments((await f.storage.readAll(FOLDER + uri))!).completeBytes).toBe(kept);
      }
      const shorter = clean.meta.durationSec - meta.durationSec;
      expect(shorter, `lost ${shorter} s; the torn fragments lasted up to ${lostSec} s`).toBeGreaterThan(0);
      expect(shorter).toBeLessThanOrEqual(lostSec + 0.001);
      expect(lostSec).toBeLessThanOrEqual(FRAGMENT_MS / 1000);
      expect(meta.bytes, 'bytes = what is left on storage').toBe(await mediaBytes(f.storage));
      expect(f.log.entries.some((e) => e.msg.includes('torn tail cut off'))).toBe(true);
    });

    it('(3) deletes a segment file torn before its first fragment ended and leaves it out', async () => {
      const f = await setUp(recorded);
      const dropped = await dropJournalTail(f.storage, 2);
      const v = dropped.find((d) => d.letter === 'v')!;
      const bytes = (await f.storage.readAll(FOLDER + v.uri))!;
      const first = readFragments(bytes).fragments[0];
      await f.storage.writeAtomic(FOLDER + v.uri, [bytes.subarray(0, first.byteLength - 1)]);
      const meta = await f.finalize();
      expect(meta.state).toBe('ready');
      expect(await f.storage.stat(FOLDER + v.uri), `${v.uri} deleted`).toBeUndefined();
      const listed = playlistUris(await text(f.storage, 'v.m3u8'));
      expect(listed).not.toContain(v.uri);
      expect(listed).toEqual((await segmentFiles(recorded, 'v')).filter((u) => u !== v.uri));
      expect(playlistUris(await text(f.storage, 'a.m3u8')), 'the audio segment the journal missed is still there').toContain(dropped.find((d) => d.letter === 'a')!.uri);
      expect(await text(f.storage, VOD_MPD)).not.toContain(`t="${v.start}"`);
      expect(meta.bytes).toBe(await mediaBytes(f.storage));
    });

    it('a segment file of zero bytes is left out as well', async () => {
      const f = await setUp(recorded);
      const dropped = await dropJournalTail(f.storage, 1);
      await f.storage.writeAtomic(FOLDER + dropped[0].uri, []);
      const meta = await f.finalize();
      expect(meta.state).toBe('ready');
      expect(playlistUris(await text(f.storage, `${dropped[0].letter}.m3u8`))).not.toContain(dropped[0].uri);
      expect(meta.bytes).toBe(await mediaBytes(f.storage));
    });

    it('removes an unjournaled segment file it cannot read, so the VOD, its size and the MP4 agree', async () => {
      const f = await setUp(recorded);
      const dropped = await dropJournalTail(f.storage, 2);
      const v = dropped.find((d) => d.letter === 'v')!;
      const garbled = Buffer.from((await f.storage.readAll(FOLDER + v.uri))!);
      garbled.write('tfhx', garbled.indexOf('tfhd')); // whole boxes, invalid content: readFragments throws
      await f.storage.writeAtomic(FOLDER + v.uri, [garbled]);
      const meta = await f.finalize();
      expect(meta.state).toBe('ready');
      expect(playlistUris(await text(f.storage, 'v.m3u8'))).not.toContain(v.uri);
      expect(f.log.withLevel('warn').some((e) => e.msg.includes('unreadable segment file')), 'a warning names the problem').toBe(true);
      expect(await f.storage.stat(FOLDER + v.uri), 'the unreadable file is not kept in the finished recording').toBeUndefined();
      expect(meta.bytes, 'bytes = the media files on storage').toBe(await mediaBytes(f.storage));
      const exported = await exportRecordingMp4({ storage: f.storage, catalog: f.catalog, logger: f.log.logger }, REF.id);
      expect(exported?.mp4.state, 'the MP4 export of the VOD succeeds').toBe('ready');
    });

    it('(4) leaves out, with a warning, a journaled segment whose file is gone', async () => {
      const f = await setUp(recorded);
      const files = await segmentFiles(f.storage, 'v');
      const gone = files[1];
      await f.storage.delete(FOLDER + gone);
      const meta = await f.finalize();
      expect(meta.state).toBe('ready');
      expect(playlistUris(await text(f.storage, 'v.m3u8'))).toEqual(files.filter((u) => u !== gone));
      const warn = f.log.withLevel('warn').find((e) => e.msg.includes('missing on storage'));
      expect(warn, `warn lines: ${JSON.stringify(f.log.withLevel('warn'))}`).toBeDefined();
      expect(warn?.fields.missing).toBe(1);
      expect(meta.bytes).toBe(await mediaBytes(f.storage));
    });

    it('(5) marks a recording without media failed, with a message', async () => {
      const empty = new MemoryStorage();
      const f = await setUp(empty);
      const meta = await f.finalize();
      expect(meta.state).toBe('failed');
      expect(meta.error).toMatch(/no media/);
      expect(meta.mp4.state, 'no MP4 will come').toBe('failed');
      expect(f.ready, 'onReady is not called').toEqual([]);
      expect(await f.storage.stat(FOLDER + VOD_MULTIVARIANT)).toBeUndefined();
    });

    it('(5) a journal with a period but no segment, or segment files without a journal, is no media either', async () => {
      const initsOnly = await copyOf(recorded);
      for (const name of [...await segmentFiles(initsOnly, 'v'), ...await segmentFiles(initsOnly, 'a')]) await initsOnly.delete(FOLDER + name);
      const journal = (await text(initsOnly, RECORDING_JOURNAL)).split('\n').filter((l) => l.startsWith('{"t":"period"'));
      await initsOnly.writeAtomic(FOLDER + RECORDING_JOURNAL, `${journal.join('\n')}\n`);
      const noJournal = await copyOf(recorded);
      await noJournal.delete(FOLDER + RECORDING_JOURNAL);
      for (const source of [initsOnly, noJournal]) {
        const f = await setUp(source);
        const meta = await f.finalize();
        expect(meta.state).toBe('failed');
        expect(meta.error).toMatch(/no media/);
      }
    });

    it('a crash within the first segment: no segment journaled yet, the files are enough', async () => {
      const f = await setUp(recorded);
      const journal = (await text(f.storage, RECORDING_JOURNAL)).split('\n').filter((l) => l.startsWith('{"t":"period"'));
      await f.storage.writeAtomic(FOLDER + RECORDING_JOURNAL, `${journal.join('\n')}\n`);
      const meta = await f.finalize();
      expect(meta.state).toBe('ready');
      expect(meta.durationSec).toBeCloseTo(clean.meta.durationSec, 3);
      expect(meta.bytes).toBe(clean.meta.bytes);
      // The wall clock of a segment is its media time (the recording's timeline starts at the epoch).
      expect(await text(f.storage, 'v.m3u8'), 'same PROGRAM-DATE-TIMEs as from the journal').toBe(clean.files.get(`${FOLDER}v.m3u8`)!.toString('utf8'));
      expect(await text(f.storage, 'a.m3u8')).toBe(clean.files.get(`${FOLDER}a.m3u8`)!.toString('utf8'));
      expect(Math.abs(meta.endedAtMs! - clean.meta.endedAtMs!), 'the end comes from the media, not from when finalizing ran').toBeLessThan(1000);
    });
  });

  describe('(6) idempotence', () => {
    const cases: readonly (readonly [string, (s: MemoryStorage) => Promise<void>])[] = [
      ['a clean recording', async () => undefined],
      ['a recording with unjournaled, torn segments', async (s) => {
        for (const d of await dropJournalTail(s, 2)) {
          const bytes = (await s.readAll(FOLDER + d.uri))!;
          await s.writeAtomic(FOLDER + d.uri, [bytes.subarray(0, bytes.length - 7)]);
        }
      }],
      ['a crash within the first segment', async (s) => {
        const journal = (await text(s, RECORDING_JOURNAL)).split('\n').filter((l) => l.startsWith('{"t":"period"'));
        await s.writeAtomic(FOLDER + RECORDING_JOURNAL, `${journal.join('\n')}\n`);
      }],
    ];
    it.each(cases)('finalizing %s twice writes the same files', async (_what, damage) => {
      const f = await setUp(recorded);
      await damage(f.storage);
      const first = await f.finalize();
      const after1 = await snapshot(f.storage);
      await new Promise((r) => setTimeout(r, 5)); // a later wall clock must not change anything
      const second = await f.finalize();
      const after2 = await snapshot(f.storage);
      expect(second).toEqual(first);
      expect([...after2.keys()]).toEqual([...after1.keys()]);
      for (const [key, bytes] of after1) expect(after2.get(key)?.equals(bytes), `${key} changed on the second run`).toBe(true);
      expect(f.ready).toHaveLength(2);
    });
  });

  describe('(7) job errors', () => {
    it('an unknown recording is a PermanentJobError (no retry can help)', async () => {
      const f = await setUp(recorded);
      const unknown = newRecordingId(START, 'ffffff');
      await expect(f.finalize(unknown)).rejects.toBeInstanceOf(PermanentJobError);
      await expect(f.finalize(unknown)).rejects.toThrow(/does not exist/);
    });

    it('a recording still being written is a normal error (retried later), and nothing is written', async () => {
      const f = await setUp(recorded, (id) => id === REF.id);
      const err = await f.finalize().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err, 'must be retried, not failed for good').not.toBeInstanceOf(PermanentJobError);
      expect((err as Error).message).toMatch(/still being written/);
      expect(await f.storage.stat(FOLDER + VOD_MULTIVARIANT)).toBeUndefined();
      expect(f.catalog.get(REF.id)?.state).toBe('recording');
    });
  });
});

describe('exportRecordingMp4', () => {
  it('writes one progressive MP4 (ftyp, moov before mdat) and records its size', async () => {
    const f = await setUp(recorded);
    await f.finalize();
    const meta = await exportRecordingMp4({ storage: f.storage, catalog: f.catalog, logger: f.log.logger }, REF.id);
    const stat = await f.storage.stat(FOLDER + VOD_MP4);
    expect(stat, 'recording.mp4 written').toBeDefined();
    expect(meta?.mp4).toEqual({ state: 'ready', bytes: stat!.size });
    expect(f.catalog.get(REF.id)?.mp4.state).toBe('ready');
    const types = readBoxes((await f.storage.readAll(FOLDER + VOD_MP4))!).boxes.map((b) => b.type);
    expect(types[0]).toBe('ftyp');
    expect(types.indexOf('moov'), `boxes ${types.join(' ')}`).toBeGreaterThan(0);
    expect(types.indexOf('moov'), `boxes ${types.join(' ')}: moov comes before mdat`).toBeLessThan(types.indexOf('mdat'));
    expect(meta?.bytes, 'the recording size does not count the MP4').toBe(clean.meta.bytes);
  });

  it('refuses for good when a track has two init segments (a configuration change)', async () => {
    const f = await setUp(recorded);
    await f.finalize();
    const init = (await f.storage.list(FOLDER)).find((k) => /init-v-[0-9a-f]{8}\.mp4$/.test(k))!;
    await f.storage.write(`${FOLDER}init-v-deadbeef.mp4`, [(await f.storage.readAll(init))!]);
    const err = await exportRecordingMp4({ storage: f.storage, catalog: f.catalog, logger: f.log.logger }, REF.id).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentJobError);
    expect((err as Error).message).toMatch(/video configuration changed/);
    expect(await f.storage.stat(FOLDER + VOD_MP4)).toBeUndefined();
  });

  it('refuses for good a recording that is not ready or does not exist', async () => {
    const f = await setUp(recorded);
    await expect(exportRecordingMp4({ storage: f.storage, catalog: f.catalog, logger: f.log.logger }, REF.id)).rejects.toBeInstanceOf(PermanentJobError);
    await expect(exportRecordingMp4({ storage: f.storage, catalog: f.catalog, logger: f.log.logger }, newRecordingId(START, '000000'))).rejects.toBeInstanceOf(PermanentJobError);
  });
});

const PDT = '#EXT-X-PROGRAM-DATE-TIME:';
const withoutPdt = (playlist: string): string => playlist.split('\n').filter((l) => !l.startsWith(PDT)).join('\n');
const pdtsOf = (playlist: string): number[] => playlist.split('\n').filter((l) => l.startsWith(PDT)).map((l) => Date.parse(l.slice(PDT.length)));

/** The timescale of a track, from the journal's period. */
async function trackTimescale(storage: MemoryStorage, letter: 'v' | 'a'): Promise<number> {
  const journal = parseJournal(await text(storage, RECORDING_JOURNAL));
  return journal.recording.periods[0].tracks.find((t) => t.letter === letter)!.timescale;
}
