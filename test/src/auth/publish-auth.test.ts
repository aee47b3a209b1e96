// The publish decision: IP lists, then stream keys, signed URLs and the callback in that order;
// the first method that recognises a request decides; open only when nothing is configured; and
// the name that may be logged is never a key.
import { describe, expect, it } from 'vitest';
import type { CallbackRequest, FetchLike } from '../../../src/auth/auth-callback.js';
import type { AuthDecision } from '../../../src/auth/auth-decision.js';
import { openPublishWarning, PublishAuthorizer } from '../../../src/auth/publish-auth.js';
import { signPublishUrl } from '../../../src/auth/signed-url.js';
import { parseQuery, splitNameQuery, type StreamRequest } from '../../../src/auth/stream-request.js';
import type { AuthConfig, DeepPartial } from '../../../src/config/config-schema.js';
import { defaultConfig } from '../../../src/config/default-config.js';

const NOW_S = 1_700_000_000;
const SECRET = 'publish-secret-0123456789';
const KEY = 'sk_4f9a2c7e1b';

function authorizer(auth: DeepPartial<AuthConfig>, answer?: (body: CallbackRequest) => Response): { auth: PublishAuthorizer; calls: CallbackRequest[] } {
  const calls: CallbackRequest[] = [];
  const fetchImpl: FetchLike = async (_url, init) => {
    const body = JSON.parse(String(init.body)) as CallbackRequest;
    calls.push(body);
    return (answer ?? (() => new Response(null, { status: 204 })))(body);
  };
  const config = defaultConfig({ auth });
  return { auth: new PublishAuthorizer({ auth: config.auth, nowMs: () => NOW_S * 1000, fetch: fetchImpl }), calls };
}

function request(raw: string, app = 'live', ip = '127.0.0.1', connectQuery = ''): StreamRequest {
  const { name, query } = splitNameQuery(raw);
  return { action: 'publish', app, name, params: { ...parseQuery(connectQuery), ...parseQuery(query) }, ip, sessionId: 's1' };
}

async function decide(a: PublishAuthorizer, req: StreamRequest): Promise<AuthDecision> {
  return a.authorize(req);
}

describe('PublishAuthorizer', () => {
  it('is open with nothing configured, and still checks names', async () => {
    const { auth } = authorizer({});
    expect(auth.open).toBe(true);
    expect(await decide(auth, request('cam1'))).toEqual({ ok: true, app: 'live', name: 'cam1', via: 'open' });
    expect(await decide(auth, request('..'))).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('maps a stream key to its public name; a value without "/" keeps the connect app', async () => {
    const { auth } = authorizer({ publish: { keys: { [KEY]: 'live/mystream', sk_other_key_1: 'cam9' } } });
    expect(await decide(auth, request(KEY, 'ingest'))).toEqual({ ok: true, app: 'live', name: 'mystream', via: 'key' });
    expect(await decide(auth, request('sk_other_key_1', 'studio'))).toEqual({ ok: true, app: 'studio', name: 'cam9', via: 'key' });
    expect(await decide(auth, request(`${KEY}?extra=1`))).toMatchObject({ ok: true, name: 'mystream' });
  });

  it('refuses an unknown key, and the public name used directly, with BadName', async () => {
    const { auth } = authorizer({ publish: { keys: { [KEY]: 'live/mystream' } } });
    expect(await decide(auth, request('sk_wrong_key'))).toEqual({ ok: false, kind: 'invalid', reason: 'unknown stream key' });
    expect(await decide(auth, request('mystream'))).toMatchObject({ ok: false, kind: 'invalid', reason: expect.stringMatching(/public name/) });
    expect(await decide(auth, request('mystream', 'other'))).toMatchObject({ ok: false, reason: 'unknown stream key' });
  });

  it('never offers a key, or what may be one, as the name to log', () => {
    const { auth } = authorizer({ publish: { keys: { [KEY]: 'live/mystream' } } });
    expect(auth.loggableStream(request(KEY, 'ingest'))).toBe('live/mystream');
    expect(auth.loggableStream(request('mystream'))).toBe('live/mystream');
    expect(auth.loggableStream(request('sk_wrong_key'))).toBeUndefined();
    expect(authorizer({ publish: { callbackUrl: 'http://127.0.0.1:1/cb' } }).auth.loggableStream(request('maybe-a-key'))).toBeUndefined();
    expect(authorizer({ publish: { secret: SECRET } }).auth.loggableStream(request('cam1'))).toBe('live/cam1');
    expect(authorizer({}).auth.loggableStream(request('bad/name'))).toBeUndefined();
  });

  it('checks signed URLs: valid, expired, tampered, on the name or on the connect app', async () => {
    const { auth } = authorizer({ publish: { secret: SECRET } });
    const signed = signPublishUrl(SECRET, 'live', 'cam1', NOW_S + 60).slice('live/'.length);
    expect(await decide(auth, request(signed))).toEqual({ ok: true, app: 'live', name: 'cam1', via: 'signature' });
    const expired = signPublishUrl(SECRET, 'live', 'cam1', NOW_S - 1).slice('live/'.length);
    expect(await decide(auth, request(expired))).toMatchObject({ ok: false, kind: 'invalid', reason: 'signature expired' });
    expect(await decide(auth, request(signed.replace('cam1', 'cam2')))).toMatchObject({ ok: false, reason: 'signature invalid' });
    expect(await decide(auth, request('cam1'))).toMatchObject({ ok: false, reason: 'signature missing' });
    const query = signed.slice(signed.indexOf('?') + 1);
    expect(await decide(auth, request('cam1', 'live', '127.0.0.1', query))).toMatchObject({ ok: true, via: 'signature' });
  });

  it('asks the callback for anything the key map and the signature do not recognise', async () => {
    const { auth, calls } = authorizer(
      { publish: { keys: { [KEY]: 'live/mystream' }, secret: SECRET, callbackUrl: 'http://127.0.0.1:1/cb' } },
      () => Response.json({ name: 'fromcallback' }),
    );
    expect(await decide(auth, request(KEY))).toMatchObject({ ok: true, via: 'key' });
    const signed = signPublishUrl(SECRET, 'live', 'cam1', NOW_S + 60).slice('live/'.length);
    expect(await decide(auth, request(signed))).toMatchObject({ ok: true, via: 'signature' });
    expect(calls).toEqual([]);
    expect(await decide(auth, request('cam7?x=1', 'live', '::ffff:127.0.0.1'))).toEqual({ ok: true, app: 'live', name: 'fromcallback', via: 'callback' });
    expect(calls).toEqual([{ action: 'publish', app: 'live', name: 'cam7', query: { x: '1' }, ip: '::ffff:127.0.0.1', sessionId: 's1' }]);
  });

  it('maps callback refusals: 403 forbids, other 4xx and failures refuse the name', async () => {
    for (const [status, kind] of [[403, 'forbidden'], [404, 'invalid'], [500, 'invalid']] as const) {
      const { auth } = authorizer({ publish: { callbackUrl: 'http://127.0.0.1:1/cb' } }, () => new Response(null, { status }));
      expect(await decide(auth, request('cam1')), String(status)).toMatchObject({ ok: false, kind });
    }
  });

  it('applies the IP lists before anything else (deny → forbidden)', async () => {
    const { auth, calls } = authorizer({ publish: { deny: ['10.0.0.0/8'], allow: ['10.0.0.0/8', '127.0.0.1'], callbackUrl: 'http://127.0.0.1:1/cb' } });
    expect(await decide(auth, request('cam1', 'live', '10.1.1.1'))).toEqual({ ok: false, kind: 'forbidden', reason: 'ip denied' });
    expect(await decide(auth, request('cam1', 'live', '192.0.2.1'))).toEqual({ ok: false, kind: 'forbidden', reason: 'ip not allowed' });
    expect(calls).toEqual([]);
    expect(await decide(auth, request('cam1', 'live', '::ffff:127.0.0.1'))).toMatchObject({ ok: true });
  });

  it('decides synchronously unless the callback is asked', () => {
    expect(authorizer({}).auth.authorize(request('cam1'))).not.toBeInstanceOf(Promise);
    expect(authorizer({ publish: { keys: { [KEY]: 'x' } } }).auth.authorize(request('nope1234'))).not.toBeInstanceOf(Promise);
    expect(authorizer({ publish: { callbackUrl: 'http://127.0.0.1:1/cb' } }).auth.authorize(request('cam1'))).toBeInstanceOf(Promise);
  });
});

describe('openPublishWarning', () => {
  const auth = (over: DeepPartial<AuthConfig> = {}) => defaultConfig({ auth: over }).auth;
  it('warns only for an open server on a non-loopback address', () => {
    expect(openPublishWarning(auth(), '0.0.0.0')).toMatch(/open to anyone/);
    expect(openPublishWarning(auth(), '::')).toMatch(/open to anyone/);
    expect(openPublishWarning(auth(), '127.0.0.1')).toBeUndefined();
    expect(openPublishWarning(auth(), 'localhost')).toBeUndefined();
    expect(openPublishWarning(auth({ publish: { secret: SECRET } }), '0.0.0.0')).toBeUndefined();
    expect(openPublishWarning(auth({ publish: { keys: { [KEY]: 'a' } } }), '0.0.0.0')).toBeUndefined();
    expect(openPublishWarning(auth({ publish: { allow: ['10.0.0.0/8'] } }), '0.0.0.0')).toBeUndefined();
  });
});
