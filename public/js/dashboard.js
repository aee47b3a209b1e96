// #/: the live streams, refreshed every two seconds: codecs, resolution, frame rate, measured
// bitrate with a chart of the last minutes, uptime, viewers. With nothing live, how to stream.
import { listStreams, repeat } from './api.js';
import { createBitrateChart } from './chart.js';
import { el, fact, setText } from './dom.js';
import { audioSummary, formatDuration, formatKbps, videoSummary } from './format.js';
import { mountHowTo } from './howto.js';

const POLL_MS = 2000;

/** @param {string} app @param {string} name */
const watchHref = (app, name) => `#/watch/${encodeURIComponent(app)}/${encodeURIComponent(name)}`;

/**
 * Viewers: HLS/DASH viewers and RTMP players when the server counts both, else RTMP players.
 * @param {any} s
 * @returns {[string, string]} the number, and what it is made of
 */
function viewers(s) {
  const v = s.viewers;
  if (v && typeof v.rtmp === 'number' && typeof v.http === 'number') return [String(v.rtmp + v.http), `HLS/DASH ${v.http} · RTMP ${v.rtmp}`];
  return [String(s.players ?? 0), 'RTMP players'];
}

/**
 * A fact with a detail line under its value.
 * @param {HTMLElement} list
 * @param {string} term
 * @param {string} stat
 */
function detailedFact(list, term, stat) {
  const value = el('span', { 'data-stat': stat });
  const detail = el('small', { class: 'detail' });
  list.append(el('div', {}, el('dt', { text: term }), el('dd', {}, value, detail)));
  return { value, detail };
}

/** One stream's card, updated in place on every refresh. @param {any} s */
function streamCard(s) {
  const key = `${s.app}/${s.name}`;
  const facts = el('dl', { class: 'facts' });
  const rows = {
    video: fact(facts, 'Video', 'video'),
    audio: fact(facts, 'Audio', 'audio'),
    bitrate: detailedFact(facts, 'Bitrate', 'bitrate'),
    uptime: fact(facts, 'Uptime', 'uptime'),
    viewers: detailedFact(facts, 'Viewers', 'viewers'),
  };
  const chart = createBitrateChart();
  const root = el('li', { class: 'card stream', 'data-stream': key },
    el('div', { class: 'card-head' },
      el('a', { class: 'card-title', href: watchHref(s.app, s.name), text: key }),
      el('span', { class: 'badge', 'data-state': 'live', text: 'Live' })),
    facts,
    chart.root,
    el('div', { class: 'actions' }, el('a', { class: 'button primary', href: watchHref(s.app, s.name), 'aria-label': `Watch ${key}` }, 'Watch')));
  /** @param {any} next */
  const update = (next) => {
    setText(rows.video, videoSummary(next.video));
    setText(rows.audio, audioSummary(next.audio));
    setText(rows.bitrate.value, formatKbps(next.bitrateKbps));
    setText(rows.bitrate.detail, [next.video && `video ${next.video.bitrateKbps}`, next.audio && `audio ${next.audio.bitrateKbps}`].filter(Boolean).join(' · '));
    setText(rows.uptime, formatDuration(next.uptimeSec));
    const [count, detail] = viewers(next);
    setText(rows.viewers.value, count);
    setText(rows.viewers.detail, detail);
    chart.update(next.history, next.bitrateKbps);
  };
  update(s);
  return { root, update };
}

/**
 * @param {HTMLElement} view
 * @returns {() => void} unmount
 */
export function mountDashboard(view) {
  const status = el('p', { class: 'status', role: 'status' });
  const list = el('ul', { class: 'cards streams', 'aria-label': 'Live streams' });
  const howTo = el('section', { class: 'empty', 'aria-label': 'No live streams' }, el('p', { class: 'lead', text: 'Nothing is live right now. Publish a stream and it shows up here within seconds.' }));
  howTo.hidden = true;
  view.append(el('h1', { text: 'Live streams' }), status, list, howTo);
  const unmountHowTo = mountHowTo(howTo, { compact: true });
  /** @type {Map<string, ReturnType<typeof streamCard>>} */
  const cards = new Map();

  const stop = repeat(POLL_MS, async (active) => {
    const streams = await listStreams();
    if (!active()) return;
    setText(status, '');
    const seen = new Set();
    for (const s of streams) {
      const key = `${s.app}/${s.name}`;
      seen.add(key);
      const card = cards.get(key);
      if (card) card.update(s);
      else {
        const made = streamCard(s);
        cards.set(key, made);
        list.append(made.root);
      }
    }
    for (const [key, card] of cards) {
      if (seen.has(key)) continue;
      card.root.remove();
      cards.delete(key);
    }
    howTo.hidden = streams.length > 0;
  }, (err) => setText(status, `Cannot reach the server: ${err.message}`));

  return () => {
    stop();
    unmountHowTo();
  };
}
