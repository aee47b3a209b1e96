// The journal of a recording in progress (journal.jsonl): one JSON line per event, appended as it
// happens. A period line lists the tracks (at the start, after a codec change); a segment line is
// written once a segment's last fragment is on storage; an end line when the recording stops.
// After a crash the journal says what is complete; the segment in progress is found on storage.
import type { TrackInfo } from '../../pipeline/ingest/media-types.js';
import type { TrackLetter } from '../../pipeline/packaging/cmaf-packager.js';
import type { VodRecording, VodSegment, VodTrack } from '../../pipeline/packaging/vod-model.js';

export type JournalLine =
  | { readonly t: 'period'; readonly tracks: readonly VodTrack[] }
  | {
      readonly t: 'segment';
      readonly letter: TrackLetter;
      readonly uri: string;
      readonly start: number;
      readonly duration: number;
      readonly bytes: number;
      readonly pdt: number;
      /** The first segment after a reconnect. */
      readonly disc: boolean;
    }
  | { readonly t: 'end'; readonly atMs: number };

export function journalLine(line: JournalLine): string {
  return `${JSON.stringify(line)}\n`;
}

export function vodTrackOf(track: TrackInfo, letter: TrackLetter, init: string): VodTrack {
  if (track.kind === 'video') {
    return { letter, kind: 'video', codecString: track.codecString, timescale: track.timescale, init, width: track.width, height: track.height, ...(track.frameRate !== undefined ? { frameRate: track.frameRate } : {}) };
  }
  return { letter, kind: 'audio', codecString: track.codecString, timescale: track.timescale, init, sampleRate: track.sampleRate, channels: track.channels };
}

export interface ParsedJournal {
  readonly recording: VodRecording;
  readonly endedAtMs: number | undefined;
  /** Lines that were not understood (a torn last line after a crash is normal). */
  readonly badLines: number;
}

interface OpenPeriod {
  tracks: readonly VodTrack[];
  segments: VodSegment[];
}

/** Rebuilds the recording's periods from the journal text; never throws on bad content. */
export function parseJournal(text: string): ParsedJournal {
  const periods: OpenPeriod[] = [];
  let endedAtMs: number | undefined;
  let badLines = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const line = parseLine(raw);
    if (line === undefined) {
      badLines++;
      continue;
    }
    if (line.t === 'period') {
      periods.push({ tracks: line.tracks, segments: [] });
    } else if (line.t === 'segment') {
      let current = periods[periods.length - 1];
      if (current === undefined || !current.tracks.some((t) => t.letter === line.letter)) {
        badLines++;
        continue;
      }
      // A reconnect starts a new period, once: the other track's first segment after it joins it.
      if (line.disc && current.segments.some((s) => s.letter === line.letter)) {
        current = { tracks: current.tracks, segments: [] };
        periods.push(current);
      }
      current.segments.push({ letter: line.letter, uri: line.uri, startTicks: line.start, durationTicks: line.duration, bytes: line.bytes, programDateTimeMs: line.pdt });
    } else {
      endedAtMs = line.atMs;
    }
  }
  return { recording: { periods }, endedAtMs, badLines };
}

function parseLine(raw: string): JournalLine | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const int = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (o.t === 'period' && Array.isArray(o.tracks) && o.tracks.every(isVodTrack)) return { t: 'period', tracks: o.tracks };
  if (o.t === 'segment' && (o.letter === 'v' || o.letter === 'a') && typeof o.uri === 'string' && int(o.start) && int(o.duration) && int(o.bytes) && typeof o.pdt === 'number') {
    return { t: 'segment', letter: o.letter, uri: o.uri, start: o.start, duration: o.duration, bytes: o.bytes, pdt: o.pdt, disc: o.disc === true };
  }
  if (o.t === 'end' && typeof o.atMs === 'number') return { t: 'end', atMs: o.atMs };
  return undefined;
}

function isVodTrack(x: unknown): x is VodTrack {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Record<string, unknown>;
  return (t.letter === 'v' || t.letter === 'a') && (t.kind === 'video' || t.kind === 'audio') && typeof t.codecString === 'string'
    && typeof t.timescale === 'number' && t.timescale > 0 && typeof t.init === 'string';
}

