// #/recordings: every recording, newest first, with duration, size and state; play, download the
// MP4, delete (after a confirmation). Refreshes by itself while recordings are being made.
import { deleteRecording, listRecordings, localPath, repeat } from './api.js';
import { el, setText } from './dom.js';
import { formatBytes, formatDate, formatDuration } from './format.js';

const POLL_MS = 3000;
const STATE_LABELS = /** @type {Record<string, string>} */ ({ recording: 'Recording', finalizing: 'Finalizing', ready: 'Ready', failed: 'Failed' });

/**
 * Deletes after asking; resolves true when it is gone.
 * @param {{ id: string, app: string, name: string, startedAt: string }} rec
 * @param {HTMLElement} status where to say what happened
 */
export async function confirmAndDelete(rec, status) {
  if (!confirm(`Delete the recording of ${rec.app}/${rec.name} from ${formatDate(rec.startedAt)}? This cannot be undone.`)) return false;
  try {
    await deleteRecording(rec.id);
    setText(status, `Deleted the recording of ${rec.app}/${rec.name} from ${formatDate(rec.startedAt)}.`);
    return true;
  } catch (e) {
    setText(status, `Could not delete it: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

/**
 * The MP4 download link, or null while there is none.
 * @param {{ id: string, app: string, name: string, mp4Bytes: number, urls: { mp4: string | null } }} rec
 */
export function mp4Link(rec) {
  if (!rec.urls.mp4) return null;
  return el('a', { class: 'button', href: localPath(rec.urls.mp4), download: `${rec.app}-${rec.name}-${rec.id}.mp4`, 'data-action': 'mp4' },
    `Download MP4${rec.mp4Bytes ? ` (${formatBytes(rec.mp4Bytes)})` : ''}`);
}

/**
 * @param {HTMLElement} view
 * @returns {() => void} unmount
 */
export function mountRecordings(view) {
  const status = el('p', { class: 'status', role: 'status' });
  const list = el('ul', { class: 'cards recordings', 'aria-label': 'Recordings' });
  const empty = el('p', { class: 'empty', hidden: true, text: 'No recordings yet. Record a stream with recording.streams in the configuration, or POST /api/streams/{app}/{name}/recording while it is live.' });
  view.append(el('h1', { text: 'Recordings' }), status, list, empty);
  let shown = '';

  /** @param {any[]} recordings */
  function render(recordings) {
    const text = JSON.stringify(recordings);
    if (text === shown) return; // unchanged: keep focus and selection where they are
    shown = text;
    empty.hidden = recordings.length > 0;
    list.replaceChildren(...recordings.map((rec) => card(rec)));
  }

  /** @param {any} rec */
  function card(rec) {
    const playable = rec.state === 'ready';
    const title = `${rec.app}/${rec.name}`;
    const del = el('button', { type: 'button', class: 'danger', 'data-action': 'delete', disabled: rec.state === 'recording',
      title: rec.state === 'recording' ? 'Stop the recording first' : undefined, 'aria-label': `Delete the recording of ${title} from ${formatDate(rec.startedAt)}` }, 'Delete');
    const item = el('li', { class: 'card recording', 'data-id': rec.id },
      el('div', { class: 'card-head' },
        playable ? el('a', { class: 'card-title', href: `#/recording/${encodeURIComponent(rec.id)}`, text: title }) : el('span', { class: 'card-title', text: title }),
        el('span', { class: 'badge', 'data-state': rec.state, text: STATE_LABELS[rec.state] ?? rec.state })),
      el('dl', { class: 'facts' },
        el('div', {}, el('dt', { text: 'Started' }), el('dd', {}, el('time', { datetime: rec.startedAt, text: formatDate(rec.startedAt) }))),
        el('div', {}, el('dt', { text: 'Duration' }), el('dd', { 'data-stat': 'duration', text: formatDuration(rec.durationSec) })),
        el('div', {}, el('dt', { text: 'Size' }), el('dd', { 'data-stat': 'size', text: formatBytes(rec.bytes) }))),
      rec.error ? el('p', { class: 'error', text: rec.error }) : null,
      el('div', { class: 'actions' },
        playable ? el('a', { class: 'button primary', href: `#/recording/${encodeURIComponent(rec.id)}`, 'data-action': 'play', 'aria-label': `Play the recording of ${title}` }, 'Play') : null,
        mp4Link(rec),
        del));
    del.addEventListener('click', async () => {
      if (await confirmAndDelete(rec, status)) {
        item.remove();
        shown = '';
        empty.hidden = list.children.length > 0;
      }
    });
    return item;
  }

  const stop = repeat(POLL_MS, async (active) => {
    const recordings = await listRecordings();
    if (active()) render(recordings);
  }, (err) => setText(status, `Cannot list the recordings: ${err.message}`));
  return stop;
}
