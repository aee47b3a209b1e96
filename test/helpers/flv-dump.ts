// Writes captured stream messages as an FLV file, so ffmpeg can judge what Onramp received.
import { encodeFlvHeader, encodeFlvRecord } from '../../pipeline/flv/index.js';
import type { MediaMessage } from '../../src/streams/media-message.js';

export function messagesToFlv(messages: readonly MediaMessage[]): Buffer {
  const parts: Uint8Array[] = [
    encodeFlvHeader({ audio: messages.some((m) => m.typeId === 8), video: messages.some((m) => m.typeId === 9) }),
  ];
  for (const m of messages) parts.push(...encodeFlvRecord({ tagType: m.typeId, timestampMs: m.timestamp, body: m.payload }));
  return Buffer.concat(parts);
}
