// rtmp.maxPublishesPerIp: simultaneous publishes from one IP address, across all its connections.
// A slot is taken when a publish asks (before any callback, so concurrent requests cannot all
// slip through) and given back when the publish is refused or ends.
import { normalizeIp } from './ip-rules.js';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

export class PublishLimit {
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPerIp: number) {}

  /** A slot for one more publish from `ip`, or undefined when it already has maxPerIp. */
  acquire(ip: string): ReleaseSlot | undefined {
    const key = normalizeIp(ip);
    const n = this.counts.get(key) ?? 0;
    if (n >= this.maxPerIp) return undefined;
    this.counts.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left <= 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }

  /** Publishes (and pending publish requests) from `ip` now. */
  count(ip: string): number {
    return this.counts.get(normalizeIp(ip)) ?? 0;
  }

  get limit(): number {
    return this.maxPerIp;
  }
}
