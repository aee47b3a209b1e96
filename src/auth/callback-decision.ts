// Turns the answer of an on_publish / on_play callback into a decision: 2xx allows (with an
// optional rename), 403 forbids (NetConnection.Connect.Rejected), other 4xx and a bad rename refuse
// the name, and a callback that could not be asked refuses too (fail closed), marked as a failure.
import { checkStreamName } from '../streams/stream-names.js';
import { refuse, type AuthDecision } from './auth-decision.js';
import type { CallbackResult } from './auth-callback.js';

export function decisionFromCallback(result: CallbackResult, app: string, name: string): AuthDecision {
  switch (result.kind) {
    case 'allow': {
      const finalApp = result.app ?? app;
      const finalName = result.name ?? name;
      const problem = checkStreamName('app', finalApp) ?? checkStreamName('stream', finalName);
      // Without a rename the requested name must itself be valid; it is withheld from the log.
      if (problem !== undefined) return refuse('invalid', 'callback allowed a name that is not a valid stream name');
      return { ok: true, app: finalApp, name: finalName, via: 'callback' };
    }
    case 'refuse':
      return refuse(result.status === 403 ? 'forbidden' : 'invalid', `callback refused with HTTP ${result.status}`);
    case 'badRename':
      return refuse('invalid', result.reason);
    case 'failed':
      return refuse('invalid', `callback failed: ${result.reason}`, { callbackFailure: true });
    case 'aborted':
      return refuse('invalid', 'connection closed while the callback was pending');
  }
}
