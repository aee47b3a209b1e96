// The TS sink writes a segment to disk in pieces while it grows (so a stream does not hold its
// whole open segment in memory): what lands on disk is byte for byte the segment made whole, it
// appears only complete and before the playlist that lists it, and no temporary file stays.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlabPool } from '../../../pipeline/core/slab-pool.js';
import { videoTrackFromAvcC } from '../../../pipeline/ingest/track-builder.js';
import { HlsTsPackager, SEGMENT_SLAB_BYTES, type PackagerOutput } from '../../../pipeline/packaging/hls-ts-packager.js';
import { defaultConfig } from '../../../src/config/default-config.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { HlsTsSink, TS_PIECE_BYTES } from '../../../src/outputs/hls-ts-sink.js';
import { MediaFiles } from '../../../src/outputs/media-files.js';
import { DiskStorage } from '../../../src/storage/disk-storage.js';
import { FIXTURE_AVCC_HEX, largeVideoSample } from '../../helpers/synthetic-media.js';

const VIDEO = videoTrackFromAvcC(Buffer.from(FIXTURE_AVCC_HEX, 'hex'));

/** 30 KB frames at 30 fps (7 Mbit/s): segments of ~1.8 MB, an IDR every 2 s. */
const frame = (f: number) => largeVideoSample(f, VIDEO.id, 30_000);

describe('HlsTsSink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-ts-sink-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes segments in pieces that add up to the segments made whole, published before their playlist', async () => {
    const config = defaultConfig();
    const storage = new DiskStorage(dir);
    const files = new MediaFiles(storage, 'live/s/', createMemoryLogger().logger);
    const sink = new HlsTsSink(files, config.hls, 0, new SlabPool(SEGMENT_SLAB_BYTES, 32));
    const reference = new HlsTsPackager({ targetDurationSec: config.hls.segmentDurationMs / 1000, windowSegments: config.hls.windowSegments });
    const whole = new Map<string, Buffer>();
    const keep = (out: PackagerOutput): void => {
      for (const seg of out.segments) whole.set(seg.uri, Buffer.concat(seg.data));
    };
    sink.setTracks([VIDEO], 0);
    keep(reference.setTracks([VIDEO], 0));
    const seen: string[][] = [];
    for (let f = 0; f < 190; f++) {
      sink.push(frame(f), f * 33);
      keep(reference.push(frame(f), f * 33));
      if (f % 30 === 29) {
        await files.idle();
        // Whatever the playlist lists is on disk, complete, at every moment looked at.
        const playlist = await readFile(join(dir, 'live/s/index.m3u8'), 'utf8').catch(() => '');
        for (const uri of playlist.split('\n').filter((l) => l.endsWith('.ts'))) {
          expect((await readFile(join(dir, 'live/s', uri))).equals(whole.get(uri)!), `${uri} complete when listed`).toBe(true);
        }
        seen.push((await readdir(join(dir, 'live/s'))).filter((n) => n.startsWith('.')));
      }
    }
    expect(seen.some((temps) => temps.length > 0), 'the open segment is on disk, under a temporary name').toBe(true);
    expect(whole.get('seg-0.ts')!.length, 'segments larger than a piece').toBeGreaterThan(3 * TS_PIECE_BYTES);
    sink.end(190 * 33);
    keep(reference.end(190 * 33));
    await files.idle();
    const names = (await readdir(join(dir, 'live/s'))).sort();
    expect(names).toEqual(['index.m3u8', 'seg-0.ts', 'seg-1.ts', 'seg-2.ts', 'seg-3.ts']);
    for (const [uri, bytes] of whole) expect((await readFile(join(dir, 'live/s', uri))).equals(bytes), `${uri} byte for byte`).toBe(true);
    expect(await readFile(join(dir, 'live/s/index.m3u8'), 'utf8')).toContain('#EXT-X-ENDLIST');
  });
});
