// A copy of the config that is safe to log at start-up: passwords in URLs and secrets are masked.
import type { OnrampConfig } from './config-schema.js';

export function redactConfig(config: OnrampConfig): OnrampConfig {
  const redisUrl = maskPassword(config.redisUrl);
  const webhookUrl = maskPassword(config.webhooks.url);
  const secret = config.webhooks.secret === null ? null : '***';
  if (redisUrl === config.redisUrl && webhookUrl === config.webhooks.url && secret === config.webhooks.secret) return config;
  return Object.freeze({ ...config, redisUrl, webhooks: Object.freeze({ ...config.webhooks, url: webhookUrl, secret }) });
}

function maskPassword(value: string | null): string | null {
  if (value === null || !URL.canParse(value)) return value;
  const url = new URL(value);
  if (url.password === '') return value;
  url.password = '***';
  return url.toString();
}
