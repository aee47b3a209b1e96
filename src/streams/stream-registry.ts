// The live streams of this process, keyed by app and stream name, with the rule for a second
// publisher on a live name (FIELD-NOTES pain point 1: a reconnect must not be refused because
// the dead session lingers).
import { LiveStream, type LiveStreamOptions, type PublisherHandle } from './live-stream.js';
import type { StreamSubscriber } from './media-message.js';
import { streamKey } from './stream-names.js';

export type TakeoverPolicy = 'stale' | 'always' | 'never';

export interface StreamRegistryOptions extends LiveStreamOptions {
  readonly publisherTakeover: TakeoverPolicy;
  /** A publisher that has sent no media for this long counts as stale. */
  readonly staleAfterMs: number;
  /** Called after a publish starts, e.g. to attach packaging outputs. */
  readonly onPublish?: (stream: LiveStream) => void;
  /** The publisher of a stream left (or was replaced). */
  readonly onUnpublish?: (stream: LiveStream) => void;
}

export type PublishDecision =
  | { readonly ok: true; readonly stream: LiveStream; readonly replaced?: PublisherHandle }
  | { readonly ok: false; readonly reason: string };

export class StreamRegistry {
  private readonly streams = new Map<string, LiveStream>();

  constructor(private readonly opts: StreamRegistryOptions) {}

  publish(app: string, name: string, publisher: PublisherHandle): PublishDecision {
    const stream = this.getOrCreate(app, name);
    const phase = stream.phase;
    let replaced: PublisherHandle | undefined;
    if (phase.kind === 'live') {
      const stale = stream.silentForMs() >= this.opts.staleAfterMs;
      const policy = this.opts.publisherTakeover;
      if (policy === 'never' || (policy === 'stale' && !stale)) {
        return { ok: false, reason: `${app}/${name} is already being published` };
      }
      replaced = phase.publisher;
      if (stream.endPublish(replaced)) this.opts.onUnpublish?.(stream);
      replaced.kick(stale ? 'replaced by a new publisher (the old one went silent)' : 'replaced by a new publisher');
    }
    stream.startPublish(publisher);
    this.opts.onPublish?.(stream);
    return replaced ? { ok: true, stream, replaced } : { ok: true, stream };
  }

  unpublish(app: string, name: string, publisher: PublisherHandle): boolean {
    const stream = this.streams.get(streamKey(app, name));
    if (!stream) return false;
    const ended = stream.endPublish(publisher);
    if (ended) this.opts.onUnpublish?.(stream);
    this.dropIfUnused(stream);
    return ended;
  }

  /** Attaches the subscriber that `make` builds for the stream; the stream entry exists (idle)
   *  while someone waits for it. */
  subscribe<S extends StreamSubscriber>(app: string, name: string, make: (stream: LiveStream) => S): S {
    const stream = this.getOrCreate(app, name);
    const subscriber = make(stream);
    stream.subscribe(subscriber);
    return subscriber;
  }

  unsubscribe(app: string, name: string, subscriber: StreamSubscriber): void {
    const stream = this.streams.get(streamKey(app, name));
    if (!stream) return;
    stream.unsubscribe(subscriber);
    this.dropIfUnused(stream);
  }

  get(app: string, name: string): LiveStream | undefined {
    return this.streams.get(streamKey(app, name));
  }

  /** Streams with a publisher. */
  live(): LiveStream[] {
    return [...this.streams.values()].filter((s) => s.phase.kind === 'live');
  }

  private getOrCreate(app: string, name: string): LiveStream {
    const key = streamKey(app, name);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = new LiveStream(app, name, this.opts);
      this.streams.set(key, stream);
    }
    return stream;
  }

  private dropIfUnused(stream: LiveStream): void {
    if (stream.phase.kind === 'idle' && stream.subscriberCount === 0) this.streams.delete(streamKey(stream.app, stream.name));
  }
}
