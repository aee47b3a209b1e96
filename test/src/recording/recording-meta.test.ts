// recording.json: parseRecordingMeta reads back what newRecordingMeta (and a finalized recording)
// write, and refuses anything else with a RecordingMetaError that names the file and the problem,
// never another exception, whatever JSON it is given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRecordingMeta, parseRecordingMeta, RecordingMetaError, type RecordingMeta } from '../../../src/recording/recording-meta.js';

const KEY = 'vod/live/show/20260101-000000-abcdef/recording.json';
const REF = { id: '20260101-000000-abcdef', app: 'live', name: 'show' };
const STARTED = Date.UTC(2026, 0, 1);

const READY: RecordingMeta = {
  ...newRecordingMeta(REF, STARTED, true),
  state: 'ready', endedAtMs: STARTED + 3000, durationSec: 3.008, bytes: 123_456, discontinuities: 1,
  tracks: [{ kind: 'video', codec: 'avc1.64001f', width: 1280, height: 720, frameRate: 30 }, { kind: 'audio', codec: 'mp4a.40.2', sampleRate: 48_000, channels: 2 }],
  mp4: { state: 'ready', bytes: 120_000 },
};

/** The JSON of READY with some keys changed (undefined deletes a key). */
function variant(changes: Record<string, unknown>): string {
  const o: Record<string, unknown> = { ...READY };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete o[k];
    else o[k] = v;
  }
  return JSON.stringify(o);
}

/** The RecordingMetaError parseRecordingMeta throws for `text` (fails the test if it returns or throws something else). */
function refusal(text: string): RecordingMetaError {
  try {
    parseRecordingMeta(KEY, text);
  } catch (err) {
    expect(err, `thrown for ${text.slice(0, 80)}`).toBeInstanceOf(RecordingMetaError);
    return err as RecordingMetaError;
  }
  throw new Error(`parseRecordingMeta accepted ${text.slice(0, 200)}`);
}

describe('parseRecordingMeta accepts what Onramp writes', () => {
  it('round-trips newRecordingMeta, with and without MP4', () => {
    for (const mp4 of [true, false]) {
      const meta = newRecordingMeta(REF, STARTED, mp4);
      expect(meta.state).toBe('recording');
      expect(meta.mp4).toEqual({ state: mp4 ? 'pending' : 'off', bytes: 0 });
      expect(parseRecordingMeta(KEY, JSON.stringify(meta))).toEqual(meta);
      expect(parseRecordingMeta(KEY, `${JSON.stringify(meta, null, 2)}\n`), 'as the catalog writes it').toEqual(meta);
    }
  });

  it('round-trips a finalized recording with tracks', () => {
    expect(parseRecordingMeta(KEY, JSON.stringify(READY))).toEqual(READY);
  });

  it('round-trips a failed one with its error', () => {
    const failed: RecordingMeta = { ...READY, state: 'failed', error: 'the recording holds no media', mp4: { state: 'failed', bytes: 0 } };
    expect(parseRecordingMeta(KEY, JSON.stringify(failed))).toEqual(failed);
  });

  it('fills in what an older or hand-written file leaves out', () => {
    const meta = parseRecordingMeta(KEY, variant({ tracks: undefined, discontinuities: undefined, mp4: undefined, error: undefined, endedAtMs: undefined }));
    expect(meta).toMatchObject({ tracks: [], discontinuities: 0, mp4: { state: 'off', bytes: 0 }, error: null, endedAtMs: null });
  });

  it('drops track entries that are not tracks, and an unknown MP4 state becomes off', () => {
    const meta = parseRecordingMeta(KEY, variant({ tracks: [null, 3, 'video', { kind: 'subtitles' }, READY.tracks[0]], mp4: { state: 'exploded', bytes: 5 } }));
    expect(meta.tracks).toEqual([READY.tracks[0]]);
    expect(meta.mp4.state).toBe('off');
  });
});

describe('parseRecordingMeta refuses, naming the key and the problem', () => {
  const cases: readonly (readonly [string, string, RegExp])[] = [
    ['not JSON', '{"version": 1, "id": ', /not JSON/],
    ['empty file', '', /not JSON/],
    ['JSON null', 'null', /not an object/],
    ['a JSON string', '"recording"', /not an object/],
    ['no version', variant({ version: undefined }), /unknown version undefined/],
    ['version 2', variant({ version: 2 }), /unknown version 2/],
    ['version "1"', variant({ version: '1' }), /unknown version "1"/],
    ['a numeric id', variant({ id: 20260101 }), /id must be a string/],
    ['a bad id', variant({ id: '2026-01-01' }), /bad id "2026-01-01"/],
    ['an id with a traversal', variant({ id: '../../etc' }), /bad id/],
    ['app ".."', variant({ app: '..' }), /app name "\.\." is not allowed/],
    ['app "a/b"', variant({ app: 'a/b' }), /app name "a\/b" is not allowed/],
    ['the reserved app "vod"', variant({ app: 'vod' }), /reserved/],
    ['name ".."', variant({ name: '..' }), /stream name "\.\." is not allowed/],
    ['name "a/b"', variant({ name: 'a/b' }), /stream name "a\/b" is not allowed/],
    ['name with a backslash', variant({ name: 'a\\b' }), /stream name .* is not allowed/],
    ['an empty name', variant({ name: '' }), /stream name is empty/],
    ['no name', variant({ name: undefined }), /name must be a string/],
    ['a bad state', variant({ state: 'done' }), /bad state "done"/],
    ['no state', variant({ state: undefined }), /state must be a string/],
    ['a negative start', variant({ startedAtMs: -1 }), /startedAtMs must be a number ≥ 0/],
    ['a start as a string', variant({ startedAtMs: '2026' }), /startedAtMs must be a number ≥ 0/],
    ['a negative end', variant({ endedAtMs: -5 }), /endedAtMs must be a number ≥ 0/],
    ['a negative duration', variant({ durationSec: -0.5 }), /durationSec must be a number ≥ 0/],
    ['a negative size', variant({ bytes: -1 }), /bytes must be a number ≥ 0/],
    ['no size', variant({ bytes: undefined }), /bytes must be a number ≥ 0/],
  ];
  it.each(cases)('%s', (_what, text, problem) => {
    const err = refusal(text);
    expect(err.key).toBe(KEY);
    expect(err.name).toBe('RecordingMetaError');
    expect(err.message.startsWith(`${KEY}: `), `message "${err.message}" starts with the key`).toBe(true);
    expect(err.message).toMatch(problem);
  });
});

describe('parseRecordingMeta on arbitrary JSON (property)', () => {
  /** Parses `text`; anything but a RecordingMeta or a RecordingMetaError fails. */
  function parseOrRefuse(text: string): RecordingMeta | undefined {
    try {
      return parseRecordingMeta(KEY, text);
    } catch (err) {
      if (err instanceof RecordingMetaError) return undefined;
      throw err;
    }
  }

  it('throws only RecordingMetaError on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
      parseOrRefuse(JSON.stringify(v));
    }), { numRuns: 300 });
  });

  it('throws only RecordingMetaError when any field of a good file is replaced, and what it accepts reads back the same', () => {
    const keys = [...Object.keys(READY), '__proto__', 'constructor'];
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1.5, '..', 'a/b', 'ready', 'recording', null, [], {}));
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }), (changes) => {
      const o: Record<string, unknown> = { ...READY };
      for (const [k, v] of Object.entries(changes)) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      const meta = parseOrRefuse(JSON.stringify(o));
      if (meta === undefined) return;
      // What is accepted is valid, and writing it back changes nothing.
      if (parseOrRefuse(JSON.stringify(meta)) === undefined) throw new Error(`accepted, but its own output is refused: ${JSON.stringify(meta)}`);
      expect(parseRecordingMeta(KEY, JSON.stringify(meta))).toEqual(meta);
    }), { numRuns: 300 });
  });
});
