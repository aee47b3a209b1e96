// A LiveMpd from the live window and the stream's fixed settings (ISO/IEC 23009-1 §5.3.1.2, §5.3.2.1, §5.4; DASH-IF IOP 4.4, 4.6.4).
import { ProtocolError } from '../../core/errors.js';
import type { DashTimeline } from './dash-live-window.js';
import type { DashPeriod, DashRepresentation, LiveMpd } from './mpd-model.js';

/** A Representation without its segments: those come from the timeline. */
export interface DashTrackDescription extends Omit<DashRepresentation, 'segments' | 'presentationTimeOffset'> {
  /** DashTimeline key of its segments; default the Representation id ('v' / 'a'). With several
   *  Periods give each Period's Representations their own key, e.g. 'p1/v'. */
  readonly timelineKey?: string;
}

export interface DashPeriodDescription {
  readonly id: string;
  readonly startSec: number;
  readonly representations: readonly DashTrackDescription[];
}

/** Per-stream settings, the same for every update. */
export interface DashLiveSettings {
  readonly minimumUpdatePeriodSec: number;
  readonly timeShiftBufferDepthSec: number;
  readonly suggestedPresentationDelaySec: number;
  readonly minBufferTimeSec: number;
  /** The bound promised for every segment; raised to the longest segment in the window if needed. */
  readonly maxSegmentDurationSec: number;
  readonly utcTimingUrl: string;
  readonly profiles?: string;
}

export interface LiveMpdInput {
  readonly settings: DashLiveSettings;
  readonly periods: readonly DashPeriodDescription[];
  readonly publishTimeMs: number;
  /** The stream has ended: write the final static MPD. */
  readonly ended?: boolean;
}

function representation(timeline: DashTimeline, p: DashPeriodDescription, d: DashTrackDescription): DashRepresentation | undefined {
  const key = d.timelineKey ?? d.id;
  if (timeline.timescale(key) !== d.timescale) {
    throw new ProtocolError(`Period ${p.id} Representation ${d.id}: timescale ${d.timescale} differs from timeline ${key}'s`);
  }
  const segments = timeline.segments(key);
  if (segments.length === 0) return undefined;
  const { timelineKey: _unused, ...rest } = d;
  // Media times run on one clock from availabilityStartTime, so the Period start maps to media time startSec × timescale.
  const pto = Math.round(p.startSec * d.timescale);
  return { ...rest, segments: [...segments], ...(pto > 0 ? { presentationTimeOffset: pto } : {}) };
}

/**
 * Dynamic while live; the final static MPD once ended (mediaPresentationDuration = newest segment
 * end). availabilityStartTime always comes from the timeline, whose state a successor restores, so
 * it cannot move between updates. Representations with no segment in the window are left out, and
 * Periods left with none are dropped (their content slid out of the time-shift buffer).
 */
export function buildLiveMpd(timeline: DashTimeline, input: LiveMpdInput): LiveMpd {
  const { settings, ended = false } = input;
  const keys = new Set<string>();
  for (const p of input.periods) {
    for (const d of p.representations) {
      const key = d.timelineKey ?? d.id;
      if (keys.has(key)) throw new ProtocolError(`timeline key ${key} is used by two Representations; give each Period its own`);
      keys.add(key);
    }
  }
  const periods: DashPeriod[] = [];
  for (const p of input.periods) {
    const representations = p.representations.flatMap((d) => representation(timeline, p, d) ?? []);
    if (representations.length > 0) periods.push({ id: p.id, startSec: p.startSec, representations });
  }
  const newestEndSec = timeline.newestEndSec();
  if (periods.length === 0 || newestEndSec === undefined) throw new ProtocolError('no segment in the window yet: nothing to describe');
  return {
    type: ended ? 'static' : 'dynamic',
    availabilityStartTimeMs: timeline.availabilityStartTimeMs,
    publishTimeMs: input.publishTimeMs,
    minimumUpdatePeriodSec: settings.minimumUpdatePeriodSec,
    timeShiftBufferDepthSec: settings.timeShiftBufferDepthSec,
    suggestedPresentationDelaySec: settings.suggestedPresentationDelaySec,
    minBufferTimeSec: settings.minBufferTimeSec,
    maxSegmentDurationSec: Math.max(settings.maxSegmentDurationSec, timeline.longestSegmentSec()),
    utcTimingUrl: settings.utcTimingUrl,
    ...(ended ? { mediaPresentationDurationSec: newestEndSec } : {}),
    periods,
    ...(settings.profiles === undefined ? {} : { profiles: settings.profiles }),
  };
}
