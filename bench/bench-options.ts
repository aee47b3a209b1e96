// Command-line options of `npm run bench`.
import { resolve } from 'node:path';
import { DEFAULT_OUT_DIR } from './paths.js';

export interface BenchOptions {
  readonly quick: boolean;
  /** Publisher counts, one run per count and per packaging mode. */
  readonly streams: readonly number[];
  /** Measurement window of each run, after the warm-up. */
  readonly seconds: number;
  readonly warmupSec: number;
  /** HTTP viewers fetching playlists and segments during each run. */
  readonly viewers: number;
  readonly browser: boolean;
  /** Run the same load against nginx-rtmp too, where nginx and its RTMP module are installed. */
  readonly nginx: boolean;
  readonly outDir: string;
  /** How playlists are watched: 'file', inotify on the files the server writes (no load on the
   *  server, every stream); 'http', polling every pollMs (sampleStreams of them; the rest every 250 ms). */
  readonly watch: 'file' | 'http';
  readonly pollMs: number;
  readonly sampleStreams: number;
  /** How long the browser watches each player. */
  readonly watchSec: number;
  /** Where to write a V8 CPU profile of each server run (node --cpu-prof); none when undefined. */
  readonly cpuProfileDir?: string;
  /** Onramp's packaging modes to run (default both). */
  readonly onrampModes: readonly ('ts' | 'ts+cmaf')[];
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick            smoke run: 2 publishers, 6 s, 360p fixture (a few seconds per run)
  --streams N[,N…]   publisher counts (default 1,8,32; quick 2)
  --seconds S        measurement window per run (default 30; quick 6)
  --warmup S         seconds before measuring (default 4; quick 1)
  --viewers M        HTTP viewers fetching playlists and segments (default 0)
  --no-browser       skip the glass-to-glass latency in headless Chromium
  --modes M[,M…]     Onramp modes to run: ts, ts+cmaf (default both; e.g. a 10-minute soak of one)
  --no-nginx         skip nginx-rtmp (by default the same load runs against it, HLS + DASH on,
                     where nginx and libnginx-mod-rtmp are installed; skipped with a note if not)
  --out DIR          where bench-<date>.json/.md go (default bench/results)
  --watch-playlists file|http
                     how segment availability is observed (default file: inotify on the playlist
                     files, no load on the server; http: polling, which the server must answer)
  --poll-ms MS       with http: poll interval of the sampled playlists (default 20)
  --sample N         with http: streams polled that often (default 8; the others every 250 ms)
  --watch S          seconds each player is watched in the browser (default 10; quick 5)
  --cpu-prof DIR     write a V8 CPU profile of each server run into DIR (open in Chrome DevTools)
  -h, --help         this text`;

function positiveInt(flag: string, value: string | undefined, min = 1): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer ≥ ${min}, got ${value ?? 'nothing'}`);
  return n;
}

/** Parses argv (without node and script); returns 'help' for -h/--help. Throws on bad input. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const quick = argv.includes('--quick');
  let streams: number[] = quick ? [2] : [1, 8, 32];
  let seconds = quick ? 6 : 30;
  let warmupSec = quick ? 1 : 4;
  let viewers = 0;
  let browser = true;
  let nginx = true;
  let outDir = DEFAULT_OUT_DIR;
  let watch: 'file' | 'http' = 'file';
  let pollMs = 20;
  let sampleStreams = 8;
  let watchSec = quick ? 5 : 10;
  let cpuProfileDir: string | undefined;
  let onrampModes: ('ts' | 'ts+cmaf')[] = ['ts', 'ts+cmaf'];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--quick': break;
      case '-h': case '--help': return 'help';
      case '--no-browser': browser = false; break;
      case '--no-nginx': nginx = false; break;
      case '--streams': {
        const v = value() ?? '';
        streams = v.split(',').map((s) => positiveInt('--streams', s.trim()));
        break;
      }
      case '--seconds': seconds = positiveInt('--seconds', value()); break;
      case '--warmup': warmupSec = positiveInt('--warmup', value(), 0); break;
      case '--viewers': viewers = positiveInt('--viewers', value(), 0); break;
      case '--out': {
        const v = value();
        if (!v) throw new Error('--out needs a directory');
        outDir = resolve(v);
        break;
      }
      case '--watch-playlists': {
        const v = value();
        if (v !== 'file' && v !== 'http') throw new Error(`--watch-playlists is file or http, got ${v ?? 'nothing'}`);
        watch = v;
        break;
      }
      case '--modes': {
        const list = (value() ?? '').split(',').map((m) => m.trim());
        if (list.length === 0 || list.some((m) => m !== 'ts' && m !== 'ts+cmaf')) throw new Error(`--modes takes ts and/or ts+cmaf, got ${list.join(',')}`);
        onrampModes = list as ('ts' | 'ts+cmaf')[];
        break;
      }
      case '--poll-ms': pollMs = positiveInt('--poll-ms', value()); break;
      case '--sample': sampleStreams = positiveInt('--sample', value()); break;
      case '--watch': watchSec = positiveInt('--watch', value()); break;
      case '--cpu-prof': {
        const v = value();
        if (!v) throw new Error('--cpu-prof needs a directory');
        cpuProfileDir = resolve(v);
        break;
      }
      default: throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  const o = { quick, streams, seconds, warmupSec, viewers, browser, nginx, outDir, watch, pollMs, sampleStreams, watchSec, onrampModes };
  return cpuProfileDir === undefined ? o : { ...o, cpuProfileDir };
}
