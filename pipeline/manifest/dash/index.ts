// Live DASH manifests for Onramp's CMAF output: model, serializer, timeline and live window (ISO/IEC 23009-1 §5.3).
export * from './mpd-model.js';
export { serializeMpd, ADAPTATION_SET_ID } from './mpd-serializer.js';
export { validateLiveMpd, MAX_UNSIGNED_INT } from './mpd-validation.js';
export { compressTimeline, expandTimeline, validateSegmentTimings, type TimelineEntry } from './segment-timeline.js';
export { formatFrameRate, frameRateFraction, type FrameRateFraction } from './frame-rate.js';
export { formatXsDateTime, formatXsDuration } from './mpd-time.js';
export { cicpChannelConfiguration } from './audio-channel-configuration.js';
export { escapeXmlAttribute } from './xml-text.js';
export { templateIdentifiers, validateInitializationTemplate, validateMediaTemplate } from './segment-template.js';
export * from './dash-live-window.js';
export { restoreDashTimelineState, DASH_TIMELINE_STATE_VERSION } from './dash-live-window-state.js';
export * from './live-mpd-builder.js';
