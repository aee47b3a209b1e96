// A raw RTMP peer for hostile-input tests: a real socket, our handshake, then whatever bytes the
// test wants to send (valid chunks from ChunkEncoder, or garbage).
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { ChunkEncoder } from '../../pipeline/rtmp/chunk/chunk-encoder.js';
import { ClientHandshake } from '../../pipeline/rtmp/handshake/client-handshake.js';
import type { AmfValue } from '../../pipeline/rtmp/amf/amf-value.js';
import { encodeCommandMessage } from '../../pipeline/rtmp/messages/command-message.js';

export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves with how long the socket took to close, or rejects after timeoutMs. */
export function closedWithin(socket: Socket, timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (socket.destroyed || socket.readyState === 'closed') return resolve(0);
    const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => undefined);
    socket.resume();
  });
}

/** Runs the client side of the handshake over the socket. */
export function handshake(socket: Socket): Promise<void> {
  const hs = new ClientHandshake({ randomBytes: (n) => randomBytes(n), nowMs: () => Date.now() });
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer): void => {
      const p = hs.push(b);
      for (const o of p.output) socket.write(o);
      if (p.done) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed during the handshake')));
    for (const o of hs.start()) socket.write(o);
  });
}

/** Encodes an AMF0 command as chunks (chunk stream 3, message stream `streamId`). */
export function commandChunks(encoder: ChunkEncoder, name: string, tx: number, obj: AmfValue, args: AmfValue[] = [], streamId = 0): Uint8Array[] {
  const payload = encodeCommandMessage({ name, transactionId: tx, commandObject: obj, args });
  return encoder.encode({ chunkStreamId: 3, typeId: 20, streamId, timestamp: 0, payload });
}
