// A small bitrate chart: an SVG area over the last minutes, scaled to the highest value.
import { el } from './dom.js';
import { formatKbps } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 60;

/** @param {string} tag @param {Record<string, string>} attrs */
function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/**
 * @returns {{ root: HTMLElement, update: (history: { intervalSec: number, kbps: number[] } | undefined, nowKbps: number) => void }}
 */
export function createBitrateChart() {
  const area = svg('path', { class: 'chart-area', d: '' });
  const line = svg('path', { class: 'chart-line', d: '', 'vector-effect': 'non-scaling-stroke' });
  const plot = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  plot.append(area, line);
  const caption = el('figcaption', { class: 'chart-caption' });
  const root = el('figure', { class: 'chart', role: 'img' }, plot, caption);

  return {
    root,
    update(history, nowKbps) {
      // The measured intervals, then the current rate as the newest point.
      const values = [...(history?.kbps ?? []), nowKbps].filter((v) => Number.isFinite(v));
      const spanSec = (values.length - 1) * (history?.intervalSec ?? 5);
      const max = Math.max(1, ...values);
      const top = max * 1.15; // headroom, so a steady rate is not drawn along the top edge
      const points = values.map((v, i) => [values.length === 1 ? W : (i / (values.length - 1)) * W, H - 1 - (v / top) * (H - 2)]);
      if (points.length === 1) points.unshift([0, points[0][1]]);
      const path = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
      line.setAttribute('d', path);
      area.setAttribute('d', `${path}L${W},${H}L0,${H}Z`);
      const span = spanSec < 90 ? `${spanSec} s` : `${Math.round(spanSec / 60)} min`;
      const text = spanSec > 0 ? `peak ${formatKbps(max)} over the last ${span}` : 'collecting…';
      caption.textContent = text;
      root.setAttribute('aria-label', `Bitrate chart: ${text}`);
    },
  };
}
