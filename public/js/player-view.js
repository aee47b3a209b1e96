// The player component for live streams and recordings: the video, a choice of protocol (only
// those offered), a message over the video (offline, ended, errors), and live statistics.
import { el, fact, setText } from './dom.js';
import { formatDuration, formatSeconds } from './format.js';
import { Player } from './player.js';

/** @typedef {import('./player.js').Source} Source */
/** @typedef {import('./player.js').SourceKind} SourceKind */
/** @typedef {'idle' | 'loading' | 'playing' | 'ended' | 'error'} PlayerState */

const LABELS = /** @type {Record<SourceKind, string>} */ ({ hls: 'HLS', llHls: 'Low-latency HLS', dash: 'DASH' });
const ORDER = /** @type {SourceKind[]} */ (['hls', 'llHls', 'dash']);
const STATS_EVERY_MS = 500;
let instances = 0;

/** Seconds of media played in this video element. @param {HTMLVideoElement} video */
function playedSec(video) {
  let sum = 0;
  for (let i = 0; i < video.played.length; i++) sum += video.played.end(i) - video.played.start(i);
  return sum;
}

/**
 * @param {{ live: boolean, initial?: string | null, onSourceChange?: (kind: SourceKind) => void, onStateChange?: (state: PlayerState) => void }} opts
 */
export function createPlayerView(opts) {
  const group = `protocol-${++instances}`;
  const message = el('div', { class: 'player-message', role: 'status', 'aria-live': 'polite', hidden: true });
  const screen = el('div', { class: 'screen' }, message);
  const choices = el('div', { class: 'choices' });
  const selector = el('fieldset', { class: 'protocols', hidden: true }, el('legend', { text: 'Protocol' }), choices);
  const stats = el('dl', { class: 'stats' });
  const latency = opts.live ? fact(stats, 'Latency', 'latency') : null;
  const time = fact(stats, opts.live ? 'Watched' : 'Position', 'time');
  const buffer = fact(stats, 'Buffer', 'buffer');
  const size = fact(stats, 'Resolution', 'resolution');
  const root = el('section', { class: 'player', 'aria-label': 'Player' }, screen, el('div', { class: 'player-bar' }, selector, stats));

  /** @type {Source[]} */
  let sources = [];
  /** @type {SourceKind | null} */
  let selected = ORDER.find((k) => k === opts.initial) ?? null;
  /** @type {PlayerState} */
  let state = 'idle';
  let destroyed = false;

  /** @param {PlayerState} next */
  const setState = (next) => {
    if (next === state) return;
    state = next;
    root.dataset.state = next;
    opts.onStateChange?.(next);
  };

  const player = new Player(screen, opts.live, (event) => {
    switch (event.type) {
      case 'loading': setState('loading'); return showMessage('Loading…');
      case 'restarting': root.dataset.restarts = String(Number(root.dataset.restarts ?? 0) + 1); return;
      case 'playing': setState('playing'); return showMessage(null);
      case 'waiting': if (state === 'playing') showMessage('Buffering…', 'quiet'); return;
      case 'muted': return showMessage('Playing muted: the browser wants a click before sound. Use the video controls to unmute.', 'quiet');
      case 'ended': setState('ended'); return showMessage(opts.live ? 'The stream has ended.' : 'End of the recording.', opts.live ? 'warn' : 'quiet');
      case 'error': setState('error'); return showMessage(`Playback failed: ${event.message}`, 'error');
    }
  });

  /**
   * A message over the video; null hides it.
   * @param {string | null} text
   * @param {'info' | 'quiet' | 'warn' | 'error'} [tone]
   */
  function showMessage(text, tone = 'info') {
    message.hidden = text === null;
    message.dataset.tone = tone;
    setText(message, text ?? '');
  }

  /** @param {Source[]} next */
  function setSources(next) {
    const sorted = ORDER.map((k) => next.find((s) => s.kind === k)).filter((s) => s !== undefined);
    if (sorted.map((s) => `${s.kind} ${s.url}`).join() === sources.map((s) => `${s.kind} ${s.url}`).join()) return;
    sources = /** @type {Source[]} */ (sorted);
    if (!sources.some((s) => s.kind === selected)) selected = sources[0]?.kind ?? null;
    choices.replaceChildren(
      ...sources.map((s) =>
        el('label', { class: 'choice' },
          el('input', { type: 'radio', name: group, value: s.kind, checked: s.kind === selected, onchange: () => choose(s.kind) }),
          el('span', { text: LABELS[s.kind] }))),
    );
    selector.hidden = sources.length < 2;
  }

  /** @param {SourceKind} kind */
  function choose(kind) {
    selected = kind;
    opts.onSourceChange?.(kind);
    start();
  }

  /** Plays the selected source (again, from the start or the live edge). */
  function start() {
    if (destroyed) return;
    const source = sources.find((s) => s.kind === selected);
    if (!source) return showMessage('Nothing to play: this server offers no HLS or DASH for it.', 'error');
    void player.load(source);
  }

  /** Stops playback; the message stays. */
  function stop() {
    player.stop();
    setState('idle');
  }

  const timer = setInterval(() => {
    const video = player.video;
    if (!video) return;
    if (latency) setText(latency, formatSeconds(player.latencySec()));
    // Live media time can start anywhere (DASH counts from 1970): show how much was watched.
    setText(time, opts.live ? formatDuration(playedSec(video)) : `${formatDuration(video.currentTime)} / ${formatDuration(video.duration)}`);
    let ahead = 0;
    for (let i = 0; i < video.buffered.length; i++) {
      if (video.buffered.start(i) <= video.currentTime + 0.1) ahead = Math.max(ahead, video.buffered.end(i) - video.currentTime);
    }
    setText(buffer, formatSeconds(Math.max(0, ahead)));
    setText(size, video.videoWidth ? `${video.videoWidth}×${video.videoHeight}` : '–');
  }, STATS_EVERY_MS);

  return {
    root,
    setSources,
    start,
    stop,
    showMessage,
    get state() {
      return state;
    },
    get selected() {
      return selected;
    },
    destroy() {
      destroyed = true;
      clearInterval(timer);
      player.stop();
    },
  };
}
