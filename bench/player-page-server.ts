// Serves the browser tests' player page (test/fixtures/player/index.html) and its player
// libraries from node_modules on a free port; test/helpers/player-page.ts's server resolves the
// page relative to its own source file, which the compiled copy under dist/ cannot.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { PLAYER_PAGE_HTML } from './paths.js';

const require = createRequire(import.meta.url);

const FILES: ReadonlyMap<string, { readonly path: string; readonly type: string }> = new Map([
  ['/', { path: PLAYER_PAGE_HTML, type: 'text/html; charset=utf-8' }],
  ['/lib/hls.js', { path: require.resolve('hls.js/dist/hls.js'), type: 'text/javascript; charset=utf-8' }],
  ['/lib/dash.js', { path: require.resolve('dashjs'), type: 'text/javascript; charset=utf-8' }],
]);

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function servePlayerPage(): Promise<PageServer> {
  const server = createServer((req, res) => {
    const file = FILES.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    readFile(file.path).then(
      (body) => res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(body),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
