// Who may publish: the IP lists first, then the configured methods in order — stream-key map,
// signed URL, on_publish callback. The first method that recognises the request decides (the key
// map recognises a name that is a key, the signature a request with `sig`, the callback every
// request); with methods configured and none recognising, the publish is refused; with none
// configured, publishing is open.
import type { AuthConfig } from '../config/config-schema.js';
import { checkStreamName } from '../streams/stream-names.js';
import { createAuthCallback, type AuthCallback, type FetchLike } from './auth-callback.js';
import { refuse, type AuthDecision } from './auth-decision.js';
import { decisionFromCallback } from './callback-decision.js';
import { IpRules, isLoopbackHost } from './ip-rules.js';
import { verifyPublishSignature } from './signed-url.js';
import { StreamKeys } from './stream-keys.js';
import { param, type StreamRequest } from './stream-request.js';

export interface PublishAuthDeps {
  readonly auth: AuthConfig;
  readonly nowMs: () => number;
  /** For tests; defaults to the global fetch. */
  readonly fetch?: FetchLike;
}

export class PublishAuthorizer {
  private readonly ipRules: IpRules;
  private readonly keys: StreamKeys;
  private readonly secret: string | null;
  private readonly callback: AuthCallback | undefined;

  constructor(private readonly deps: PublishAuthDeps) {
    const { publish, callbackTimeoutMs } = deps.auth;
    this.ipRules = new IpRules(publish.allow, publish.deny);
    this.keys = new StreamKeys(publish.keys);
    this.secret = publish.secret;
    this.callback = publish.callbackUrl === null ? undefined : createAuthCallback(publish.callbackUrl, callbackTimeoutMs, deps.fetch);
  }

  /** No method is configured: anyone the IP lists let through may publish any valid name. */
  get open(): boolean {
    return this.keys.size === 0 && this.secret === null && this.callback === undefined;
  }

  /** "app/name" as a log line may show it (the public stream), or undefined if the name may be a secret. */
  loggableStream(req: StreamRequest): string | undefined {
    const mapped = this.keys.lookup(req.name, req.app);
    if (mapped !== undefined) return `${mapped.app}/${mapped.name}`;
    if (this.keys.isPublicName(req.app, req.name)) return `${req.app}/${req.name}`;
    if (this.keys.size > 0 || this.callback !== undefined) return undefined;
    return checkStreamName('stream', req.name) === undefined ? `${req.app}/${req.name}` : undefined;
  }

  /** Synchronous unless the callback is asked; `signal` aborts a pending callback. */
  authorize(req: StreamRequest, signal?: AbortSignal): AuthDecision | Promise<AuthDecision> {
    const ip = this.ipRules.check(req.ip);
    if (!ip.ok) return refuse('forbidden', ip.reason);
    const appProblem = checkStreamName('app', req.app);
    if (appProblem !== undefined) return refuse('invalid', appProblem);

    const mapped = this.keys.lookup(req.name, req.app);
    if (mapped !== undefined) {
      const problem = checkStreamName('app', mapped.app);
      return problem === undefined ? { ok: true, ...mapped, via: 'key' } : refuse('invalid', problem);
    }
    if (this.keys.isPublicName(req.app, req.name)) return refuse('invalid', 'a public name of the key map was used; publish with its stream key');

    const sig = param(req.params, 'sig');
    if (this.secret !== null && sig !== undefined) {
      const nameProblem = checkStreamName('stream', req.name);
      if (nameProblem !== undefined) return refuse('invalid', 'stream name is not valid');
      const verdict = verifyPublishSignature(this.secret, req.app, req.name, param(req.params, 'expires'), sig, Math.floor(this.deps.nowMs() / 1000));
      return verdict.ok ? { ok: true, app: req.app, name: req.name, via: 'signature' } : refuse('invalid', verdict.reason);
    }

    if (this.callback !== undefined) {
      const { app, name } = req;
      return this.callback
        .call({ action: 'publish', app, name, query: req.params, ip: req.ip, sessionId: req.sessionId }, signal)
        .then((result) => decisionFromCallback(result, app, name));
    }

    if (!this.open) return refuse('invalid', this.unrecognisedReason());
    const nameProblem = checkStreamName('stream', req.name);
    return nameProblem === undefined ? { ok: true, app: req.app, name: req.name, via: 'open' } : refuse('invalid', nameProblem);
  }

  private unrecognisedReason(): string {
    if (this.keys.size > 0 && this.secret !== null) return 'not a stream key and no signature';
    return this.keys.size > 0 ? 'unknown stream key' : 'signature missing';
  }
}

/** The start-up warning for a publicly reachable server that lets anyone publish, or undefined. */
export function openPublishWarning(auth: AuthConfig, host: string): string | undefined {
  const open = Object.keys(auth.publish.keys).length === 0 && auth.publish.secret === null && auth.publish.callbackUrl === null;
  if (!open || auth.publish.allow.length > 0 || isLoopbackHost(host)) return undefined;
  return `publishing is open to anyone who can reach ${host}: set auth.publish.keys, auth.publish.secret (PUBLISH_SECRET) or auth.publish.callbackUrl (ON_PUBLISH_URL), or an auth.publish.allow list`;
}
