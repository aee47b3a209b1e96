// #/recording/{id}: one recording in the same player as live streams (HLS, or DASH), with its
// facts, the MP4 download and delete. Waits while it is still being recorded or finalized.
import { ApiError, getRecording, localPath, repeat } from './api.js';
import { el, fact, setText } from './dom.js';
import { formatBytes, formatDate, formatDuration } from './format.js';
import { createPlayerView } from './player-view.js';
import { confirmAndDelete, mp4Link } from './recordings.js';

const POLL_MS = 2000;

/**
 * @param {HTMLElement} view
 * @param {{ id: string, via: string | null }} params
 * @returns {() => void} unmount
 */
export function mountRecording(view, { id, via }) {
  const title = el('span', { class: 'stream-name', text: id });
  const facts = el('dl', { class: 'facts' });
  const started = fact(facts, 'Started');
  const duration = fact(facts, 'Duration', 'duration');
  const size = fact(facts, 'Size', 'size');
  const actions = el('div', { class: 'actions' });
  const status = el('p', { class: 'status', role: 'status' });
  const player = createPlayerView({
    live: false,
    initial: via,
    onSourceChange: (kind) => history.replaceState(null, '', `#/recording/${encodeURIComponent(id)}?via=${kind}`),
  });
  view.append(el('p', { class: 'crumbs' }, el('a', { href: '#/recordings', text: '← Recordings' })), el('h1', {}, title), player.root, facts, actions, status);
  player.showMessage('Loading…', 'quiet');
  let gone = false;
  let playing = false;
  /** @type {string | null | undefined} the MP4 URL the actions show */
  let mp4Shown;

  const stop = repeat(POLL_MS, async (active) => {
    if (gone) return;
    let rec;
    try {
      rec = await getRecording(id);
    } catch (e) {
      if (!active()) return;
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      gone = true;
      player.stop();
      player.showMessage('There is no such recording (it may have been deleted).', 'warn');
      return;
    }
    if (!active()) return;
    setText(title, `${rec.app}/${rec.name}`);
    document.title = `${rec.app}/${rec.name} (recording) · Onramp`;
    setText(started, formatDate(rec.startedAt));
    setText(duration, formatDuration(rec.durationSec));
    setText(size, formatBytes(rec.bytes));
    if (rec.state === 'recording' || rec.state === 'finalizing') {
      player.showMessage(rec.state === 'recording' ? 'This recording is still being made; it plays once it is finished.' : 'Finalizing the recording…', 'quiet');
      return;
    }
    if (mp4Shown !== rec.urls.mp4) {
      // The MP4 export may finish after the recording does: the link appears then.
      mp4Shown = rec.urls.mp4;
      const del = el('button', { type: 'button', class: 'danger', 'data-action': 'delete' }, 'Delete');
      del.addEventListener('click', async () => {
        if (await confirmAndDelete(rec, status)) location.hash = '#/recordings';
      });
      actions.replaceChildren(...[mp4Link(rec), del].filter((n) => n !== null));
    }
    if (rec.state !== 'ready') return void player.showMessage(`This recording failed: ${rec.error ?? 'unknown error'}`, 'error');
    if (playing) return;
    playing = true;
    player.setSources([
      ...(rec.urls.hls ? [{ kind: /** @type {const} */ ('hls'), url: localPath(rec.urls.hls) }] : []),
      ...(rec.urls.dash ? [{ kind: /** @type {const} */ ('dash'), url: localPath(rec.urls.dash) }] : []),
    ]);
    player.start();
  }, (err) => setText(status, `Cannot load the recording: ${err.message}`));

  return () => {
    stop();
    player.destroy();
  };
}
