// The HLS multivariant (master) playlist: audio renditions and variant streams (RFC 8216 §4.3.4.1, §4.3.4.2; rfc8216bis §4.4.6).
import { ProtocolError } from '../../core/errors.js';
import { quoteString } from './attribute-list.js';
import { formatMs } from './hls-time.js';
import { isSafeUri } from './media-playlist-validation.js';
import { VERSION_MAP } from './playlist-version.js';

export interface HlsVariant {
  readonly uri: string;
  /** BANDWIDTH: peak segment bit rate, bits/s. */
  readonly bandwidth: number;
  /** AVERAGE-BANDWIDTH: average segment bit rate, bits/s. */
  readonly averageBandwidth?: number;
  /** CODECS: every format in the variant, audio group renditions included, e.g. "avc1.64001f,mp4a.40.2". */
  readonly codecs: string;
  readonly resolution?: { width: number; height: number };
  /** FRAME-RATE, written with 3 decimals (29.970). */
  readonly frameRate?: number;
  /** AUDIO: GROUP-ID of the audio renditions played with this variant. */
  readonly audioGroup?: string;
}

export interface HlsAudioRendition {
  readonly groupId: string;
  readonly name: string;
  readonly uri: string;
  readonly default: boolean;
  readonly autoselect: boolean;
  /** CHANNELS: the number of audio channels, e.g. 2. */
  readonly channels?: number;
  /** LANGUAGE: an RFC 5646 tag, e.g. "en". */
  readonly language?: string;
}

export interface MultivariantPlaylist {
  readonly variants: readonly HlsVariant[];
  readonly audio?: readonly HlsAudioRendition[];
  readonly independentSegments: boolean;
  /** EXT-X-VERSION; default 6. */
  readonly version?: number;
}

/**
 * Nothing in a multivariant playlist Onramp writes needs a version above 1 (§7 names only
 * INSTREAM-ID SERVICE values, 7, and variable substitution, 8), but EXT-X-VERSION states the
 * compatibility of "the Playlist file, its associated media, and its server" (§4.3.1.2): the
 * default is that of the fMP4 media playlists it lists (EXT-X-MAP: 6).
 */
export const DEFAULT_MULTIVARIANT_VERSION = VERSION_MAP;

/** RFC 6381 codec list: comma-separated identifiers, no spaces. */
const CODECS = /^[A-Za-z0-9.+_-]+(?:,[A-Za-z0-9.+_-]+)*$/;
/** RFC 5646 language tag, loosely: subtags of 1-8 letters or digits. */
const LANGUAGE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

const fail = (message: string): never => {
  throw new ProtocolError(`multivariant playlist: ${message}`);
};
const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const isPositiveInteger = (n: number): boolean => Number.isSafeInteger(n) && n > 0;
const yesNo = (b: boolean): string => (b ? 'YES' : 'NO');

function validateAudio(audio: readonly HlsAudioRendition[]): void {
  const groups = new Map<string, HlsAudioRendition[]>();
  for (const a of audio) {
    if (a.groupId === '' || a.name === '') fail('an audio rendition needs a GROUP-ID and a NAME (§4.3.4.1)');
    if (!isSafeUri(a.uri)) fail(`unsafe rendition URI ${JSON.stringify(a.uri)}`);
    // §4.3.4.1: AUTOSELECT MUST be YES if DEFAULT is YES.
    if (a.default && !a.autoselect) fail(`rendition ${a.name}: DEFAULT=YES needs AUTOSELECT=YES (§4.3.4.1)`);
    if (a.channels !== undefined && !isPositiveInteger(a.channels)) fail(`rendition ${a.name}: CHANNELS ${a.channels} is not a count`);
    if (a.language !== undefined && !LANGUAGE.test(a.language)) fail(`rendition ${a.name}: LANGUAGE ${a.language} is not an RFC 5646 tag`);
    groups.set(a.groupId, [...(groups.get(a.groupId) ?? []), a]);
  }
  for (const [id, members] of groups) {
    // §4.3.4.1.1: every member of a group has a different NAME, and at most one is the DEFAULT.
    if (new Set(members.map((m) => m.name)).size !== members.length) fail(`group ${id} has two renditions with one NAME`);
    if (members.filter((m) => m.default).length > 1) fail(`group ${id} has more than one DEFAULT=YES rendition`);
  }
}

function validate(p: MultivariantPlaylist): void {
  const version = p.version ?? DEFAULT_MULTIVARIANT_VERSION;
  if (!isPositiveInteger(version)) fail(`EXT-X-VERSION ${version} is not a positive integer`);
  if (p.variants.length === 0) fail('at least one EXT-X-STREAM-INF is needed');
  const audio = p.audio ?? [];
  validateAudio(audio);
  for (const v of p.variants) {
    if (!isSafeUri(v.uri)) fail(`unsafe variant URI ${JSON.stringify(v.uri)}`);
    if (!isCount(v.bandwidth)) fail(`variant ${v.uri}: BANDWIDTH ${v.bandwidth} is not a decimal-integer`);
    if (v.averageBandwidth !== undefined && !isCount(v.averageBandwidth)) fail(`variant ${v.uri}: AVERAGE-BANDWIDTH ${v.averageBandwidth} is not a decimal-integer`);
    if (!CODECS.test(v.codecs)) fail(`variant ${v.uri}: CODECS ${JSON.stringify(v.codecs)} is not an RFC 6381 list`);
    if (v.resolution !== undefined && !(isPositiveInteger(v.resolution.width) && isPositiveInteger(v.resolution.height))) {
      fail(`variant ${v.uri}: bad RESOLUTION`);
    }
    if (v.frameRate !== undefined && !(Number.isFinite(v.frameRate) && Math.round(v.frameRate * 1000) > 0)) {
      fail(`variant ${v.uri}: bad FRAME-RATE ${v.frameRate}`);
    }
    // §4.3.4.2: AUDIO MUST match the GROUP-ID of an EXT-X-MEDIA tag whose TYPE is AUDIO.
    if (v.audioGroup !== undefined && !audio.some((a) => a.groupId === v.audioGroup)) {
      fail(`variant ${v.uri}: AUDIO group ${v.audioGroup} has no EXT-X-MEDIA`);
    }
  }
}

function mediaLine(a: HlsAudioRendition): string {
  const attrs = [`TYPE=AUDIO`, `GROUP-ID=${quoteString(a.groupId)}`, `NAME=${quoteString(a.name)}`];
  if (a.language !== undefined) attrs.push(`LANGUAGE=${quoteString(a.language)}`);
  attrs.push(`DEFAULT=${yesNo(a.default)}`, `AUTOSELECT=${yesNo(a.autoselect)}`);
  if (a.channels !== undefined) attrs.push(`CHANNELS=${quoteString(String(a.channels))}`);
  attrs.push(`URI=${quoteString(a.uri)}`);
  return `#EXT-X-MEDIA:${attrs.join(',')}`;
}

function streamInfLine(v: HlsVariant): string {
  const attrs = [`BANDWIDTH=${v.bandwidth}`];
  if (v.averageBandwidth !== undefined) attrs.push(`AVERAGE-BANDWIDTH=${v.averageBandwidth}`);
  attrs.push(`CODECS=${quoteString(v.codecs)}`);
  if (v.resolution !== undefined) attrs.push(`RESOLUTION=${v.resolution.width}x${v.resolution.height}`);
  if (v.frameRate !== undefined) attrs.push(`FRAME-RATE=${formatMs(Math.round(v.frameRate * 1000))}`);
  if (v.audioGroup !== undefined) attrs.push(`AUDIO=${quoteString(v.audioGroup)}`);
  return `#EXT-X-STREAM-INF:${attrs.join(',')}`;
}

/**
 * Writes the multivariant playlist: header, one EXT-X-MEDIA per audio rendition, then each
 * EXT-X-STREAM-INF followed by its URI, in the order given. An audio-only stream is one variant
 * whose URI is the audio media playlist and whose CODECS lists the audio codec alone.
 */
export function serializeMultivariantPlaylist(p: MultivariantPlaylist): string {
  validate(p);
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${p.version ?? DEFAULT_MULTIVARIANT_VERSION}`];
  if (p.independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  for (const a of p.audio ?? []) lines.push(mediaLine(a));
  for (const v of p.variants) lines.push(streamInfLine(v), v.uri);
  return `${lines.join('\n')}\n`;
}
