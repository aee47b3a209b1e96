// Records one stream as CMAF while it is live: init segments, then every fragment appended to its
// segment file the moment it is complete, and a journal line per finished segment. A crash (even
// kill -9) therefore loses at most the fragment in progress; recovery finds the rest on storage.
// When the recording stops, the finalize job turns the files into a VOD.
import type { Sample, TrackInfo } from '../../pipeline/ingest/media-types.js';
import { CmafPackager, type CmafEvent } from '../../pipeline/packaging/cmaf-packager.js';
import type { VodTrack } from '../../pipeline/packaging/vod-model.js';
import type { Logger } from '../logging/logger.js';
import type { SegmentObservable, SegmentObserver } from '../metrics/segment-observer.js';
import type { PackagingSink } from '../outputs/packaging-sink.js';
import { WriteQueue } from '../outputs/write-queue.js';
import type { MediaStorage } from '../storage/media-storage.js';
import { journalLine, vodTrackOf, type JournalLine } from './recording-journal.js';
import { RECORDING_JOURNAL, recordingFolder, type RecordingRef } from './recording-paths.js';

export interface RecordingSinkOptions {
  readonly storage: MediaStorage;
  readonly ref: RecordingRef;
  readonly logger: Logger;
  /** Fragments (CMAF chunks) last at most this long. */
  readonly fragmentDurationMs: number;
  readonly targetDurationSec: number;
  /** Called once, after the last write of the recording is on storage; idle() waits for it. */
  readonly onStopped: (ref: RecordingRef, endedAtMs: number) => void | Promise<void>;
}

type Phase = 'recording' | 'stopped';

export class RecordingSink implements PackagingSink, SegmentObservable {
  private readonly packager: CmafPackager;
  private readonly writes: WriteQueue;
  private readonly folder: string;
  private readonly log: Logger;
  private phase: Phase = 'recording';
  private pendingTracks: VodTrack[] = [];
  private writtenInits = new Set<string>();
  private bytesTotal = 0;
  private observer: SegmentObserver | undefined;

  constructor(private readonly opts: RecordingSinkOptions) {
    this.packager = new CmafPackager({ targetDurationSec: opts.targetDurationSec, partTargetSec: opts.fragmentDurationMs / 1000, firstSequence: 0 });
    this.folder = recordingFolder(opts.ref);
    this.log = opts.logger.child({ component: 'recording', recording: opts.ref.id, stream: `${opts.ref.app}/${opts.ref.name}` });
    this.writes = new WriteQueue((err) => this.log.error({ err }, 'recording write failed'));
  }

  get ref(): RecordingRef {
    return this.opts.ref;
  }

  get stopped(): boolean {
    return this.phase === 'stopped';
  }

  /** Bytes of media written so far. */
  get bytes(): number {
    return this.bytesTotal;
  }

  /** Recordings never reuse live sequence numbers; they have their own folder. */
  get nextSequence(): number {
    return 0;
  }

  setTracks(tracks: readonly TrackInfo[], nowMs: number): void {
    if (this.phase === 'recording') this.handle(this.packager.setTracks(tracks, nowMs));
  }

  push(sample: Sample, nowMs: number): void {
    if (this.phase === 'recording') this.handle(this.packager.push(sample, nowMs));
  }

  discontinuity(): void {
    if (this.phase === 'recording') this.packager.discontinuity();
  }

  flush(nowMs: number): void {
    if (this.phase === 'recording') this.handle(this.packager.flush(nowMs));
  }

  end(nowMs: number): void {
    if (this.phase !== 'recording') return;
    this.handle(this.packager.flush(nowMs));
    this.phase = 'stopped';
    this.appendJournal({ t: 'end', atMs: nowMs });
    this.writes.push(async () => {
      await this.opts.onStopped(this.opts.ref, nowMs);
    });
    this.log.info({ bytes: this.bytesTotal }, 'recording stopped');
  }

  observeSegments(observer: SegmentObserver): void {
    this.observer = observer;
  }

  /** Recordings outlive the stream: nothing is deleted with it. */
  cleanupLater(): void {}

  dispose(): Promise<void> {
    return this.writes.idle();
  }

  idle(): Promise<void> {
    return this.writes.idle();
  }

  private handle(events: CmafEvent[]): void {
    for (const e of events) {
      if (e.type === 'init') {
        this.pendingTracks.push(vodTrackOf(e.track, e.letter, e.uri));
        if (!this.writtenInits.has(e.uri)) {
          this.writtenInits.add(e.uri);
          this.write(e.uri, [e.data]);
        }
      } else if (e.type === 'part') {
        this.flushPeriod();
        const key = this.folder + e.segmentUri;
        const data = e.data;
        this.writes.push(() => this.opts.storage.append(key, data));
      } else {
        this.flushPeriod();
        this.bytesTotal += e.byteLength;
        // The segment counts as recorded once its journal line is on storage.
        const recorded = this.observer?.segmentClosed('recording');
        this.appendJournal({
          t: 'segment', letter: e.letter, uri: e.uri, start: e.startTicks, duration: e.durationTicks,
          bytes: e.byteLength, pdt: e.programDateTimeMs, disc: e.discontinuity,
        }, recorded);
      }
    }
    this.flushPeriod();
  }

  /** The tracks of a configuration start a period in the journal, before any of its segments. */
  private flushPeriod(): void {
    if (this.pendingTracks.length === 0) return;
    this.appendJournal({ t: 'period', tracks: this.pendingTracks });
    this.pendingTracks = [];
  }

  private write(name: string, data: readonly Uint8Array[]): void {
    const key = this.folder + name;
    this.writes.push(() => this.opts.storage.write(key, data));
  }

  private appendJournal(line: JournalLine, then?: () => void): void {
    const key = this.folder + RECORDING_JOURNAL;
    const bytes = Buffer.from(journalLine(line), 'utf8');
    this.writes.push(async () => {
      await this.opts.storage.append(key, [bytes]);
      then?.();
    });
  }
}
