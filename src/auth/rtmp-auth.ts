// Everything an RTMP listener needs to decide on publishes and plays, built once from the config
// and shared by all its connections (the per-IP publish count spans connections).
import type { OnrampConfig } from '../config/config-schema.js';
import type { FetchLike } from './auth-callback.js';
import { PlayAuthorizer } from './play-auth.js';
import { PublishAuthorizer } from './publish-auth.js';
import { PublishLimit } from './publish-limit.js';

export interface RtmpAuth {
  readonly publish: PublishAuthorizer;
  readonly play: PlayAuthorizer;
  readonly publishLimit: PublishLimit;
}

export function createRtmpAuth(config: OnrampConfig, nowMs: () => number, fetchImpl?: FetchLike): RtmpAuth {
  return {
    publish: new PublishAuthorizer({ auth: config.auth, nowMs, fetch: fetchImpl }),
    play: new PlayAuthorizer({ auth: config.auth, nowMs, fetch: fetchImpl }),
    publishLimit: new PublishLimit(config.rtmp.maxPublishesPerIp),
  };
}
