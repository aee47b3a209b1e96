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

export class SampleInterleaver {
  private readonly queues = new Map<number, Queued[]>();
  private timescales = new Map<number, number>();

  /** The tracks being interleaved (track id → timescale); replaces the previous set. */
  setTracks(tracks: ReadonlyMap<number, number>): void {
    this.timescales = new Map(tracks);
    for (const id of tracks.keys()) if (!this.queues.has(id)) this.queues.set(id, []);
    for (const id of [...this.queues.keys()]) if (!tracks.has(id)) this.queues.delete(id);
  }

  /** Adds a sample; returns those that can now be released, in decode order. */
  push(sample: Sample): Sample[] {
    const timescale = this.timescales.get(sample.trackId);
    const queue = this.queues.get(sample.trackId);
    if (timescale === undefined || queue === undefined) return [];
    queue.push({ sample, timeSec: sample.dts / timescale });
    return this.release(false);
  }

  /** Everything still held, in decode order. */
  flush(): Sample[] {
    return this.release(true);
  }

  private release(all: boolean): Sample[] {
    const out: Sample[] = [];
    for (;;) {
      let best: Queued[] | undefined;
      let newest = -Infinity;
      let anyEmpty = false;
      for (const q of this.queues.values()) {
        if (q.length === 0) {
          anyEmpty = true;
          continue;
        }
        if (!best || q[0].timeSec < best[0].timeSec) best = q;
        newest = Math.max(newest, q[q.length - 1].timeSec);
      }
      if (!best) return out;
      // A sample is safe once every track has something queued (nothing earlier can come), or
      // when the others have been silent for longer than MAX_INTERLEAVE_WAIT_SEC.
      if (!all && anyEmpty && newest - best[0].timeSec < MAX_INTERLEAVE_WAIT_SEC) return out;
      out.push((best.shift() as Queued).sample);
    }
  }
}
