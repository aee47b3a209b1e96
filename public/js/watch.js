// #/watch/{app}/{name}: a live stream in the player. Waits while the stream is offline and starts
// when it goes live; says when it ends (it left /api/streams, EXT-X-ENDLIST, or the MPD became
// static) and starts again if it comes back.
import { listStreams, localPath, repeat, serverInfo } from './api.js';
import { el, fact, setText } from './dom.js';
import { audioSummary, formatDuration, formatKbps, videoSummary } from './format.js';
import { createPlayerView } from './player-view.js';

const POLL_MS = 2000;

/**
 * @param {HTMLElement} view
 * @param {{ app: string, name: string, via: string | null }} params
 * @returns {() => void} unmount
 */
export function mountWatch(view, { app, name, via }) {
  const key = `${app}/${name}`;
  const badge = el('span', { class: 'badge', 'data-stat': 'stream-state', text: '…' });
  const facts = el('dl', { class: 'facts' });
  const video = fact(facts, 'Video', 'video');
  const audio = fact(facts, 'Audio', 'audio');
  const bitrate = fact(facts, 'Bitrate', 'bitrate');
  const uptime = fact(facts, 'Uptime', 'uptime');
  const problem = el('p', { class: 'status', role: 'status' });
  /** 'waiting' until the stream is live and has segments; 'ended' once it stops. */
  let phase = /** @type {'waiting' | 'playing' | 'ended'} */ ('waiting');
  /** Seconds a new publish needs before its first playlists exist (about one segment). */
  let warmupSec = 3;
  void serverInfo().then((s) => (warmupSec = Math.ceil(s.keyframeIntervalSec) + 1), () => undefined);

  const player = createPlayerView({
    live: true,
    initial: via,
    onSourceChange: (kind) => history.replaceState(null, '', `#/watch/${encodeURIComponent(app)}/${encodeURIComponent(name)}?via=${kind}`),
    onStateChange: (state) => {
      if (state === 'ended' && phase === 'playing') ended();
    },
  });
  view.append(
    el('p', { class: 'crumbs' }, el('a', { href: '#/', text: '← Live streams' })),
    el('h1', {}, el('span', { class: 'stream-name', text: key }), ' ', badge),
    player.root,
    facts,
    problem,
  );
  player.showMessage('Looking for the stream…', 'quiet');

  function ended() {
    phase = 'ended';
    setBadge('ended', 'Ended');
    player.showMessage('The stream has ended. Playback starts again if it comes back.', 'warn');
  }

  /** @param {string} state @param {string} text */
  function setBadge(state, text) {
    badge.dataset.state = state;
    setText(badge, text);
  }

  const stop = repeat(POLL_MS, async (active) => {
    const streams = await listStreams();
    if (!active()) return;
    const stream = streams.find((s) => s.app === app && s.name === name);
    setText(problem, '');
    if (!stream) {
      if (phase === 'playing') ended();
      else if (phase === 'waiting') {
        setBadge('offline', 'Offline');
        player.showMessage(`${key} is offline. Playback starts as soon as it goes live.`, 'quiet');
      }
      return;
    }
    setText(video, videoSummary(stream.video));
    setText(audio, audioSummary(stream.audio));
    setText(bitrate, formatKbps(stream.bitrateKbps));
    setText(uptime, formatDuration(stream.uptimeSec));
    const playback = stream.playback ?? {};
    player.setSources(
      /** @type {const} */ (['hls', 'llHls', 'dash']).filter((k) => typeof playback[k] === 'string').map((kind) => ({ kind, url: localPath(playback[kind]) })),
    );
    if (phase === 'playing' && player.state !== 'error') return;
    if (phase === 'ended' && (player.state === 'playing' || player.state === 'loading')) {
      // Back within the reconnect grace: the same playlist goes on, the player with it.
      phase = 'playing';
      setBadge('live', 'Live');
      player.showMessage(null);
      return;
    }
    setBadge('live', 'Live');
    if (stream.uptimeSec < warmupSec) return void player.showMessage('The stream is starting…', 'quiet');
    phase = 'playing';
    player.start();
  }, (err) => setText(problem, `Cannot reach the server: ${err.message}`));

  return () => {
    stop();
    player.destroy();
  };
}
