// Webhook delivery against a real HTTP receiver on 127.0.0.1: what is sent, and which answers
// are retried (plain Error) or given up at once (PermanentJobError).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentJobError, type JobContext, type JobHandler } from '../../../src/jobs/job-types.js';
import { createMemoryLogger } from '../../../src/logging/memory-logger.js';
import { ONRAMP_VERSION } from '../../../src/config/version.js';
import type { WebhookEvent } from '../../../src/webhooks/webhook-event.js';
import {
  createWebhookDeliveryHandler,
  RESPONSE_SNIPPET_BYTES,
  WebhookDeliveryError,
  WebhookRejectedError,
  type WebhookDeliveryOptions,
} from '../../../src/webhooks/webhook-delivery.js';
import { verifyWebhookSignature } from '../../../src/webhooks/webhook-signature.js';

interface Request {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Receiver {
  readonly url: string;
  readonly requests: Request[];
}

type Respond = (res: ServerResponse, index: number) => void;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver(respond: Respond): Promise<Receiver> {
  const requests: Request[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/onramp`, requests };
}

const status = (code: number, body = '', headers: Record<string, string> = {}): Respond => (res) => {
  res.writeHead(code, headers).end(body);
};

const SECRET = 'whsec_delivery_test_secret';
const NOW_MS = 1_735_689_600_000;
const EVENT: WebhookEvent = {
  id: '6f1c0b7e-1d2a-4c47-9a7e-3b1f0d2c9e11',
  type: 'stream.publish',
  time: '2025-01-01T00:00:00.000Z',
  app: 'live',
  name: 'caméra',
};
const ctx = (attempt = 1, maxAttempts = 8): JobContext => ({ jobId: `webhook-${EVENT.id}`, attempt, maxAttempts });

function handler(url: string, overrides: Partial<WebhookDeliveryOptions> = {}) {
  const memory = createMemoryLogger();
  const deliver = createWebhookDeliveryHandler({ url, secret: SECRET, timeoutMs: 2000, logger: memory.logger, nowMs: () => NOW_MS, ...overrides });
  return { deliver, memory };
}

async function failure(promise: Promise<void>): Promise<Error> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error('expected the delivery to fail');
  return err;
}

describe('webhook delivery', () => {
  it('POSTs the event JSON with the documented headers and a signature that verifies', async () => {
    const r = await receiver(status(204));
    const { deliver, memory } = handler(r.url);
    await deliver({ event: EVENT }, ctx());

    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(req.url).toBe('/hooks/onramp');
    expect(JSON.parse(req.body)).toEqual(EVENT);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toBe(`Onramp/${ONRAMP_VERSION}`);
    expect(req.headers['onramp-event']).toBe('stream.publish');
    expect(req.headers['onramp-event-id']).toBe(EVENT.id);
    const signature = req.headers['onramp-signature'];
    expect(typeof signature).toBe('string');
    expect(verifyWebhookSignature(signature as string, req.body, SECRET, NOW_MS / 1000)).toBe(true);
    expect(verifyWebhookSignature(signature as string, req.body, 'other', NOW_MS / 1000)).toBe(false);

    expect(memory.withLevel('debug').map((e) => e.msg)).toEqual(['webhook delivered']);
    expect(memory.withLevel('warn')).toEqual([]);
  });

  it('sends no signature header without a secret', async () => {
    const r = await receiver(status(200, 'ok'));
    for (const secret of [null, '']) {
      const { deliver } = handler(r.url, { secret });
      await deliver({ event: EVENT }, ctx());
    }
    expect(r.requests).toHaveLength(2);
    for (const req of r.requests) {
      expect(req.headers['onramp-signature']).toBeUndefined();
      expect(req.headers['onramp-event-id']).toBe(EVENT.id);
    }
  });

  it('retries 5xx, 408 and 429 with a plain Error that carries url, status, attempt and the body start', async () => {
    for (const code of [500, 503, 408, 429]) {
      const r = await receiver(status(code, `busy\r\nretry later ${code}`, { 'Retry-After': '1' }));
      const { deliver } = handler(r.url);
      const err = await failure(deliver({ event: EVENT }, ctx(3)));
      expect(err).toBeInstanceOf(WebhookDeliveryError);
      expect(err).not.toBeInstanceOf(PermanentJobError);
      expect((err as WebhookDeliveryError).failure).toMatchObject({ url: r.url, status: code, attempt: 3, reason: 'status' });
      expect(err.message).toBe(`webhook POST ${r.url} (event ${EVENT.id}, attempt 3): HTTP ${code}: busy retry later ${code}`);
    }
  });

  it('gives up at once on other 4xx with a PermanentJobError', async () => {
    for (const code of [400, 401, 404, 410, 422]) {
      const r = await receiver(status(code, 'no such hook'));
      const { deliver, memory } = handler(r.url);
      const err = await failure(deliver({ event: EVENT }, ctx(1)));
      expect(err).toBeInstanceOf(PermanentJobError);
      expect(err).toBeInstanceOf(WebhookRejectedError);
      expect(err.name).toBe('PermanentJobError');
      expect((err as WebhookRejectedError).failure).toMatchObject({ status: code, reason: 'status', responseSnippet: 'no such hook' });
      // A permanent failure is the end of the incident: one warn line, even on attempt 1.
      expect(memory.withLevel('warn').map((e) => e.msg)).toEqual(['webhook delivery failed for good']);
    }
  });

  it('does not follow a redirect; it is a permanent failure naming the status', async () => {
    const elsewhere = await receiver(status(200));
    const r = await receiver(status(308, '', { Location: elsewhere.url }));
    const { deliver } = handler(r.url);
    const err = await failure(deliver({ event: EVENT }, ctx()));
    expect(err).toBeInstanceOf(PermanentJobError);
    expect((err as WebhookRejectedError).failure).toMatchObject({ status: 308, reason: 'redirect' });
    expect(err.message).toContain('redirect 308');
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('times out a receiver that never answers, with a retryable error', async () => {
    const r = await receiver(() => undefined);
    const { deliver } = handler(r.url, { timeoutMs: 150 });
    const started = Date.now();
    const err = await failure(deliver({ event: EVENT }, ctx(2)));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err).not.toBeInstanceOf(PermanentJobError);
    expect((err as WebhookDeliveryError).failure).toMatchObject({ reason: 'timeout', status: null, attempt: 2 });
    expect(err.message).toContain('timed out');
    expect(r.requests).toHaveLength(1);
  });

  it('counts a 2xx as delivered even if its body never finishes', async () => {
    const r = await receiver((res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('accepted, but this body never ends');
    });
    const { deliver } = handler(r.url, { timeoutMs: 150 });
    await expect(deliver({ event: EVENT }, ctx())).resolves.toBeUndefined();
  });

  it('retries when the connection is refused', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { deliver } = handler(`http://127.0.0.1:${port}/gone`);
    const err = await failure(deliver({ event: EVENT }, ctx()));
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err).not.toBeInstanceOf(PermanentJobError);
    expect((err as WebhookDeliveryError).failure).toMatchObject({ reason: 'network', status: null, errorCode: 'ECONNREFUSED' });
    expect(err.message).toContain('network error (ECONNREFUSED)');
  });

  it('keeps only the first KiB of a large error body for the message', async () => {
    const r = await receiver((res) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('x'.repeat(1024 * 1024));
    });
    const { deliver } = handler(r.url);
    const err = await failure(deliver({ event: EVENT }, ctx()));
    expect((err as WebhookDeliveryError).failure.responseSnippet).toBe('x'.repeat(RESPONSE_SNIPPET_BYTES));
  });

  it('sends URL credentials as Basic auth and keeps them, the query, the secret and the signature out of errors and logs', async () => {
    const r = await receiver(status(403, 'denied'));
    const withSecrets = r.url.replace('http://', 'http://alice%20b:p%40ss@') + '?token=abc123#frag';
    const { deliver, memory } = handler(withSecrets);
    const err = await failure(deliver({ event: EVENT }, ctx()));

    const [req] = r.requests;
    expect(req.url).toBe('/hooks/onramp?token=abc123');
    expect(req.headers.authorization).toBe('Basic ' + Buffer.from('alice b:p@ss').toString('base64'));
    const signature = req.headers['onramp-signature'] as string;
    const v1 = signature.split('v1=')[1];

    const exposed = [err.message, JSON.stringify((err as WebhookRejectedError).failure), JSON.stringify(memory.entries)].join('\n');
    expect(exposed).toContain(r.url);
    for (const secret of ['alice', 'p%40ss', 'p@ss', 'abc123', 'frag', SECRET, v1]) expect(exposed).not.toContain(secret);
  });

  it('logs a retryable failure at debug, and warns only on the last attempt', async () => {
    const r = await receiver(status(500));
    const { deliver, memory } = handler(r.url);
    await failure(deliver({ event: EVENT }, ctx(1, 3)));
    expect(memory.withLevel('warn')).toEqual([]);
    expect(memory.withLevel('debug').map((e) => e.msg)).toEqual(['webhook delivery failed, will retry']);
    await failure(deliver({ event: EVENT }, ctx(3, 3)));
    expect(memory.withLevel('warn')).toHaveLength(1);
    expect(memory.withLevel('warn')[0].fields).toMatchObject({ eventId: EVENT.id, status: 500, attempt: 3, maxAttempts: 3 });
  });

  it('rejects a URL that is not http(s) when the handler is created', () => {
    const memory = createMemoryLogger();
    for (const url of ['not a url', 'ftp://example.com/hook', 'file:///etc/passwd']) {
      expect(() => createWebhookDeliveryHandler({ url, secret: null, timeoutMs: 1000, logger: memory.logger })).toThrow(RangeError);
    }
  });

  it('delivers the same event, with the same id, until a receiver failing twice accepts it', async () => {
    const r = await receiver((res, index) => res.writeHead(index < 2 ? 503 : 200).end());
    const { deliver } = handler(r.url);
    const outcome = await runWithRetries(deliver, { event: EVENT }, 8);

    expect(outcome).toEqual({ attempts: 3, failedWith: null });
    expect(r.requests).toHaveLength(3);
    expect(new Set(r.requests.map((q) => q.headers['onramp-event-id']))).toEqual(new Set([EVENT.id]));
    for (const req of r.requests) {
      expect(JSON.parse(req.body)).toEqual(EVENT);
      expect(verifyWebhookSignature(req.headers['onramp-signature'] as string, req.body, SECRET, NOW_MS / 1000)).toBe(true);
    }
  });

  it('stops retrying after a permanent failure', async () => {
    const r = await receiver((res, index) => res.writeHead(index === 0 ? 500 : 404).end());
    const { deliver } = handler(r.url);
    const outcome = await runWithRetries(deliver, { event: EVENT }, 8);
    expect(outcome.attempts).toBe(2);
    expect(outcome.failedWith).toBeInstanceOf(PermanentJobError);
    expect(r.requests).toHaveLength(2);
  });
});

/** What a job queue does with a handler, minus the backoff delays: retry ordinary errors up to
 *  `maxAttempts`, stop at once on a PermanentJobError. */
async function runWithRetries(
  run: JobHandler<'deliver-webhook'>,
  payload: { readonly event: WebhookEvent },
  maxAttempts: number,
): Promise<{ attempts: number; failedWith: Error | null }> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run(payload, { jobId: `webhook-${payload.event.id}`, attempt, maxAttempts });
      return { attempts: attempt, failedWith: null };
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      if (err instanceof PermanentJobError || attempt >= maxAttempts) return { attempts: attempt, failedWith: err };
    }
  }
}
