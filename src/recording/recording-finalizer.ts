// The finalize-recording job: turns a stopped (or crashed) recording's CMAF files into a VOD.
// The journal lists the finished segments; segment files it does not list are the ones in progress
// at a crash: their whole fragments are kept, a torn tail is cut off. Then the HLS playlists and
// the static MPD are written, the metadata says 'ready', and the MP4 export and webhook follow.
// Idempotent: running it again on a finalized recording writes the same files.
import { isPipelineError } from '../../pipeline/core/errors.js';
import { readFragments } from '../../pipeline/fmp4/fragment-reader.js';
import type { VodPeriod, VodRecording, VodSegment } from '../../pipeline/packaging/vod-model.js';
import { VOD_MPD, VOD_MULTIVARIANT } from '../../pipeline/packaging/vod-model.js';
import { buildVodManifests } from '../../pipeline/packaging/vod-manifests.js';
import { PermanentJobError } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import type { MediaStorage } from '../storage/media-storage.js';
import type { RecordingCatalog } from './recording-catalog.js';
import { parseJournal } from './recording-journal.js';
import type { RecordingMeta, RecordingTrackSummary } from './recording-meta.js';
import { RECORDED_SEGMENT, RECORDING_JOURNAL, recordingFolder } from './recording-paths.js';

export interface FinalizeDeps {
  readonly storage: MediaStorage;
  readonly catalog: RecordingCatalog;
  readonly logger: Logger;
  /** Called once the VOD is ready (MP4 export job, webhook). */
  readonly onReady: (meta: RecordingMeta) => void;
  /** True while this process is still writing the recording (then finalizing must wait). */
  readonly isActive: (id: string) => boolean;
}

export async function finalizeRecording(deps: FinalizeDeps, recordingId: string): Promise<void> {
  const meta = await deps.catalog.find(recordingId);
  if (meta === undefined) throw new PermanentJobError(`recording ${recordingId} does not exist (deleted?)`);
  if (deps.isActive(recordingId)) throw new Error(`recording ${recordingId} is still being written`);
  const log = deps.logger.child({ component: 'recording', recording: meta.id, stream: `${meta.app}/${meta.name}` });
  const folder = recordingFolder(meta);
  const journalBytes = await deps.storage.readAll(folder + RECORDING_JOURNAL);
  const journal = parseJournal(journalBytes === undefined ? '' : Buffer.from(journalBytes).toString('utf8'));
  if (journal.badLines > 1) log.warn({ badLines: journal.badLines }, 'recording journal has unreadable lines; they were skipped');
  const recording = await withUnjournaledSegments(deps.storage, folder, journal.recording, log);
  const segments = recording.periods.flatMap((p) => p.segments);
  if (segments.length === 0) {
    await deps.catalog.update(meta.id, (m) => ({ ...m, state: 'failed', error: 'the recording holds no media', mp4: { state: m.mp4.state === 'off' ? 'off' : 'failed', bytes: 0 } }));
    log.warn('recording holds no media; marked failed');
    return;
  }
  const manifests = buildVodManifests(recording);
  for (const p of manifests.mediaPlaylists) await deps.storage.writeAtomic(folder + p.name, p.text);
  await deps.storage.writeAtomic(folder + VOD_MPD, manifests.mpd);
  await deps.storage.writeAtomic(folder + VOD_MULTIVARIANT, manifests.multivariant);
  const inits = new Set(recording.periods.flatMap((p) => p.tracks.map((t) => t.init)));
  let bytes = segments.reduce((n, s) => n + s.bytes, 0);
  for (const init of inits) bytes += (await deps.storage.stat(folder + init))?.size ?? 0;
  const last = segments.reduce((a, b) => (b.programDateTimeMs > a.programDateTimeMs ? b : a));
  const lastTrack = recording.periods.flatMap((p) => p.tracks).find((t) => t.letter === last.letter);
  const endedAtMs = meta.endedAtMs ?? journal.endedAtMs ?? last.programDateTimeMs + (lastTrack ? (last.durationTicks / lastTrack.timescale) * 1000 : 0);
  const ready = await deps.catalog.update(meta.id, (m) => ({
    ...m,
    state: 'ready',
    endedAtMs,
    durationSec: Math.round(manifests.durationSec * 1000) / 1000,
    bytes,
    tracks: trackSummaries(recording.periods),
    discontinuities: recording.periods.filter((p) => p.segments.length > 0).length - 1,
    error: null,
  }));
  log.info({ durationSec: manifests.durationSec, bytes }, 'recording finalized');
  if (ready !== undefined) deps.onReady(ready);
}

/** Adds the segment files the journal does not list (in progress at a crash), cut to whole fragments. */
async function withUnjournaledSegments(storage: MediaStorage, folder: string, rec: VodRecording, log: Logger): Promise<VodRecording> {
  const known = new Set(rec.periods.flatMap((p) => p.segments.map((s) => s.uri)));
  const present = (await storage.list(folder)).map((key) => key.slice(folder.length));
  const files = present
    .map((name) => ({ name, match: RECORDED_SEGMENT.exec(name) }))
    .filter((f) => f.match !== null && !known.has(f.name))
    .sort((a, b) => Number(a.match?.groups?.ticks) - Number(b.match?.groups?.ticks));
  const periods = rec.periods.map((p) => ({ tracks: p.tracks, segments: [...p.segments] }));
  // Journaled segments whose file is gone cannot be played: leave them out.
  const presentNames = new Set(present);
  for (const p of periods) {
    const before = p.segments.length;
    p.segments = p.segments.filter((s) => presentNames.has(s.uri));
    if (p.segments.length < before) log.warn({ missing: before - p.segments.length }, 'segments listed in the journal are missing on storage; left out');
  }
  const current = periods[periods.length - 1];
  if (files.length > 0 && current === undefined) {
    log.warn({ files: files.length }, 'segment files without a journal period are ignored');
    return { periods };
  }
  for (const f of files) {
    const letter = f.match?.groups?.letter as 'v' | 'a';
    const track = current.tracks.find((t) => t.letter === letter);
    const bytes = await storage.readAll(folder + f.name);
    if (track === undefined || bytes === undefined) continue;
    let scan;
    try {
      scan = readFragments(bytes);
    } catch (err) {
      if (!isPipelineError(err)) throw err;
      // Deleted like a file torn before its first fragment ended: kept, it would be counted in no
      // size and would make the MP4 export (which reads every segment file) fail for good.
      log.warn({ file: f.name, err: err.message }, 'unreadable segment file left out and deleted');
      await storage.delete(folder + f.name);
      continue;
    }
    if (scan.completeBytes < bytes.length) {
      log.info({ file: f.name, kept: scan.completeBytes, cut: bytes.length - scan.completeBytes }, 'segment in progress at a crash: torn tail cut off');
      if (scan.completeBytes === 0) {
        await storage.delete(folder + f.name);
        continue;
      }
      await storage.writeAtomic(folder + f.name, [bytes.subarray(0, scan.completeBytes)]);
    }
    if (scan.fragments.length === 0) continue;
    const start = scan.fragments[0].baseMediaDecodeTime;
    const lastFragment = scan.fragments[scan.fragments.length - 1];
    const end = lastFragment.baseMediaDecodeTime + lastFragment.samples.reduce((n, s) => n + s.duration, 0);
    current.segments.push({ letter, uri: f.name, startTicks: start, durationTicks: end - start, bytes: scan.completeBytes, programDateTimeMs: pdtOfTicks(start, track.timescale) });
  }
  return { periods };
}

/** The wall-clock time of a segment the journal missed: its media time, since a recording's
 *  timeline starts at the Unix epoch (CmafPackager's OutputTimeline with epochOrigin), so output
 *  seconds are wall-clock seconds. Exact, and the same on every run (finalizing is idempotent). */
function pdtOfTicks(startTicks: number, timescale: number): number {
  return Math.round((startTicks / timescale) * 1000);
}

function trackSummaries(periods: readonly VodPeriod[]): RecordingTrackSummary[] {
  const last = [...periods].reverse().find((p) => p.segments.length > 0) ?? periods[periods.length - 1];
  return (last?.tracks ?? []).map((t) => t.kind === 'video'
    ? { kind: 'video', codec: t.codecString, width: t.width, height: t.height, frameRate: t.frameRate }
    : { kind: 'audio', codec: t.codecString, sampleRate: t.sampleRate, channels: t.channels });
}
