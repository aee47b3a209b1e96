// Where the benchmark finds the repository (compiled to dist/bench/, it looks upward for package.json).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'onramp') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the onramp repository above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const REPO_ROOT = findRepoRoot();
export const FIXTURE_CACHE_DIR = join(REPO_ROOT, 'bench', '.cache');
export const DEFAULT_OUT_DIR = join(REPO_ROOT, 'bench', 'results');
/** The compiled server and workers. */
export const ONRAMP_MAIN = join(REPO_ROOT, 'dist', 'src', 'main.js');
export const LOAD_GENERATOR_MAIN = join(REPO_ROOT, 'dist', 'bench', 'load-generator.js');
export const VIEWER_LOAD_MAIN = join(REPO_ROOT, 'dist', 'bench', 'viewer-load.js');
/** The player page the browser tests use (test/fixtures/player/index.html). */
export const PLAYER_PAGE_HTML = join(REPO_ROOT, 'test', 'fixtures', 'player', 'index.html');
