// How to stream to this server: OBS settings (server URL, stream key, keyframe interval, encoder)
// and an ffmpeg command line, from GET /api/server, for a stream name the reader can change.
import { serverInfo } from './api.js';
import { el, setText } from './dom.js';

const NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/**
 * A value with a copy button.
 * @param {string} label
 * @param {string} stat
 * @param {boolean} [block] a multi-line command rather than one value
 */
function copyable(label, stat, block = false) {
  const value = el(block ? 'pre' : 'code', { class: block ? 'command' : 'value', 'data-stat': stat });
  const done = el('span', { class: 'copied', role: 'status' });
  const button = el('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${label}` }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value.textContent ?? '');
      setText(done, 'Copied');
    } catch {
      // No clipboard (a page over plain HTTP from another machine): select it for Ctrl+C.
      getSelection()?.selectAllChildren(value);
      setText(done, 'Selected: press Ctrl+C');
    }
    setTimeout(() => setText(done, ''), 2500);
  });
  return { value, row: el('div', { class: block ? 'copy-block' : 'copy-row' }, value, button, done) };
}

/**
 * @param {HTMLElement} container
 * @param {{ compact?: boolean }} [opts] compact: inside the dashboard (no page title)
 * @returns {() => void} unmount
 */
export function mountHowTo(container, opts = {}) {
  const panel = el('section', { class: 'howto', 'aria-labelledby': 'howto-title' });
  container.append(panel);
  let alive = true;
  serverInfo().then(
    (info) => alive && render(panel, info, Boolean(opts.compact)),
    (e) => alive && panel.append(el('p', { class: 'error', text: `Cannot load the server's settings: ${e.message}` })),
  );
  return () => {
    alive = false;
  };
}

/**
 * @param {HTMLElement} panel
 * @param {any} info GET /api/server
 * @param {boolean} compact
 */
function render(panel, info, compact) {
  const kfi = info.keyframeIntervalSec;
  const nameInput = el('input', { id: 'howto-name', type: 'text', value: 'mystream', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off', 'aria-describedby': 'howto-name-help' });
  const nameHelp = el('small', { id: 'howto-name-help', text: 'Letters, digits, _ - and . (up to 128).' });
  const server = copyable('the server URL', 'rtmp-url');
  const key = copyable('the stream key', 'stream-key');
  const ffmpeg = copyable('the ffmpeg command', 'ffmpeg', true);
  const watch = el('a', { 'data-stat': 'watch-link' });
  setText(server.value, info.rtmp.url);

  const update = () => {
    const raw = /** @type {HTMLInputElement} */ (nameInput).value.trim();
    const valid = NAME_PATTERN.test(raw);
    nameInput.setAttribute('aria-invalid', String(!valid));
    const name = valid ? raw : 'mystream';
    setText(key.value, name);
    setText(ffmpeg.value, ffmpegCommand(`${info.rtmp.url}/${name}`, kfi));
    watch.setAttribute('href', `#/watch/live/${encodeURIComponent(name)}`);
    setText(watch, `this page's player for live/${name}`);
  };
  nameInput.addEventListener('input', update);

  const obs = el('dl', { class: 'settings' },
    row('Service', 'Custom…'),
    el('div', {}, el('dt', { text: 'Server' }), el('dd', {}, server.row,
      info.rtmps ? el('small', {}, 'With TLS: ', el('code', { text: info.rtmps.url })) : null)),
    el('div', {}, el('dt', { text: 'Stream Key' }), el('dd', {}, key.row,
      info.publishKeyRequired ? el('small', { class: 'warn', text: 'This server only accepts stream keys its administrator issued: use yours.' }) : null)),
    el('div', {}, el('dt', { text: 'Keyframe Interval' }), el('dd', { 'data-stat': 'keyframe-interval' }, el('strong', { text: `${kfi} s` }),
      el('small', { text: ` (the segment duration: segments are cut on keyframes, so this sets the latency)` }))),
    row('Encoder', 'x264 (or a hardware H.264 encoder)'),
    row('Rate Control', 'CBR'),
    row('Bitrate', '2500–4000 kb/s for 720p30, 4500–6000 kb/s for 1080p30'),
    row('Profile', 'high (main also works); B-frames are fine'),
    row('Audio', 'AAC, 128–160 kb/s, 44.1 or 48 kHz'));

  panel.append(
    el(compact ? 'h2' : 'h1', { id: 'howto-title', text: 'How to stream to this server' }),
    el('div', { class: 'field' }, el('label', { for: 'howto-name', text: 'Stream name' }), nameInput, nameHelp),
    el('h3', { text: 'OBS Studio' }),
    el('p', { class: 'muted', text: 'Settings → Stream, then Settings → Output with Output Mode: Advanced.' }),
    obs,
    el('h3', { text: 'ffmpeg' }),
    ffmpeg.row,
    el('p', { class: 'muted' }, 'Then watch it in ', watch, '.'),
  );
  update();
}

/** @param {string} term @param {string} value */
function row(term, value) {
  return el('div', {}, el('dt', { text: term }), el('dd', { text: value }));
}

/**
 * A keyframe every `kfi` seconds whatever the frame rate, CBR-like H.264 High and AAC, in real time.
 * @param {string} url
 * @param {number} kfi
 */
function ffmpegCommand(url, kfi) {
  return [
    'ffmpeg -re -i input.mp4 \\',
    '  -c:v libx264 -preset veryfast -profile:v high \\',
    '  -b:v 3000k -maxrate 3000k -bufsize 6000k \\',
    `  -force_key_frames "expr:gte(t,n_forced*${kfi})" -sc_threshold 0 \\`,
    '  -c:a aac -b:a 128k -ar 48000 \\',
    `  -f flv ${url}`,
  ].join('\n');
}
