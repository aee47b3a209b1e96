// The on_publish / on_play callback client against a real HTTP receiver: what is POSTed, how each
// answer is read (2xx, rename, 403, other 4xx, 5xx, redirect, no answer, nothing listening).
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthCallback, type CallbackRequest } from '../../../src/auth/auth-callback.js';
import { decisionFromCallback } from '../../../src/auth/callback-decision.js';
import { parseQuery } from '../../../src/auth/stream-request.js';
import { deadUrl, startCallbackReceiver, type CallbackReceiver } from './callback-receiver.js';

const REQUEST: CallbackRequest = { action: 'publish', app: 'live', name: 'cam1', query: parseQuery('k=v'), ip: '127.0.0.1', sessionId: 's1' };

let receiver: CallbackReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('the auth callback', () => {
  it('POSTs the request as JSON and allows on 2xx', async () => {
    receiver = await startCallbackReceiver({ status: 204 });
    const result = await createAuthCallback(receiver.url, 2000).call(REQUEST);
    expect(result).toEqual({ kind: 'allow' });
    expect(receiver.requests[0].body).toEqual({ action: 'publish', app: 'live', name: 'cam1', query: { k: 'v' }, ip: '127.0.0.1', sessionId: 's1' });
    expect(receiver.requests[0].headers['content-type']).toBe('application/json');
  });

  it('sends the URL user info as Basic authorization, not in the URL, and shows a safe URL', async () => {
    receiver = await startCallbackReceiver({ status: 200 });
    const url = receiver.url.replace('http://', 'http://op:s%3Acret@') + '?apikey=zzz';
    const callback = createAuthCallback(url, 2000);
    expect(callback.safeUrl).toBe(receiver.url);
    await callback.call(REQUEST);
    expect(receiver.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('op:s:cret').toString('base64')}`);
    expect(receiver.requests[0].path).toBe('/hooks/auth?apikey=zzz');
  });

  it.each([
    [{ status: 200, body: { name: 'renamed' } }, { kind: 'allow', name: 'renamed' }],
    [{ status: 200, body: { app: 'studio', name: 'main' } }, { kind: 'allow', app: 'studio', name: 'main' }],
    [{ status: 200, body: { ok: true } }, { kind: 'allow' }],
    [{ status: 200, body: ['x'] }, { kind: 'allow' }],
    [{ status: 200, body: { name: '../etc' } }, { kind: 'badRename' }],
    [{ status: 200, body: { name: 5 } }, { kind: 'badRename' }],
    [{ status: 200, body: { app: 'vod', name: 'x' } }, { kind: 'badRename' }],
    [{ status: 403 }, { kind: 'refuse', status: 403 }],
    [{ status: 404 }, { kind: 'refuse', status: 404 }],
    [{ status: 500 }, { kind: 'failed', reason: 'answered HTTP 500' }],
    [{ status: 302 }, { kind: 'failed', reason: 'answered HTTP 302' }],
  ])('reads %j as %j', async (answer, expected) => {
    receiver = await startCallbackReceiver(answer);
    expect(await createAuthCallback(receiver.url, 2000).call(REQUEST)).toMatchObject(expected);
  });

  it('fails after the timeout when the callback does not answer', async () => {
    receiver = await startCallbackReceiver('never');
    const started = Date.now();
    expect(await createAuthCallback(receiver.url, 200).call(REQUEST)).toEqual({ kind: 'failed', reason: 'no answer within 200 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails when nothing listens', async () => {
    expect(await createAuthCallback(await deadUrl(), 2000).call(REQUEST)).toEqual({ kind: 'failed', reason: 'network error (ECONNREFUSED)' });
  });

  it('reports an abort by the caller as aborted, not as a failure', async () => {
    receiver = await startCallbackReceiver('never');
    const controller = new AbortController();
    const pending = createAuthCallback(receiver.url, 5000).call(REQUEST, controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toEqual({ kind: 'aborted' });
  });
});

describe('decisionFromCallback', () => {
  it('maps answers to decisions and wire refusals', () => {
    expect(decisionFromCallback({ kind: 'allow' }, 'live', 'cam1')).toEqual({ ok: true, app: 'live', name: 'cam1', via: 'callback' });
    expect(decisionFromCallback({ kind: 'allow', name: 'pub' }, 'live', 'sk_secret!')).toEqual({ ok: true, app: 'live', name: 'pub', via: 'callback' });
    expect(decisionFromCallback({ kind: 'allow' }, 'live', 'not/valid')).toMatchObject({ ok: false, kind: 'invalid' });
    expect(decisionFromCallback({ kind: 'refuse', status: 403 }, 'live', 'x')).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(decisionFromCallback({ kind: 'refuse', status: 404 }, 'live', 'x')).toMatchObject({ ok: false, kind: 'invalid' });
    expect(decisionFromCallback({ kind: 'failed', reason: 'r' }, 'live', 'x')).toMatchObject({ ok: false, kind: 'invalid', callbackFailure: true });
  });
});
