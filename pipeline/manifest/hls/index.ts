// HLS playlists: media playlist model and serializer, live windows (plain and low-latency), multivariant playlist (RFC 8216; rfc8216bis).
export * from './media-playlist.js';
export * from './live-window.js';
export * from './hls-time.js';
export * from './attribute-list.js';
export * from './playlist-version.js';
export { restoreLiveWindowState } from './live-window-state.js';
export { isSafeUri, partsMatchSegment } from './media-playlist-validation.js';
export * from './low-latency-tags.js';
export * from './delta-update.js';
export * from './blocking-reload.js';
export * from './ll-live-window.js';
export { restoreLlLiveWindowState } from './ll-live-window-state.js';
export * from './multivariant-playlist.js';
