// Records what a live stream fans out, as a subscriber would see it, for assertions.
import type { MediaMessage, StreamSubscriber } from '../../src/streams/media-message.js';
import type { StreamRegistry } from '../../src/streams/stream-registry.js';

export class StreamCapture implements StreamSubscriber {
  readonly messages: MediaMessage[] = [];
  publishStarts = 0;
  publishEnds = 0;

  onPublishStart(): void {
    this.publishStarts++;
  }

  onMedia(msg: MediaMessage): void {
    this.messages.push(msg);
  }

  onPublishEnd(): void {
    this.publishEnds++;
  }

  of(typeId: 8 | 9 | 18): MediaMessage[] {
    return this.messages.filter((m) => m.typeId === typeId);
  }
}

/** Subscribes before the publisher arrives, so the capture sees every message. */
export function captureStream(registry: StreamRegistry, app: string, name: string): StreamCapture {
  return registry.subscribe(app, name, () => new StreamCapture());
}
