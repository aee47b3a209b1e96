// The outcome of an authorisation check for a publish or a play, and how each refusal shows on
// the RTMP wire: "forbidden" (who you are) → NetConnection.Connect.Rejected; "invalid" (what you
// asked for or the credential you gave) → NetStream.Publish.BadName / NetStream.Play.StreamNotFound.
import { STATUS } from '../../pipeline/rtmp/session/status-codes.js';

/** How a request was let in, for the log. */
export type AuthMethod = 'open' | 'key' | 'signature' | 'token' | 'callback';

export interface AuthGrant {
  readonly ok: true;
  /** The public app and name the publish or play uses (after a key map or callback rename). */
  readonly app: string;
  readonly name: string;
  readonly via: AuthMethod;
}

export interface AuthRefusal {
  readonly ok: false;
  readonly kind: 'forbidden' | 'invalid';
  /** Why, for the log line and the status description; never holds a key, signature, token or query. */
  readonly reason: string;
  /** The callback could not be asked (down, 5xx, timeout): a dependency fault, logged as a warning. */
  readonly callbackFailure?: boolean;
}

export type AuthDecision = AuthGrant | AuthRefusal;

/** The onStatus code a refusal is sent with. */
export function refusalStatus(action: 'publish' | 'play', refusal: AuthRefusal): string {
  if (refusal.kind === 'forbidden') return STATUS.CONNECT_REJECTED;
  return action === 'publish' ? STATUS.PUBLISH_BAD_NAME : STATUS.PLAY_STREAM_NOT_FOUND;
}

/** The status description sent to the client: the code first, since ffmpeg and OBS print only the description. */
export function refusalDescription(action: 'publish' | 'play', refusal: AuthRefusal): string {
  return `${refusalStatus(action, refusal)}: ${action} refused (${refusal.reason})`;
}

export function refuse(kind: AuthRefusal['kind'], reason: string, extra: { callbackFailure?: boolean } = {}): AuthRefusal {
  return { ok: false, kind, reason, ...extra };
}
