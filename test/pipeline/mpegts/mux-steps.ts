// Drives a TsMuxer through a script of segment starts and samples, returning the whole stream.
import type { TrackInfo } from '../../../pipeline/ingest/media-types.js';
import type { TsMuxer } from '../../../pipeline/mpegts/index.js';
import { concat } from '../../helpers/ts-inspect.js';
import { sample } from './synthetic-tracks.js';

export interface SampleStep {
  readonly track: TrackInfo;
  readonly dts: number;
  readonly pts: number;
  readonly keyframe: boolean;
  readonly payload: readonly Uint8Array[];
}

export type Step = 'tables' | SampleStep;

export function muxSteps(muxer: TsMuxer, steps: readonly Step[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const step of steps) {
    if (step === 'tables') parts.push(muxer.tables());
    else parts.push(...muxer.writeSample(step.track, sample(step.track, step.dts, step.pts, step.keyframe, step.payload), step.payload));
  }
  return concat(parts);
}
