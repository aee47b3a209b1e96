// Where a recording lives in storage and on the origin: vod/{app}/{name}/{id}/ for both, so the
// URL path is the storage key. 'vod' is a reserved app name, so a live stream never lands there.
export const VOD_ROOT = 'vod';
export const RECORDING_META = 'recording.json';
export const RECORDING_JOURNAL = 'journal.jsonl';

export interface RecordingRef {
  readonly id: string;
  readonly app: string;
  readonly name: string;
}

/** "vod/live/mystream/20261122-101500-3fa9c2/" */
export function recordingFolder(r: RecordingRef): string {
  return `${VOD_ROOT}/${r.app}/${r.name}/${r.id}/`;
}

/** The URL path of a file of the recording on this origin. */
export function recordingUrlPath(r: RecordingRef, file: string): string {
  return `/${recordingFolder(r)}${file}`;
}

/** Media files of a recording: segments (v-<ticks>.m4s / a-<ticks>.m4s) and init segments
 *  (init-v-<crc>.mp4), named as CmafPackager names them. */
export const RECORDED_SEGMENT = /^(?<letter>[va])-(?<ticks>\d{1,20})\.m4s$/;
export const RECORDED_INIT = /^init-(?<initLetter>[va])-[0-9a-f]{8}\.mp4$/;
