// HTTP viewers, run in their own process: each polls one HLS media playlist as a player does
// (every half target duration), starts three segments from the live edge and downloads every
// new segment in full, timing each download.
import { parseMediaPlaylist } from '../pipeline/inspect/hls-playlist-parser.js';
import type { ViewerConfig, ViewerMessage, ViewerResult, WorkerCommand } from './worker-messages.js';

const START_SEGMENTS_FROM_EDGE = 3;

interface Totals {
  segments: number;
  bytes: number;
  playlistFetches: number;
  errors: number;
  readonly segmentFetchMs: number[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function watch(url: string, totals: Totals, running: () => boolean): Promise<void> {
  let nextSequence: number | undefined;
  while (running()) {
    let pollMs = 500;
    try {
      const res = await fetch(url);
      totals.playlistFetches++;
      if (res.ok) {
        const playlist = parseMediaPlaylist(await res.text());
        pollMs = Math.max(250, ((playlist.targetDurationSec ?? 2) * 1000) / 2);
        const segs = playlist.segments;
        nextSequence ??= segs.length > 0 ? segs[Math.max(0, segs.length - START_SEGMENTS_FROM_EDGE)].sequence : undefined;
        for (const seg of segs) {
          if (nextSequence === undefined || seg.sequence < nextSequence || !running()) continue;
          const started = performance.now();
          const body = await fetch(new URL(seg.uri, url));
          if (!body.ok) {
            totals.errors++;
            await body.arrayBuffer();
            continue;
          }
          const bytes = (await body.arrayBuffer()).byteLength;
          totals.segmentFetchMs.push(performance.now() - started);
          totals.segments++;
          totals.bytes += bytes;
          nextSequence = seg.sequence + 1;
        }
      } else {
        await res.arrayBuffer();
      }
    } catch {
      totals.errors++;
    }
    await sleep(pollMs);
  }
}

async function main(config: ViewerConfig): Promise<void> {
  const totals: Totals = { segments: 0, bytes: 0, playlistFetches: 0, errors: 0, segmentFetchMs: [] };
  let stop = false;
  const stopped = new Promise<void>((resolve) => {
    process.on('message', (m: WorkerCommand) => {
      if (m.type === 'stop') {
        stop = true;
        resolve();
      }
    });
  });
  process.once('disconnect', () => process.exit(1));
  const started = performance.now();
  process.send?.({ type: 'ready' } satisfies ViewerMessage);
  const viewers = Array.from({ length: config.viewers }, (_, i) => watch(config.playlistUrls[i % config.playlistUrls.length], totals, () => !stop));
  await stopped;
  const windowMs = performance.now() - started;
  await Promise.all(viewers);
  const result: ViewerResult = { ...totals, windowMs };
  await new Promise<void>((resolve) => process.send?.({ type: 'result', result } satisfies ViewerMessage, undefined, undefined, () => resolve()));
  process.exit(0);
}

main(JSON.parse(process.argv[2] ?? '{}') as ViewerConfig).catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies ViewerMessage, undefined, undefined, () => process.exit(1));
});
