// What Onramp keeps about each recording (recording.json in its folder): identity, life-cycle state
// and, once finalized, its duration, size and codecs. Read back defensively: a file edited or torn
// by hand gives a clear error, never a crash.
import type { RecordingRef } from './recording-paths.js';
import { isRecordingId } from './recording-id.js';
import { checkStreamName } from '../streams/stream-names.js';

/** recording → (stopped) finalizing → ready; failed when finalizing cannot succeed. */
export const RECORDING_STATES = ['recording', 'finalizing', 'ready', 'failed'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];
export const MP4_STATES = ['off', 'pending', 'ready', 'failed'] as const;
export type Mp4State = (typeof MP4_STATES)[number];

export interface RecordingTrackSummary {
  readonly kind: 'video' | 'audio';
  readonly codec: string;
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: number;
  readonly sampleRate?: number;
  readonly channels?: number;
}

export interface RecordingMeta extends RecordingRef {
  readonly version: 1;
  readonly state: RecordingState;
  readonly startedAtMs: number;
  readonly endedAtMs: number | null;
  /** Media duration of the VOD (gaps of reconnects left out); 0 until finalized. */
  readonly durationSec: number;
  /** Bytes of its init segments and segments. */
  readonly bytes: number;
  readonly tracks: readonly RecordingTrackSummary[];
  /** Periods joined by discontinuities (publisher reconnects, codec changes). */
  readonly discontinuities: number;
  readonly mp4: { readonly state: Mp4State; readonly bytes: number };
  readonly error: string | null;
}

export function newRecordingMeta(ref: RecordingRef, startedAtMs: number, mp4: boolean): RecordingMeta {
  return {
    version: 1, id: ref.id, app: ref.app, name: ref.name, state: 'recording', startedAtMs, endedAtMs: null,
    durationSec: 0, bytes: 0, tracks: [], discontinuities: 0, mp4: { state: mp4 ? 'pending' : 'off', bytes: 0 }, error: null,
  };
}

export class RecordingMetaError extends Error {
  override readonly name = 'RecordingMetaError';
  constructor(readonly key: string, message: string) {
    super(`${key}: ${message}`);
  }
}

/** Parses recording.json; throws RecordingMetaError naming the key and the problem. */
export function parseRecordingMeta(key: string, text: string): RecordingMeta {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RecordingMetaError(key, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof value !== 'object' || value === null) throw new RecordingMetaError(key, 'not an object');
  const v = value as Record<string, unknown>;
  const str = (k: string): string => {
    if (typeof v[k] !== 'string') throw new RecordingMetaError(key, `${k} must be a string`);
    return v[k];
  };
  const num = (k: string): number => {
    if (typeof v[k] !== 'number' || !Number.isFinite(v[k]) || v[k] < 0) throw new RecordingMetaError(key, `${k} must be a number ≥ 0`);
    return v[k];
  };
  if (v.version !== 1) throw new RecordingMetaError(key, `unknown version ${JSON.stringify(v.version)}`);
  const id = str('id');
  if (!isRecordingId(id)) throw new RecordingMetaError(key, `bad id ${JSON.stringify(id)}`);
  const app = str('app');
  const name = str('name');
  const nameProblem = checkStreamName('app', app) ?? checkStreamName('stream', name);
  if (nameProblem !== undefined) throw new RecordingMetaError(key, nameProblem);
  const state = str('state');
  if (!(RECORDING_STATES as readonly string[]).includes(state)) throw new RecordingMetaError(key, `bad state ${JSON.stringify(state)}`);
  const mp4 = v.mp4 as Record<string, unknown> | undefined;
  const mp4State = typeof mp4?.state === 'string' && (MP4_STATES as readonly string[]).includes(mp4.state) ? (mp4.state as Mp4State) : 'off';
  const endedAtMs = v.endedAtMs === null || v.endedAtMs === undefined ? null : num('endedAtMs');
  return {
    version: 1, id, app, name, state: state as RecordingState, startedAtMs: num('startedAtMs'), endedAtMs,
    durationSec: num('durationSec'), bytes: num('bytes'),
    tracks: Array.isArray(v.tracks) ? (v.tracks as RecordingTrackSummary[]).filter((t) => typeof t === 'object' && t !== null && (t.kind === 'video' || t.kind === 'audio')) : [],
    discontinuities: typeof v.discontinuities === 'number' ? v.discontinuities : 0,
    mp4: { state: mp4State, bytes: typeof mp4?.bytes === 'number' ? mp4.bytes : 0 },
    error: typeof v.error === 'string' ? v.error : null,
  };
}
