// The configuration module's public API: loadConfig at start-up, defaultConfig in code.
export { loadConfig, type LoadInput, type LoadResult } from './load-config.js';
export { defaultConfig } from './default-config.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config-error.js';
export { redactConfig } from './redact-config.js';
export { usageText } from './usage.js';
export { ONRAMP_VERSION } from './version.js';
export type {
  DeepPartial,
  HttpConfig,
  LogLevel,
  OnrampConfig,
  PlayerConfig,
  PublisherTakeover,
  RtmpConfig,
  RtmpsConfig,
  StreamsConfig,
} from './config-schema.js';
export { PUBLISHER_TAKEOVER_MODES } from './config-schema.js';
