// A stand-in for an operator's on_publish / on_play endpoint on 127.0.0.1:0: records every
// request and answers with whatever the test says (status, JSON body, a delay, or never).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export type CallbackAnswer = { readonly status: number; readonly body?: unknown; readonly delayMs?: number } | 'never';

export interface CallbackReceiver {
  readonly url: string;
  readonly requests: ReceivedCallback[];
  /** Requests whose connection closed before they were answered (the caller gave up). */
  readonly aborted: () => number;
  /** What the next requests get; a function decides per request. */
  answer: CallbackAnswer | ((req: ReceivedCallback) => CallbackAnswer);
  close(): Promise<void>;
}

export async function startCallbackReceiver(answer: CallbackReceiver['answer'] = { status: 204 }): Promise<CallbackReceiver> {
  const requests: ReceivedCallback[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let aborted = 0;
  const receiver: CallbackReceiver = { url: '', requests, aborted: () => aborted, answer, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) aborted += 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const received = { path: req.url ?? '', headers: req.headers, body };
      requests.push(received);
      const a = typeof receiver.answer === 'function' ? receiver.answer(received) : receiver.answer;
      if (a === 'never') return; // the socket stays open until close()
      const send = (): void => {
        if (a.body === undefined) res.writeHead(a.status).end();
        else res.writeHead(a.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(a.body));
      };
      if (a.delayMs === undefined) send();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, a.delayMs);
        timers.add(t);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks/auth`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** A URL on 127.0.0.1 where nothing listens (the port of a server just closed). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks/auth`;
}
