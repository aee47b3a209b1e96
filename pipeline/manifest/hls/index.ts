// HLS media playlists: model, serializer, live window and attribute lists (RFC 8216).
export * from './media-playlist.js';
export * from './live-window.js';
export * from './hls-time.js';
export * from './attribute-list.js';
export * from './playlist-version.js';
export { restoreLiveWindowState } from './live-window-state.js';
