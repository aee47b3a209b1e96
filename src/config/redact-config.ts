// A copy of the config that is safe to log at start-up: passwords in URLs and secrets are masked.
import type { OnrampConfig } from './config-schema.js';

export function redactConfig(config: OnrampConfig): OnrampConfig {
  const redisUrl = maskPassword(config.redisUrl);
  const webhookUrl = maskPassword(config.webhooks.url);
  const secret = config.webhooks.secret === null ? null : '***';
  const { publish, play } = config.auth;
  const hidden = (v: string | null): string | null => (v === null ? null : '***');
  const keys = Object.fromEntries(Object.entries(publish.keys).map(([, target], i) => [`key-${i + 1}`, target]));
  return Object.freeze({
    ...config,
    redisUrl,
    webhooks: Object.freeze({ ...config.webhooks, url: webhookUrl, secret }),
    auth: Object.freeze({
      ...config.auth,
      publish: Object.freeze({ ...publish, keys, secret: hidden(publish.secret), callbackUrl: maskPassword(publish.callbackUrl) }),
      play: Object.freeze({ ...play, secret: hidden(play.secret), callbackUrl: maskPassword(play.callbackUrl) }),
    }),
  });
}

function maskPassword(value: string | null): string | null {
  if (value === null || !URL.canParse(value)) return value;
  const url = new URL(value);
  if (url.password === '') return value;
  url.password = '***';
  return url.toString();
}
