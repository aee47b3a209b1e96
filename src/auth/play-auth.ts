// Who may play over RTMP: the IP lists, then a valid playback token when auth.play.secret is set
// (`?token=<expires>.<hex>` on the play name or the connect app), then the on_play callback when
// configured. Every configured check must pass; with none configured, playback is open.
import type { AuthConfig } from '../config/config-schema.js';
import { checkStreamName } from '../streams/stream-names.js';
import { createAuthCallback, type AuthCallback, type FetchLike } from './auth-callback.js';
import { refuse, type AuthDecision } from './auth-decision.js';
import { decisionFromCallback } from './callback-decision.js';
import { IpRules } from './ip-rules.js';
import { verifyPlayToken } from './signed-url.js';
import { param, type StreamRequest } from './stream-request.js';

export interface PlayAuthDeps {
  readonly auth: AuthConfig;
  readonly nowMs: () => number;
  readonly fetch?: FetchLike;
}

export class PlayAuthorizer {
  private readonly ipRules: IpRules;
  private readonly secret: string | null;
  private readonly callback: AuthCallback | undefined;

  constructor(private readonly deps: PlayAuthDeps) {
    const { play, callbackTimeoutMs } = deps.auth;
    this.ipRules = new IpRules(play.allow, play.deny);
    this.secret = play.secret;
    this.callback = play.callbackUrl === null ? undefined : createAuthCallback(play.callbackUrl, callbackTimeoutMs, deps.fetch);
  }

  /** Synchronous unless the callback is asked; `signal` aborts a pending callback. */
  authorize(req: StreamRequest, signal?: AbortSignal): AuthDecision | Promise<AuthDecision> {
    const ip = this.ipRules.check(req.ip);
    if (!ip.ok) return refuse('forbidden', ip.reason);
    const problem = checkStreamName('app', req.app) ?? checkStreamName('stream', req.name);
    if (problem !== undefined) return refuse('invalid', problem);
    let via: 'open' | 'token' = 'open';
    if (this.secret !== null) {
      const verdict = verifyPlayToken(this.secret, req.app, req.name, param(req.params, 'token'), Math.floor(this.deps.nowMs() / 1000));
      if (!verdict.ok) return refuse('invalid', verdict.reason);
      via = 'token';
    }
    if (this.callback === undefined) return { ok: true, app: req.app, name: req.name, via };
    const { app, name } = req;
    return this.callback
      .call({ action: 'play', app, name, query: req.params, ip: req.ip, sessionId: req.sessionId }, signal)
      .then((result) => decisionFromCallback(result, app, name));
  }
}
