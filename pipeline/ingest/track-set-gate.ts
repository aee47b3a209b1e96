// Settles which tracks a stream has before packaging starts, so the PMT and init segments list
// only real tracks (FIELD-NOTES pain point 2: audio-only and video-only streams must play).
// Samples wait here until the set is settled: when every expected track has its configuration,
// or when `probeSec` of media time has passed with what has arrived.
import type { Sample, TrackInfo } from './media-types.js';

export interface TrackSetGateOptions {
  /** Media time to wait for a track that has not shown its configuration. */
  readonly probeSec: number;
}

export type GateOutput =
  /** The set is settled (or its configuration changed): package these tracks from now on. */
  | { readonly type: 'tracks'; readonly tracks: readonly TrackInfo[] }
  | { readonly type: 'sample'; readonly sample: Sample }
  /** A track appeared after the set was settled; it is ignored until the publisher reconnects. */
  | { readonly type: 'lateTrack'; readonly track: TrackInfo };

type GatePhase = 'probing' | 'settled';

/** Samples held while probing; beyond this the set is settled with what is known. */
const MAX_HELD_SAMPLES = 2000;

export class TrackSetGate {
  private phase: GatePhase = 'probing';
  private readonly tracks = new Map<'audio' | 'video', TrackInfo>();
  private settledKinds = new Set<'audio' | 'video'>();
  private held: Sample[] = [];
  private expected: { audio: boolean; video: boolean } | undefined;
  private reportedLate = new Set<string>();

  constructor(private readonly opts: TrackSetGateOptions) {}

  /** What the publisher's onMetaData announced (videocodecid / audiocodecid present). */
  expect(kinds: { audio: boolean; video: boolean }): GateOutput[] {
    this.expected = kinds;
    return this.phase === 'probing' && this.allExpectedKnown() ? this.settle() : [];
  }

  track(track: TrackInfo): GateOutput[] {
    const known = this.tracks.has(track.kind);
    if (this.phase === 'settled' && !this.settledKinds.has(track.kind)) {
      if (this.reportedLate.has(track.kind)) return [];
      this.reportedLate.add(track.kind);
      return [{ type: 'lateTrack', track }];
    }
    this.tracks.set(track.kind, track);
    if (this.phase === 'settled') return known ? [{ type: 'tracks', tracks: this.current() }] : [];
    return this.allExpectedKnown() ? this.settle() : [];
  }

  sample(sample: Sample): GateOutput[] {
    if (this.phase === 'settled') {
      return this.current().some((t) => t.id === sample.trackId) ? [{ type: 'sample', sample }] : [];
    }
    this.held.push(sample);
    if (this.held.length >= MAX_HELD_SAMPLES || this.probedSec() >= this.opts.probeSec) return this.settle();
    return [];
  }

  /** End of input while probing: settle with what is known. */
  flush(): GateOutput[] {
    return this.phase === 'probing' ? this.settle() : [];
  }

  /** A new publisher: probe again (its tracks may differ). */
  reset(): void {
    this.phase = 'probing';
    this.tracks.clear();
    this.settledKinds = new Set();
    this.held = [];
    this.expected = undefined;
    this.reportedLate = new Set();
  }

  private allExpectedKnown(): boolean {
    const e = this.expected ?? { audio: true, video: true };
    if (!e.audio && !e.video) return false;
    return (!e.audio || this.tracks.has('audio')) && (!e.video || this.tracks.has('video'));
  }

  private probedSec(): number {
    let min = Infinity;
    let max = -Infinity;
    for (const s of this.held) {
      const track = [...this.tracks.values()].find((t) => t.id === s.trackId);
      if (!track) continue;
      const t = s.dts / track.timescale;
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    return max > min ? max - min : 0;
  }

  private settle(): GateOutput[] {
    if (this.tracks.size === 0) {
      // Nothing decodable yet (no configuration): keep probing, but never hold without bound.
      if (this.held.length >= MAX_HELD_SAMPLES) this.held = [];
      return [];
    }
    this.phase = 'settled';
    this.settledKinds = new Set(this.tracks.keys());
    const tracks = this.current();
    const out: GateOutput[] = [{ type: 'tracks', tracks }];
    for (const sample of this.held) if (tracks.some((t) => t.id === sample.trackId)) out.push({ type: 'sample', sample });
    this.held = [];
    return out;
  }

  private current(): TrackInfo[] {
    // Video first: a stable order for PMT entries and init segments.
    return [this.tracks.get('video'), this.tracks.get('audio')].filter((t): t is TrackInfo => t !== undefined);
  }
}
