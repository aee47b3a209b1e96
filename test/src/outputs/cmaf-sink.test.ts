// The CMAF sink writes each segment to disk in pieces as its parts close (the writer's work is
// spread over the segment): a segment on disk is byte for byte its parts, in order, and appears
// only complete; its parts are then served as ranges of it.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { videoTrackFromAvcC } from '../../../pipeline/ingest/track-builder.js';
import { CmafPackager } from '../../../pipeline/packaging/cmaf-packager.js';
import { defaultConfig } from '../../../src/config/default-config.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { LocalChangeNotifier } from '../../../src/outputs/change-notifier.js';
import { CMAF_PIECE_BYTES, CmafSink } from '../../../src/outputs/cmaf-sink.js';
import { MediaFiles } from '../../../src/outputs/media-files.js';
import { DiskStorage } from '../../../src/storage/disk-storage.js';
import { LiveObjectCache } from '../../../src/storage/live-object-cache.js';
import { drain } from '../storage/storage-backends.js';
import { FIXTURE_AVCC_HEX, largeVideoSample } from '../../helpers/synthetic-media.js';

const VIDEO = videoTrackFromAvcC(Buffer.from(FIXTURE_AVCC_HEX, 'hex'));

/** 30 KB frames at 30 fps (7 Mbit/s): segments of ~1.8 MB, an IDR every 2 s. */
const frame = (f: number) => largeVideoSample(f, VIDEO.id, 30_000);

describe('CmafSink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-cmaf-sink-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes each segment in pieces as its parts close: on disk it is its parts, whole, and its parts are ranges of it', async () => {
    const config = defaultConfig();
    const storage = new LiveObjectCache(new DiskStorage(dir), { writeBehindMs: 50 });
    const files = new MediaFiles(storage, 'live/s/', createMemoryLogger().logger);
    const sink = new CmafSink(files, config.cmaf, config.hls, new LocalChangeNotifier(), () => 0, 0);
    const reference = new CmafPackager({ targetDurationSec: config.hls.segmentDurationMs / 1000, partTargetSec: config.cmaf.partDurationMs / 1000, firstSequence: 0 });
    const segments = new Map<string, Buffer>();
    const parts = new Map<string, string[]>();
    const keep = (events: ReturnType<CmafPackager['push']>): void => {
      for (const e of events) {
        if (e.type === 'segment') segments.set(e.uri, Buffer.concat(e.data));
        if (e.type === 'part') parts.set(e.segmentUri, [...(parts.get(e.segmentUri) ?? []), e.uri]);
      }
    };
    sink.setTracks([VIDEO], 0);
    keep(reference.setTracks([VIDEO], 0));
    let sawTemp = false;
    for (let f = 0; f < 190; f++) {
      sink.push(frame(f), f * 33);
      keep(reference.push(frame(f), f * 33));
      if (f % 20 === 19) {
        await files.idle();
        sawTemp ||= (await readdir(join(dir, 'live/s'))).some((n) => n.startsWith('.v-'));
      }
    }
    sink.end(190 * 33);
    keep(reference.flush(190 * 33));
    await files.idle();
    expect(sawTemp, 'an open segment is on disk, under a temporary name').toBe(true);
    expect(segments.get('v-0.m4s')!.length).toBeGreaterThan(3 * CMAF_PIECE_BYTES);
    const names = (await readdir(join(dir, 'live/s'))).filter((n) => /^v-\d+\.m4s$/.test(n)).sort();
    expect(names).toEqual([...segments.keys()].sort());
    for (const [uri, bytes] of segments) {
      const onDisk = await readFile(join(dir, 'live/s', uri));
      expect(onDisk.equals(bytes), `${uri} byte for byte`).toBe(true);
      // Its parts, read back through the cache (ranges of the segment now), make it up in order.
      const fromParts = Buffer.concat(await Promise.all((parts.get(uri) ?? []).map(async (p) => (await drain(await storage.read(`live/s/${p}`)))!)));
      expect(fromParts.equals(bytes), `${uri} is its parts`).toBe(true);
    }
    expect((await readdir(join(dir, 'live/s'))).filter((n) => n.startsWith('.')), 'no temporary file left').toEqual([]);
    await storage.flush();
  });
});
