// CMAF for one stream: init segments, parts and segments written once, and the manifests over them
// (low-latency HLS playlists with their delta forms, the multivariant playlist, the DASH MPD).
// Waiters for a playlist or a part are woken once it is on storage.
import type { TrackInfo } from '../../pipeline/ingest/media-types.js';
import { CmafManifests, DASH_MANIFEST, LL_MULTIVARIANT, type ManifestChanges } from '../../pipeline/packaging/cmaf-manifests.js';
import { CmafPackager, type CmafEvent } from '../../pipeline/packaging/cmaf-packager.js';
import type { CmafConfig, HlsConfig } from '../config/config-schema.js';
import { deltaPlaylistName } from '../http/ll-hls-route.js';
import type { SegmentObservable, SegmentObserver } from '../metrics/segment-observer.js';
import type { ChangeNotifier } from './change-notifier.js';
import type { MediaFiles } from './media-files.js';
import { FileSink } from './file-sink.js';

/** Replaced by the origin of each request when the MPD is served (UTCTiming needs an absolute URL). */
export const ORIGIN_PLACEHOLDER = '__ONRAMP_ORIGIN__';
export const TIME_PATH = '/api/time';

/** A segment's parts go to storage in pieces of at least this size as they close, so that the
 *  writer's work is spread over the segment rather than done at once when it closes. */
export const CMAF_PIECE_BYTES = 256 * 1024;

/** Parts of an open segment not written to its file yet, and whether some were. */
interface SegmentPieces {
  views: Uint8Array[];
  bytes: number;
  staged: boolean;
}

export class CmafSink extends FileSink<CmafEvent[]> implements SegmentObservable {
  private readonly packager: CmafPackager;
  private readonly manifests: CmafManifests;
  private multivariantText: string | undefined;
  private lastMsn: number;
  private observer: SegmentObserver | undefined;
  private trackCount = 0;
  /** Segments closed per media sequence number, until every track's is: then the MPD is written once. */
  private readonly closedTracks = new Map<number, number>();
  /** Open segments' bytes (their parts so far), by segment URI. */
  private readonly open = new Map<string, SegmentPieces>();

  constructor(
    files: MediaFiles,
    cmaf: CmafConfig,
    hls: HlsConfig,
    private readonly notifier: ChangeNotifier,
    private readonly nowMs: () => number,
    firstSequence: number,
  ) {
    const partTargetSec = cmaf.partDurationMs / 1000;
    const packager = new CmafPackager({ targetDurationSec: hls.segmentDurationMs / 1000, partTargetSec, firstSequence });
    super(files, hls, packager);
    this.packager = packager;
    this.manifests = new CmafManifests({ partTargetSec, windowSegments: hls.windowSegments, utcTimingUrl: ORIGIN_PLACEHOLDER + TIME_PATH });
    this.lastMsn = firstSequence - 1;
  }

  get nextSequence(): number {
    return this.lastMsn + 1;
  }

  override setTracks(tracks: readonly TrackInfo[], nowMs: number): void {
    this.multivariantText = undefined;
    this.trackCount = tracks.length;
    super.setTracks(tracks, nowMs);
  }

  end(nowMs: number): void {
    this.handle(this.packager.flush(nowMs));
    this.writeChanges(this.manifests.end());
    this.writeMpd();
  }

  observeSegments(observer: SegmentObserver): void {
    this.observer = observer;
  }

  protected handle(events: CmafEvent[]): void {
    for (const e of events) {
      if (e.type === 'segment') this.lastMsn = Math.max(this.lastMsn, e.msn);
      const key = this.files.prefix + e.uri;
      // A segment is available once the playlist listing it is on storage (or, listed nowhere, itself).
      const available = e.type === 'segment' ? this.observer?.segmentClosed('cmaf') : undefined;
      const changes = this.manifests.apply(e, this.packager.declaredTargetSec);
      if (e.type === 'init') this.files.write(e.uri, [e.data]);
      else if (e.type === 'part') {
        this.files.write(e.uri, e.data, () => this.notifier.notify(key));
        this.addToSegment(e.segmentUri, e.data);
      } else this.writeSegment(e.uri, e.data, changes.playlists.length === 0 ? available : undefined);
      this.writeChanges(changes, available);
      if (e.type === 'segment') this.segmentClosed(e.msn);
    }
  }

  /** A part's bytes are the next bytes of its segment: written once enough have gathered. */
  private addToSegment(uri: string, data: readonly Uint8Array[]): void {
    let seg = this.open.get(uri);
    if (seg === undefined) {
      seg = { views: [], bytes: 0, staged: false };
      this.open.set(uri, seg);
    }
    for (const d of data) {
      seg.views.push(d);
      seg.bytes += d.length;
    }
    if (seg.bytes >= CMAF_PIECE_BYTES) {
      this.files.writePiece(uri, seg.views);
      seg.views = [];
      seg.bytes = 0;
      seg.staged = true;
    }
  }

  /** A segment is its parts' bytes: what was not written as pieces is written now, and it is published. */
  private writeSegment(uri: string, data: Uint8Array[], then: (() => void) | undefined): void {
    const seg = this.open.get(uri);
    this.open.delete(uri);
    if (seg?.staged === true) this.files.finishPieces(uri, seg.views, then);
    else this.files.write(uri, data, then);
  }

  /** The MPD changes when a segment number is complete on every track: one write, not one per track. */
  private segmentClosed(msn: number): void {
    const closed = (this.closedTracks.get(msn) ?? 0) + 1;
    if (closed < this.trackCount) {
      this.closedTracks.set(msn, closed);
      return;
    }
    // Earlier numbers a track never closed (it ended first) are complete by now too.
    for (const n of this.closedTracks.keys()) if (n <= msn) this.closedTracks.delete(n);
    this.writeMpd();
  }

  private writeChanges(changes: ManifestChanges, listed?: () => void): void {
    const last = changes.playlists.length - 1;
    changes.playlists.forEach((p, i) => {
      this.files.replace(deltaPlaylistName(p.name), p.delta);
      const key = this.files.prefix + p.name;
      // Written after the parts it lists; blocked reloads wake once it is on storage.
      this.files.replace(p.name, p.full, () => {
        this.notifier.notify(key);
        if (i === last) listed?.();
      });
    });
    if (this.multivariantText === undefined) {
      const text = this.manifests.multivariant();
      if (text !== undefined) {
        this.multivariantText = text;
        this.files.replace(LL_MULTIVARIANT, text);
      }
    }
    for (const name of changes.removed) this.files.removeLater(name, this.hls.segmentRetentionMs);
  }

  private writeMpd(): void {
    const mpd = this.manifests.mpd(this.nowMs());
    if (mpd !== undefined) this.files.replace(DASH_MANIFEST, mpd);
  }
}
