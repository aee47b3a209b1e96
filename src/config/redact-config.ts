// A copy of the config that is safe to log at start-up: the Redis URL's password is masked.
import type { OnrampConfig } from './config-schema.js';

export function redactConfig(config: OnrampConfig): OnrampConfig {
  if (config.redisUrl === null || !URL.canParse(config.redisUrl)) return config;
  const url = new URL(config.redisUrl);
  if (url.password === '') return config;
  url.password = '***';
  return Object.freeze({ ...config, redisUrl: url.toString() });
}
