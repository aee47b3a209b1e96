// The page's router: #/ live streams, #/watch/{app}/{name}, #/recordings, #/recording/{id},
// #/how-to. Each view mounts into <main> and returns its unmount (timers, players).
import { serverInfo } from './api.js';
import { mountDashboard } from './dashboard.js';
import { el } from './dom.js';
import { mountHowTo } from './howto.js';
import { mountRecording } from './recording.js';
import { mountRecordings } from './recordings.js';
import { mountWatch } from './watch.js';

/** @typedef {(view: HTMLElement, match: string[], query: URLSearchParams) => (() => void) | void} Mount */

/** @type {Array<{ pattern: RegExp, title: (m: string[]) => string, nav: string, mount: Mount }>} */
const ROUTES = [
  { pattern: /^\/?$/, title: () => 'Live streams', nav: 'live', mount: (v) => mountDashboard(v) },
  {
    pattern: /^\/watch\/([^/]+)\/([^/]+)$/, title: (m) => `${m[1]}/${m[2]}`, nav: 'live',
    mount: (v, m, q) => mountWatch(v, { app: m[1], name: m[2], via: q.get('via') }),
  },
  { pattern: /^\/recordings$/, title: () => 'Recordings', nav: 'recordings', mount: (v) => mountRecordings(v) },
  { pattern: /^\/recording\/([^/]+)$/, title: () => 'Recording', nav: 'recordings', mount: (v, m, q) => mountRecording(v, { id: m[1], via: q.get('via') }) },
  { pattern: /^\/how-to$/, title: () => 'How to stream', nav: 'how-to', mount: (v) => mountHowTo(v) },
];

const view = /** @type {HTMLElement} */ (document.getElementById('view'));
/** @type {(() => void) | void} */
let unmount;
let first = true;

function route() {
  unmount?.();
  unmount = undefined;
  view.replaceChildren();
  const hash = location.hash.replace(/^#/, '');
  const [path, search = ''] = hash.split('?');
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    let parts;
    try {
      parts = m.map((p) => decodeURIComponent(p));
    } catch {
      break;
    }
    document.title = `${r.title(parts)} · Onramp`;
    markNav(r.nav);
    unmount = r.mount(view, parts, new URLSearchParams(search));
    if (!first) view.focus({ preventScroll: true });
    first = false;
    window.scrollTo(0, 0);
    return;
  }
  document.title = 'Not found · Onramp';
  markNav('');
  view.append(el('h1', { text: 'Not found' }), el('p', {}, 'There is nothing at this address. ', el('a', { href: '#/', text: 'See the live streams' }), '.'));
}

/** @param {string} current */
function markNav(current) {
  for (const a of document.querySelectorAll('nav a[data-nav]')) {
    if (a instanceof HTMLElement && a.dataset.nav === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

window.addEventListener('hashchange', route);
route();
serverInfo().then((info) => {
  const version = document.getElementById('version');
  if (version) version.textContent = `Onramp ${info.version}`;
}, () => undefined);
