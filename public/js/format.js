// How numbers, times and codecs read on the page.

/** @param {number} n */
const pad = (n) => String(n).padStart(2, '0');

/**
 * 75 → "1:15", 3725 → "1:02:05".
 * @param {number | null | undefined} totalSec
 */
export function formatDuration(totalSec) {
  if (typeof totalSec !== 'number' || !Number.isFinite(totalSec) || totalSec < 0) return '–';
  const s = Math.round(totalSec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * Decimal units, as disks and networks count: 1234567 → "1.2 MB".
 * @param {number | null | undefined} bytes
 */
export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** @param {number | null | undefined} kbps */
export function formatKbps(kbps) {
  if (typeof kbps !== 'number' || !Number.isFinite(kbps)) return '–';
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(kbps >= 10000 ? 0 : 1)} Mb/s` : `${Math.round(kbps)} kb/s`;
}

/** @param {number | null | undefined} sec */
export function formatSeconds(sec) {
  return typeof sec === 'number' && Number.isFinite(sec) ? `${sec.toFixed(1)} s` : '–';
}

/** @param {string | null | undefined} iso */
export function formatDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const H264_PROFILES = /** @type {Record<string, string>} */ ({ 42: 'Baseline', '4d': 'Main', 58: 'Extended', 64: 'High', '6e': 'High 10', '7a': 'High 4:2:2', f4: 'High 4:4:4' });
const VIDEO_CODECS = /** @type {Record<string, string>} */ ({ avc1: 'H.264', avc3: 'H.264', hvc1: 'HEVC', hev1: 'HEVC', av01: 'AV1', vp09: 'VP9', vp08: 'VP8' });
const AUDIO_CODECS = /** @type {Record<string, string>} */ ({ 'mp4a.40.2': 'AAC-LC', 'mp4a.40.5': 'HE-AAC', 'mp4a.40.29': 'HE-AACv2', 'mp4a.40.34': 'MP3', '.mp3': 'MP3', Opus: 'Opus', fLaC: 'FLAC', 'ac-3': 'AC-3', 'ec-3': 'E-AC-3' });

/**
 * "H.264 High 3.1", "HEVC", or the FourCC itself.
 * @param {{ codec: string, codecString?: string }} track
 */
export function videoCodecName(track) {
  const name = VIDEO_CODECS[track.codec] ?? track.codec;
  const m = /^avc[13]\.([0-9a-f]{2})[0-9a-f]{2}([0-9a-f]{2})$/i.exec(track.codecString ?? '');
  if (!m) return name;
  const profile = H264_PROFILES[m[1].toLowerCase()];
  return [name, profile, String(parseInt(m[2], 16) / 10)].filter(Boolean).join(' ');
}

/** @param {{ codec: string, codecString?: string }} track */
export function audioCodecName(track) {
  return AUDIO_CODECS[track.codecString ?? ''] ?? AUDIO_CODECS[track.codec] ?? track.codecString ?? track.codec;
}

/**
 * "H.264 High 1.3 · 320×180 · 30 fps"
 * @param {{ codec: string, codecString?: string, width?: number, height?: number, frameRate?: number } | undefined} v
 */
export function videoSummary(v) {
  if (!v) return 'none';
  const size = v.width && v.height ? `${v.width}×${v.height}` : '';
  const fps = v.frameRate ? `${Math.round(v.frameRate * 100) / 100} fps` : '';
  return [videoCodecName(v), size, fps].filter(Boolean).join(' · ');
}

/**
 * "AAC-LC · 44.1 kHz · stereo"
 * @param {{ codec: string, codecString?: string, sampleRate?: number, channels?: number } | undefined} a
 */
export function audioSummary(a) {
  if (!a) return 'none';
  const rate = a.sampleRate ? `${a.sampleRate / 1000} kHz` : '';
  const channels = a.channels === 1 ? 'mono' : a.channels === 2 ? 'stereo' : a.channels ? `${a.channels} ch` : '';
  return [audioCodecName(a), rate, channels].filter(Boolean).join(' · ');
}
