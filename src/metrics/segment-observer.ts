// The hook through which packaging outputs report finished segments (for the segment counters and
// the availability-latency histogram) without depending on the metrics library.

export const SEGMENT_OUTPUTS = ['hls', 'cmaf', 'recording'] as const;
export type SegmentOutput = (typeof SEGMENT_OUTPUTS)[number];

export interface SegmentObserver {
  /**
   * A segment of `output` just came out of its packager (the tick its closing sample arrived).
   * Call the returned function once the segment is available: its playlist (or, for a
   * recording, its journal line) is on storage. Called per segment, never per sample.
   */
  segmentClosed(output: SegmentOutput): () => void;
}

/** A packaging sink that can report its segments. */
export interface SegmentObservable {
  observeSegments(observer: SegmentObserver): void;
}

export function isSegmentObservable(sink: object): sink is SegmentObservable {
  return typeof (sink as Partial<SegmentObservable>).observeSegments === 'function';
}
