// Strong entity tags for stored objects (RFC 9110 §8.8.3): a content hash for small objects
// (playlists, manifests, init segments), a version tag from size, mtime and identity otherwise.
import { createHash } from 'node:crypto';

/**
 * Objects up to this size get a content-hash ETag. Playlists and manifests are rewritten in place
 * every part or segment, often with the same length and within one file-system timestamp tick
 * (Linux stamps files from a coarse clock), so only their content proves them unchanged. Large
 * objects are segments, written once under a fresh name, so a version tag is strong enough and
 * hashing megabytes on the event loop is avoided.
 */
export const CONTENT_ETAG_MAX_BYTES = 64 * 1024;

/** `"h-<base64url of the first 16 bytes of SHA-256>"`, over the concatenation of the views. */
export function contentEtag(data: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const view of data) hash.update(view);
  return contentEtagOf(hash.digest().subarray(0, 16).toString('base64url'));
}

/** The content ETag of an object whose hash (base64url of the first 16 bytes of its SHA-256) was
 *  computed elsewhere: by the file writer thread, over the bytes it wrote. */
export function contentEtagOf(hash: string): string {
  return `"h-${hash}"`;
}

/**
 * `"v-<size>-<mtime>-<identity>"` in base 36. `identity` separates two versions written within
 * one timestamp tick: the inode number on disk (every atomic replace creates a new file), a
 * write counter in memory.
 */
export function versionEtag(size: number, mtime: bigint | number, identity: bigint | number): string {
  return `"v-${size.toString(36)}-${mtime.toString(36)}-${identity.toString(36)}"`;
}

/** The total byte length of a list of views (the pipeline's totalLength, under the name storage uses). */
export { totalLength as byteLength } from '../../pipeline/core/byte-views.js';
