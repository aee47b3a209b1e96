// The RTMP play decision: IP lists, a token when auth.play.secret is set (on the name or the
// connect app), then the on_play callback; all configured checks must pass.
import { describe, expect, it } from 'vitest';
import type { CallbackRequest, FetchLike } from '../../../src/auth/auth-callback.js';
import { PlayAuthorizer } from '../../../src/auth/play-auth.js';
import { playToken } from '../../../src/auth/signed-url.js';
import { mergeParams, parseQuery, splitNameQuery, type StreamRequest } from '../../../src/auth/stream-request.js';
import type { AuthConfig, DeepPartial } from '../../../src/config/config-schema.js';
import { defaultConfig } from '../../../src/config/default-config.js';

const NOW_S = 1_700_000_000;
const SECRET = 'play-secret-0123456789abc';

function authorizer(auth: DeepPartial<AuthConfig>, status = 204): { play: PlayAuthorizer; calls: CallbackRequest[] } {
  const calls: CallbackRequest[] = [];
  const fetchImpl: FetchLike = async (_url, init) => {
    calls.push(JSON.parse(String(init.body)) as CallbackRequest);
    return new Response(null, { status });
  };
  return { play: new PlayAuthorizer({ auth: defaultConfig({ auth }).auth, nowMs: () => NOW_S * 1000, fetch: fetchImpl }), calls };
}

function request(raw: string, connectQuery = '', ip = '127.0.0.1'): StreamRequest {
  const { name, query } = splitNameQuery(raw);
  return { action: 'play', app: 'live', name, params: mergeParams(parseQuery(connectQuery), parseQuery(query)), ip, sessionId: 's2' };
}

describe('PlayAuthorizer', () => {
  it('is open with nothing configured', async () => {
    expect(await authorizer({}).play.authorize(request('cam1'))).toEqual({ ok: true, app: 'live', name: 'cam1', via: 'open' });
  });

  it('needs a valid token for the stream when a play secret is set', async () => {
    const { play } = authorizer({ play: { secret: SECRET } });
    const token = playToken(SECRET, 'live', 'cam1', NOW_S + 60);
    expect(await play.authorize(request(`cam1?token=${token}`))).toEqual({ ok: true, app: 'live', name: 'cam1', via: 'token' });
    expect(await play.authorize(request('cam1', `token=${token}`))).toMatchObject({ ok: true, via: 'token' });
    expect(await play.authorize(request('cam1'))).toEqual({ ok: false, kind: 'invalid', reason: 'token missing' });
    expect(await play.authorize(request(`cam2?token=${token}`))).toMatchObject({ ok: false, reason: 'token invalid' });
    const expired = playToken(SECRET, 'live', 'cam1', NOW_S - 1);
    expect(await play.authorize(request(`cam1?token=${expired}`))).toMatchObject({ ok: false, reason: 'token expired' });
  });

  it('asks the callback after the token, and 403 forbids', async () => {
    const token = playToken(SECRET, 'live', 'cam1', NOW_S + 60);
    const allowed = authorizer({ play: { secret: SECRET, callbackUrl: 'http://127.0.0.1:1/cb' } });
    expect(await allowed.play.authorize(request(`cam1?token=${token}`))).toMatchObject({ ok: true, via: 'callback' });
    expect(allowed.calls[0]).toMatchObject({ action: 'play', app: 'live', name: 'cam1', sessionId: 's2' });
    expect(await allowed.play.authorize(request('cam1'))).toMatchObject({ ok: false, reason: 'token missing' });
    expect(allowed.calls.length).toBe(1);
    expect(await authorizer({ play: { callbackUrl: 'http://127.0.0.1:1/cb' } }, 403).play.authorize(request('cam1'))).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(await authorizer({ play: { callbackUrl: 'http://127.0.0.1:1/cb' } }, 404).play.authorize(request('cam1'))).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('applies the IP lists first', async () => {
    const { play } = authorizer({ play: { deny: ['::ffff:127.0.0.1'] } });
    expect(await play.authorize(request('cam1', '', '127.0.0.1'))).toEqual({ ok: false, kind: 'forbidden', reason: 'ip denied' });
    expect(await play.authorize(request('cam1', '', '::1'))).toMatchObject({ ok: true });
  });
});
