// Puts the samples of several tracks into one decode-time order, so that a segment boundary at a
// video keyframe splits audio exactly at that time. RTMP interleaves tracks only roughly.
import type { Sample } from '../ingest/media-types.js';

/** How far (seconds of media time) one track may run ahead while another is silent before
 *  samples are released anyway (a track that stopped must not stall the stream). */
export const MAX_INTERLEAVE_WAIT_SEC = 1;

interface Queued {
  readonly sample: Sample;
  readonly timeSec: number;
}

interface TrackQueue {
  readonly timescale: number;
  readonly items: Queued[];
  /**
   * The earliest time (seconds) the track's next sample can have: the end of its last sample when
   * that sample's duration is known (audio: the audio clock makes each frame start where the one
   * before ended, or later after a gap), else its start (decode times never go back within a
   * timeline). -Infinity before the first sample.
   */
  horizonSec: number;
}

export class SampleInterleaver {
  /** In track order: on equal decode times the earlier track goes first. */
  private queues: TrackQueue[] = [];
  private readonly byId = new Map<number, TrackQueue>();

  /** The tracks being interleaved (track id → timescale); replaces the previous set. */
  setTracks(tracks: ReadonlyMap<number, number>): void {
    const before = new Map(this.byId);
    this.byId.clear();
    this.queues = [];
    for (const [id, timescale] of tracks) {
      // A kept track keeps its queue; with a new timescale its horizon is unknown again.
      const kept = before.get(id);
      const q: TrackQueue = kept?.timescale === timescale ? kept : { timescale, items: kept?.items ?? [], horizonSec: -Infinity };
      this.byId.set(id, q);
      this.queues.push(q);
    }
  }

  /** Adds a sample; returns those that can now be released, in decode order. */
  push(sample: Sample): Sample[] {
    const q = this.byId.get(sample.trackId);
    if (q === undefined) return [];
    const timeSec = sample.dts / q.timescale;
    q.items.push({ sample, timeSec });
    q.horizonSec = (sample.dts + sample.duration) / q.timescale;
    return this.release(false);
  }

  /** Everything still held, in decode order. */
  flush(): Sample[] {
    return this.release(true);
  }

  private release(all: boolean): Sample[] {
    const out: Sample[] = [];
    for (;;) {
      let best = -1;
      let newest = -Infinity;
      for (let i = 0; i < this.queues.length; i++) {
        const items = this.queues[i].items;
        if (items.length === 0) continue;
        if (best < 0 || items[0].timeSec < this.queues[best].items[0].timeSec) best = i;
        newest = Math.max(newest, items[items.length - 1].timeSec);
      }
      if (best < 0) return out;
      const head = this.queues[best].items[0];
      // Safe once no track can still send something earlier: each other track has a sample
      // queued (at or after this one, which is the earliest), or its next sample cannot start
      // before this one (on a tie, the earlier track goes first). A track silent for longer than
      // MAX_INTERLEAVE_WAIT_SEC is not waited for.
      if (!all && newest - head.timeSec < MAX_INTERLEAVE_WAIT_SEC && !this.nothingEarlierCanCome(best, head.timeSec)) return out;
      this.queues[best].items.shift();
      out.push(head.sample);
    }
  }

  private nothingEarlierCanCome(from: number, timeSec: number): boolean {
    for (let i = 0; i < this.queues.length; i++) {
      const q = this.queues[i];
      if (i === from || q.items.length > 0) continue;
      if (q.horizonSec < timeSec || (q.horizonSec === timeSec && i < from)) return false;
    }
    return true;
  }
}
