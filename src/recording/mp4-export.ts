// The export-mp4 job: one progressive MP4 of a finished recording (ftyp, moov, then mdat), so it
// starts playing before it is fully downloaded. Two passes over the segment files: the first reads
// only their sample tables (the moov must be complete before any media byte), the second streams
// their sample data into the file, which is published whole (temp name, then rename). Memory holds
// sample tables, never the media. Idempotent: a second run writes the same file again.
import { isPipelineError } from '../../pipeline/core/errors.js';
import { readFragments } from '../../pipeline/fmp4/fragment-reader.js';
import { readInitSegment, trackDefaultsOf, type InitTrack } from '../../pipeline/fmp4/init-segment-reader.js';
import { planProgressiveMp4, type FragmentTables, type ProgressiveMp4Track } from '../../pipeline/mp4/progressive-mp4.js';
import { VOD_MP4 } from '../../pipeline/packaging/vod-model.js';
import { PermanentJobError } from '../jobs/job-types.js';
import type { Logger } from '../logging/logger.js';
import type { MediaStorage } from '../storage/media-storage.js';
import type { RecordingCatalog } from './recording-catalog.js';
import type { RecordingMeta } from './recording-meta.js';
import { RECORDED_INIT, RECORDED_SEGMENT, recordingFolder } from './recording-paths.js';

export interface Mp4ExportDeps {
  readonly storage: MediaStorage;
  readonly catalog: RecordingCatalog;
  readonly logger: Logger;
}

/** Where a fragment's sample data lies. */
interface DataRef {
  readonly key: string;
  readonly offset: number;
  readonly length: number;
}

export async function exportRecordingMp4(deps: Mp4ExportDeps, recordingId: string): Promise<RecordingMeta | undefined> {
  const meta = await deps.catalog.find(recordingId);
  if (meta === undefined) throw new PermanentJobError(`recording ${recordingId} does not exist (deleted?)`);
  if (meta.state !== 'ready') throw new PermanentJobError(`recording ${recordingId} is ${meta.state}, not ready`);
  const log = deps.logger.child({ component: 'mp4-export', recording: meta.id, stream: `${meta.app}/${meta.name}` });
  const folder = recordingFolder(meta);
  const names = (await deps.storage.list(folder)).map((k) => k.slice(folder.length));
  const tracks: ProgressiveMp4Track[] = [];
  const refs = new Map<number, DataRef[]>();
  for (const letter of ['v', 'a'] as const) {
    const inits = names.filter((n) => RECORDED_INIT.exec(n)?.groups?.initLetter === letter);
    const segments = names
      .map((n) => RECORDED_SEGMENT.exec(n))
      .filter((m): m is RegExpExecArray => m?.groups?.letter === letter)
      .sort((a, b) => Number(a.groups?.ticks) - Number(b.groups?.ticks))
      .map((m) => m[0]);
    if (segments.length === 0) continue;
    if (inits.length !== 1) {
      throw new PermanentJobError(`the ${letter === 'v' ? 'video' : 'audio'} configuration changed during the recording (${inits.length} init segments); one MP4 holds one configuration per track`);
    }
    const initBytes = await deps.storage.readAll(folder + inits[0]);
    if (initBytes === undefined) throw new Error(`${folder}${inits[0]} disappeared`);
    const init = readInitSegment(initBytes);
    const track: InitTrack = init.tracks[0];
    const fragments: FragmentTables[] = [];
    const dataRefs: DataRef[] = [];
    for (const name of segments) {
      const bytes = await deps.storage.readAll(folder + name);
      if (bytes === undefined) throw new Error(`${folder}${name} disappeared`);
      try {
        for (const f of readFragments(bytes, { trackDefaults: trackDefaultsOf(init) }).fragments) {
          if (f.trackId !== track.trackId) continue;
          fragments.push({ baseMediaDecodeTime: f.baseMediaDecodeTime, samples: f.samples, dataBytes: f.dataBytes });
          dataRefs.push({ key: folder + name, offset: f.dataOffset, length: f.dataBytes });
        }
      } catch (err) {
        if (!isPipelineError(err)) throw err;
        throw new PermanentJobError(`${name} cannot be read: ${err.message}`, { cause: err });
      }
    }
    tracks.push({ track, fragments });
    refs.set(track.trackId, dataRefs);
  }
  if (tracks.length === 0) throw new PermanentJobError(`recording ${recordingId} has no segments`);
  const plan = planProgressiveMp4({ tracks });
  const storage = deps.storage;
  async function* fileBytes(): AsyncGenerator<Uint8Array> {
    yield plan.header;
    // Chunks of one track follow its segment files in order: keep the file being read per track.
    const open = new Map<number, { key: string; bytes: Uint8Array }>();
    for (const chunk of plan.chunks) {
      const ref = refs.get(chunk.trackId)?.[chunk.fragmentIndex];
      if (ref === undefined) throw new Error(`no data for track ${chunk.trackId} fragment ${chunk.fragmentIndex}`);
      let file = open.get(chunk.trackId);
      if (file?.key !== ref.key) {
        const bytes = await storage.readAll(ref.key);
        if (bytes === undefined) throw new Error(`${ref.key} disappeared during the export`);
        file = { key: ref.key, bytes };
        open.set(chunk.trackId, file);
      }
      yield file.bytes.subarray(ref.offset, ref.offset + ref.length);
    }
  }
  const written = await storage.writeStream(folder + VOD_MP4, fileBytes());
  if (written.size !== plan.fileBytes) throw new Error(`MP4 export wrote ${written.size} bytes, planned ${plan.fileBytes}`);
  log.info({ bytes: written.size, durationSec: plan.durationSec, gapsRemovedSec: plan.removedGapSec }, 'MP4 exported');
  return deps.catalog.update(meta.id, (m) => ({ ...m, mp4: { state: 'ready', bytes: written.size } }));
}
