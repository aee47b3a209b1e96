// Plays one source in a fresh <video>: hls.js (HLS, low-latency HLS), dash.js (DASH), or the
// browser's own HLS (Safari without MSE). The libraries come from this server (/lib/*), loaded on
// first use. Reports playing, waiting, ended and errors; measures the live latency.
import { serverClockOffsetMs } from './api.js';

/** @typedef {'hls' | 'llHls' | 'dash'} SourceKind */
/** @typedef {{ kind: SourceKind, url: string }} Source */
/** @typedef {{ type: 'loading' | 'restarting' | 'playing' | 'waiting' | 'muted' | 'ended' } | { type: 'error', message: string }} PlayerEvent */

const LIBRARIES = { hls: '/lib/hls.js', dash: '/lib/dash.js' };
/** A load that has not started playing by then is started once more (a player stuck at start-up). */
const RESTART_AFTER_MS = 10_000;
/** Where dash.js starts a recording: just past the period start, where every track has samples.
 *  At 0, the video's first frame (after the B-frame delay) and the audio's first frame begin a few
 *  tens of milliseconds later; dash.js then seeks to them while the other track is starting, and
 *  now and then that track never loads (playback stays at readyState 1). */
const VOD_DASH_START_SEC = 0.1;
/** As hls.js should play our low-latency HLS: lowLatencyMode, and up to 1.5× to catch up to PART-HOLD-BACK. */
const LOW_LATENCY_HLS = { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 };

/** With localStorage['onramp.debug'] = '1', the player libraries log to the console. */
const DEBUG = (() => {
  try {
    return localStorage.getItem('onramp.debug') === '1';
  } catch {
    return false;
  }
})();

/** @type {Map<string, Promise<void>>} */
const loadedScripts = new Map();

/** @param {string} url */
function loadScript(url) {
  let p = loadedScripts.get(url);
  if (!p) {
    p = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = url;
      s.onload = () => resolve();
      s.onerror = () => {
        loadedScripts.delete(url);
        reject(new Error(`the player library ${url} is not available on this server`));
      };
      document.head.append(s);
    });
    loadedScripts.set(url, p);
  }
  return p;
}

/** @param {unknown} x */
const finite = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export class Player {
  /**
   * @param {HTMLElement} screen where the <video> goes
   * @param {boolean} live
   * @param {(event: PlayerEvent) => void} onEvent
   */
  constructor(screen, live, onEvent) {
    this.screen = screen;
    this.live = live;
    this.onEvent = onEvent;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.watchdog = undefined;
    /** @type {HTMLVideoElement | null} */
    this.video = null;
    /** @type {any} hls.js or dash.js instance */
    this.engine = null;
    /** @type {() => number | null} */
    this.latency = () => null;
    this.generation = 0;
    this.clockOffsetMs = 0;
  }

  /**
   * Stops what plays and starts the source.
   * @param {Source} source
   * @param {number} [attempt] 0, or 1 when the watchdog starts it again
   */
  async load(source, attempt = 0) {
    this.stop();
    const generation = ++this.generation;
    const video = this.createVideo();
    this.onEvent({ type: 'loading' });
    if (attempt === 0) {
      this.watchdog = setTimeout(() => {
        if (generation !== this.generation || video.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA || video.error) return;
        this.onEvent({ type: 'restarting' });
        void this.load(source, 1);
      }, RESTART_AFTER_MS);
    }
    try {
      this.clockOffsetMs = await serverClockOffsetMs();
      if (generation !== this.generation) return;
      if (source.kind === 'dash') await this.startDash(video, source.url, generation);
      else await this.startHls(video, source, generation);
    } catch (e) {
      if (generation === this.generation) this.onEvent({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Removes the video and the player library's instance. */
  stop() {
    this.generation++;
    clearTimeout(this.watchdog);
    const { engine, video } = this;
    this.engine = null;
    this.video = null;
    this.latency = () => null;
    engine?.destroy(); // hls.js and dash.js both
    if (video) {
      video.pause();
      video.removeAttribute('src');
      video.load();
      video.remove();
    }
  }

  /** Seconds behind live, or null (on demand, or not known yet). */
  latencySec() {
    try {
      return this.latency();
    } catch {
      return null;
    }
  }

  /** @returns {HTMLVideoElement} */
  createVideo() {
    const video = document.createElement('video');
    video.controls = true;
    video.playsInline = true;
    video.autoplay = true;
    for (const type of /** @type {const} */ (['playing', 'waiting', 'ended'])) {
      video.addEventListener(type, () => {
        if (video === this.video) this.onEvent({ type });
      });
    }
    this.screen.prepend(video);
    this.video = video;
    return video;
  }

  /** Plays; where the browser wants a gesture for sound, plays muted and says so. @param {HTMLVideoElement} video */
  play(video) {
    video.play().catch((e) => {
      if (e?.name !== 'NotAllowedError' || video !== this.video) return;
      video.muted = true;
      video.play().then(() => this.onEvent({ type: 'muted' }), () => undefined);
    });
  }

  /**
   * @param {HTMLVideoElement} video
   * @param {Source} source
   * @param {number} generation
   */
  async startHls(video, source, generation) {
    const mse = 'MediaSource' in window || 'ManagedMediaSource' in window;
    if (!mse && video.canPlayType('application/vnd.apple.mpegurl')) return this.startNative(video, source.url);
    await loadScript(LIBRARIES.hls);
    if (generation !== this.generation) return;
    const Hls = /** @type {any} */ (window).Hls;
    if (!Hls?.isSupported()) throw new Error('this browser cannot play HLS (no Media Source Extensions)');
    const hls = new Hls({ ...(source.kind === 'llHls' ? LOW_LATENCY_HLS : { lowLatencyMode: false }), debug: DEBUG });
    this.engine = hls;
    let wasLive = false;
    let mediaRecoveries = 0;
    hls.on(Hls.Events.ERROR, (/** @type {unknown} */ _e, /** @type {any} */ d) => {
      if (!d.fatal || hls !== this.engine) return;
      if (d.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries++ < 2) return void hls.recoverMediaError();
      const http = d.response?.code ? ` (HTTP ${d.response.code})` : '';
      this.onEvent({ type: 'error', message: `hls.js: ${d.details}${http}` });
    });
    hls.on(Hls.Events.LEVEL_UPDATED, (/** @type {unknown} */ _e, /** @type {any} */ d) => {
      if (d.details.live) wasLive = true;
      else if (wasLive && hls === this.engine) this.onEvent({ type: 'ended' }); // EXT-X-ENDLIST
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => this.play(video));
    hls.loadSource(source.url);
    hls.attachMedia(video);
    // Wall-clock latency: the server's now minus the PROGRAM-DATE-TIME of the frame on screen;
    // hls.js's own estimate (distance from the live edge) until a date is known.
    this.latency = () => {
      if (!wasLive) return null;
      const date = hls.playingDate;
      return date ? (Date.now() + this.clockOffsetMs - date.getTime()) / 1000 : finite(hls.latency);
    };
  }

  /**
   * @param {HTMLVideoElement} video
   * @param {string} url
   * @param {number} generation
   */
  async startDash(video, url, generation) {
    await loadScript(LIBRARIES.dash);
    if (generation !== this.generation) return;
    const dashjs = /** @type {any} */ (window).dashjs;
    const player = dashjs.MediaPlayer().create();
    this.engine = player;
    // Errors reach the page through events; the console stays for the page's own messages.
    player.updateSettings({ debug: { logLevel: DEBUG ? dashjs.Debug.LOG_LEVEL_DEBUG : dashjs.Debug.LOG_LEVEL_NONE } });
    const events = dashjs.MediaPlayer.events;
    let wasDynamic = false;
    player.on(events.ERROR, (/** @type {any} */ e) => {
      if (player !== this.engine) return;
      const err = e.error ?? {};
      this.onEvent({ type: 'error', message: `dash.js: ${err.message ?? err.code ?? 'error'}` });
    });
    player.on(events.MANIFEST_LOADED, (/** @type {any} */ e) => {
      const dynamic = e.data?.type === 'dynamic';
      if (dynamic) wasDynamic = true;
      else if (wasDynamic && player === this.engine) this.onEvent({ type: 'ended' }); // the MPD became static
    });
    player.initialize(video, url, true, this.live ? undefined : VOD_DASH_START_SEC);
    this.latency = () => (wasDynamic ? finite(player.getCurrentLiveLatency()) : null);
  }

  /**
   * Safari's own HLS: latency from the stream's start date (its PROGRAM-DATE-TIME).
   * @param {HTMLVideoElement} video
   * @param {string} url
   */
  startNative(video, url) {
    video.src = url;
    video.addEventListener('error', () => {
      if (video === this.video) this.onEvent({ type: 'error', message: `the browser could not play the stream (MediaError ${video.error?.code})` });
    });
    this.play(video);
    this.latency = () => {
      const start = /** @type {any} */ (video).getStartDate?.();
      const t = start instanceof Date ? start.getTime() : NaN;
      return Number.isFinite(t) && video.duration === Infinity ? (Date.now() + this.clockOffsetMs - t) / 1000 - video.currentTime : null;
    };
  }
}
