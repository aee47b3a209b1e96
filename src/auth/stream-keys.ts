// The static map of secret stream keys to public stream names (auth.publish.keys), so that OBS's
// stream key never becomes a playback URL (FIELD-NOTES pain point 7). Lookups compare SHA-256
// digests of every key in constant time and never stop early, so timing tells nothing of a key.
import { createHash, timingSafeEqual } from 'node:crypto';

interface Entry {
  readonly digest: Buffer;
  /** undefined: the app the publisher connected to. */
  readonly app: string | undefined;
  readonly name: string;
}

export class StreamKeys {
  private readonly entries: readonly Entry[];

  /** `keys` as validated by the config: "<app>/<name>" or "<name>" per key. */
  constructor(keys: Readonly<Record<string, string>>) {
    this.entries = Object.entries(keys).map(([key, target]) => {
      const slash = target.indexOf('/');
      return {
        digest: sha256(key),
        app: slash < 0 ? undefined : target.slice(0, slash),
        name: slash < 0 ? target : target.slice(slash + 1),
      };
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The public stream a key publishes as, or undefined if `candidate` is not a key. */
  lookup(candidate: string, connectApp: string): { readonly app: string; readonly name: string } | undefined {
    const digest = sha256(candidate);
    let found: Entry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && found === undefined) found = entry;
    }
    return found === undefined ? undefined : { app: found.app ?? connectApp, name: found.name };
  }

  /** True when app/name is the public name of some key (publishing it directly is refused). */
  isPublicName(app: string, name: string): boolean {
    return this.entries.some((e) => e.name === name && (e.app === undefined || e.app === app));
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
