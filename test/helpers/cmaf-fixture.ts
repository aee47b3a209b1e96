// Runs the real ingest and CMAF stages over a fixture (FLV tags → track builder → track-set gate →
// CMAF packager), as a recording does, so tests get genuine init segments and fragments.
import { TrackBuilder } from '../../pipeline/ingest/track-builder.js';
import { TrackSetGate, type GateOutput } from '../../pipeline/ingest/track-set-gate.js';
import { CmafPackager, type CmafEvent } from '../../pipeline/packaging/cmaf-packager.js';
import type { FlvRecord } from '../../pipeline/flv/index.js';
import { FIXTURE_H264_AAC, referenceFlvRecords } from './fixtures.js';

export interface CmafFixtureOptions {
  /** How many times the fixture is played; from the second pass on, a reconnect (discontinuity) precedes it. */
  readonly passes?: number;
  /** Wall-clock gap between passes (the publisher was away), in ms. */
  readonly gapMs?: number;
  readonly partTargetSec?: number;
  readonly targetDurationSec?: number;
  /** Leave out a track: 'audio' gives video-only, 'video' audio-only. */
  readonly drop?: 'audio' | 'video';
  readonly input?: string;
}

/** Every CMAF event of the fixture, in order; the wall clock starts at 2026-01-01 and follows media time. */
export async function cmafEventsOfFixture(opts: CmafFixtureOptions = {}): Promise<CmafEvent[]> {
  const records = await referenceFlvRecords(opts.input ?? FIXTURE_H264_AAC);
  return cmafEventsOfRecords(records, opts);
}

export function cmafEventsOfRecords(records: readonly FlvRecord[], opts: CmafFixtureOptions = {}): CmafEvent[] {
  const packager = new CmafPackager({
    targetDurationSec: opts.targetDurationSec ?? 2,
    partTargetSec: opts.partTargetSec ?? 0.5,
    firstSequence: 1,
  });
  const out: CmafEvent[] = [];
  let clock = Date.UTC(2026, 0, 1);
  const lastTs = records.reduce((m, r) => Math.max(m, r.timestampMs), 0);
  for (let pass = 0; pass < (opts.passes ?? 1); pass++) {
    if (pass > 0) {
      packager.discontinuity();
      clock += lastTs + (opts.gapMs ?? 3000);
    }
    const builder = new TrackBuilder();
    const gate = new TrackSetGate({ probeSec: 1 });
    const start = clock;
    const apply = (outputs: GateOutput[], now: number): void => {
      for (const o of outputs) {
        if (o.type === 'tracks') out.push(...packager.setTracks(o.tracks, now));
        else if (o.type === 'sample') out.push(...packager.push(o.sample, now));
      }
    };
    for (const r of records) {
      const now = start + r.timestampMs;
      if (r.tagType === 8 && opts.drop === 'audio') continue;
      if (r.tagType === 9 && opts.drop === 'video') continue;
      if (r.tagType !== 8 && r.tagType !== 9) continue;
      for (const ev of builder.push(r.tagType, r.timestampMs, r.body)) {
        if (ev.type === 'track') apply(gate.track(ev.track), now);
        else if (ev.type === 'sample') apply(gate.sample(ev.sample), now);
      }
    }
    apply(gate.flush(), start + lastTs);
    out.push(...packager.flush(start + lastTs));
  }
  return out;
}
