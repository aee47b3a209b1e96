// The last group of pictures (from the newest video keyframe onward, with the audio and data
// between), so a new player starts on a keyframe at once instead of waiting for the next one.
import type { MediaMessage } from './media-message.js';

export class GopCache {
  private messages: MediaMessage[] = [];
  private bytes = 0;
  /** True from the start (and after an overflow) until a keyframe arrives. */
  private awaitingKeyframe = true;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.messages.length;
  }

  get byteLength(): number {
    return this.bytes;
  }

  push(msg: MediaMessage): void {
    if (msg.keyframe) {
      this.messages = [];
      this.bytes = 0;
      this.awaitingKeyframe = false;
    } else if (this.awaitingKeyframe) {
      return;
    }
    if (this.bytes + msg.payload.length > this.maxBytes) {
      // A GOP larger than the limit (a very long keyframe interval): hold nothing rather than a
      // GOP without its start; new players wait for the next keyframe instead.
      this.clear();
      return;
    }
    this.messages.push(msg);
    this.bytes += msg.payload.length;
  }

  /** The cached messages, oldest first, starting with a keyframe (empty when there is none). */
  snapshot(): readonly MediaMessage[] {
    return this.messages.slice();
  }

  clear(): void {
    this.messages = [];
    this.bytes = 0;
    this.awaitingKeyframe = true;
  }
}
